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
            CLIPPED = ExperimentConfig.DEFAULT.withPlan(new PlanConfig(true));

    private static EvaluationRequest request(PlannerConfig pc, Boolean clip) {
        return new EvaluationRequest(Path.of("run"), "table", null, 10, List.of(25), null, 5, 7, pc, null, null,
                false, false, null, clip);
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
    void theShortConstructor_leavesClippingToTheRun() {
        EvaluationRequest r = new EvaluationRequest(Path.of("run"), "table", null, 10, List.of(25), null, 5, 7,
                PlannerConfig.cem(), null, null, false, false);
        assertNull(r.clipSamples());
        assertNull(r.minGoalDistance());
        assertTrue(r.plannerFor(CLIPPED).clipSamples());
    }
}
