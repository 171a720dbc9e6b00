package io.smwm.spark.run;

import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.PlanConfig;
import io.smwm.core.plan.PlannerConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Which candidates the evaluation's planner hands the model: the flag, else the run's {@code plan.clipSamples}. */
class EvaluationRequestTest {

    private static final ExperimentConfig PAPER = ExperimentConfig.DEFAULT,
            CLIPPED = ExperimentConfig.DEFAULT.withPlan(new PlanConfig(true, 0.0, 0.0));

    private static EvaluationRequest request(PlannerConfig pc, Boolean clip) {
        return new EvaluationRequest(Path.of("run"), "table", null, 10, List.of(25), null, 5, 7, pc, null, null,
                false, false, null, clip, null, null);
    }

    @Test
    void withoutTheFlag_cemFollowsTheRunsConfig() {
        assertFalse(request(PlannerConfig.cem(), null).plannerFor(PAPER).clipSamples());
        PlannerConfig chosen = request(PlannerConfig.cem(), null).plannerFor(CLIPPED);
        assertTrue(chosen.clipSamples());
        assertEquals(PlannerConfig.cem().withClipSamples(true), chosen, "only the clipping changes");
        assertTrue(request(PlannerConfig.cem().withClipSamples(true), null).plannerFor(PAPER).clipSamples(),
                "a planner that clips already is not unclipped by a config that does not ask for it");
    }

    @Test
    void theFlag_overridesTheConfigEitherWay() {
        assertFalse(request(PlannerConfig.cem(), false).plannerFor(CLIPPED).clipSamples());
        assertTrue(request(PlannerConfig.cem(), true).plannerFor(PAPER).clipSamples());
        assertFalse(request(PlannerConfig.mppi(), false).plannerFor(CLIPPED).clipSamples());
    }

    @Test
    void mppi_keepsItsOwnClippingWhateverTheConfigSays() {
        assertTrue(PlannerConfig.mppi().clipSamples());
        assertTrue(request(PlannerConfig.mppi(), null).plannerFor(PAPER).clipSamples());
        assertTrue(request(PlannerConfig.mppi(), null).plannerFor(CLIPPED).clipSamples());
    }

    @Test
    void costWhitening_theFlagElseThePlannersElseTheRunsConfig() {
        ExperimentConfig whitened = ExperimentConfig.DEFAULT.withPlan(new PlanConfig(false, 0.2, 0.0));
        assertEquals(0.0, request(PlannerConfig.cem(), null).plannerFor(PAPER).costWhitening());
        assertEquals(0.2, request(PlannerConfig.cem(), null).plannerFor(whitened).costWhitening());
        assertEquals(0.2, request(PlannerConfig.mppi(), null).plannerFor(whitened).costWhitening(), "any method");
        assertEquals(0.05, request(PlannerConfig.cem().withCostWhitening(0.05), null).plannerFor(whitened)
                .costWhitening(), "a planner that sets one keeps it");
        EvaluationRequest off = new EvaluationRequest(Path.of("run"), "table", null, 10, List.of(25), null, 5, 7,
                PlannerConfig.cem(), null, null, false, false, null, null, 0.0, null);
        assertEquals(0.0, off.plannerFor(whitened).costWhitening(), "the flag's 0 turns the config's off");
        assertEquals(PlannerConfig.cem().withClipSamples(true), request(PlannerConfig.cem(), null)
                .plannerFor(CLIPPED), "the cost is untouched where nothing asks for a whitening");
    }

    @Test
    void inverseWeight_theFlagElseThePlannersElseTheRunsConfig() {
        ExperimentConfig penalised = ExperimentConfig.DEFAULT.withPlan(new PlanConfig(false, 0.0, 30.0));
        assertEquals(0.0, request(PlannerConfig.cem(), null).plannerFor(PAPER).inverseWeight(), "the paper's cost");
        assertEquals(30.0, request(PlannerConfig.cem(), null).plannerFor(penalised).inverseWeight());
        assertEquals(30.0, request(PlannerConfig.mppi(), null).plannerFor(penalised).inverseWeight(), "any method");
        assertEquals(5.0, request(PlannerConfig.cem().withInverseWeight(5), null).plannerFor(penalised).inverseWeight(),
                "a planner that sets one keeps it");
        EvaluationRequest off = new EvaluationRequest(Path.of("run"), "table", null, 10, List.of(25), null, 5, 7,
                PlannerConfig.cem(), null, null, false, false, null, null, null, 0.0);
        assertEquals(0.0, off.plannerFor(penalised).inverseWeight(), "the flag's 0 turns the config's off");
        EvaluationRequest ten = new EvaluationRequest(Path.of("run"), "table", null, 10, List.of(25), null, 5, 7,
                PlannerConfig.cem(), null, null, false, false, null, null, null, 10.0);
        assertEquals(10.0, ten.plannerFor(penalised).inverseWeight(), "the flag's value over the config's");
        assertEquals(0.0, ten.plannerFor(penalised).costWhitening(), "nothing else changes");
    }

    @Test
    void theShortConstructor_leavesClippingToTheRun() {
        EvaluationRequest r = new EvaluationRequest(Path.of("run"), "table", null, 10, List.of(25), null, 5, 7,
                PlannerConfig.cem(), null, null, false, false);
        assertNull(r.clipSamples());
        assertNull(r.minGoalDistance());
        assertTrue(r.plannerFor(CLIPPED).clipSamples());
    }
}
