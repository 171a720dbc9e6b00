package io.smwm.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlannerConfigTest {

    @Test
    void cem_defaults_areThePapers() {
        PlannerConfig c = PlannerConfig.cem();
        assertEquals("cem", c.method());
        assertEquals(300, c.samples());
        assertEquals(30, c.iterations());
        assertEquals(30, c.elites());
        assertEquals(5, c.horizon());
        assertEquals(1.0, c.initStd());
        assertTrue(c.warmStart());
        assertTrue(!c.returnBest(), "the paper's CEM executes the final mean");
        assertEquals(0.0, c.noiseCorrelation(), "the paper's CEM samples independent noise");
    }

    @Test
    void elitesZero_messageNamesKeyRuleAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlannerConfig.cem().withElites(0));
        assertEquals("planner.elites must be in [1, planner.samples=300], got 0", e.getMessage());
    }

    @Test
    void elitesAboveSamples_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlannerConfig.cem().withSamples(20));
        assertEquals("planner.elites must be in [1, planner.samples=20], got 30", e.getMessage());
    }

    @Test
    void severalProblems_areReportedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PlannerConfig("cma", 300, 0, 30, 0, Double.NaN, -1, 1, true, true, false, 1.0, 1.5, -1, Double.NaN));
        String m = e.getMessage();
        assertTrue(m.contains("planner.method must be one of [cem, mppi], got cma"), m);
        assertTrue(m.contains("planner.iterations must be in [1, 10000], got 0"), m);
        assertTrue(m.contains("planner.horizon must be in [1, 100], got 0"), m);
        assertTrue(m.contains("planner.initStd must be finite and > 0, got NaN"), m);
        assertTrue(m.contains("planner.temperature must be finite and > 0, got -1.0"), m);
        assertTrue(m.contains("planner.noiseCorrelation must be in [0, 1), got 1.0"), m);
        assertTrue(m.contains("planner.costWhitening must be 0 (off) or a floor in (0, 1], got 1.5"), m);
        assertTrue(m.contains("planner.inverseWeight must be finite and >= 0, got -1.0"), m);
        assertTrue(m.contains("planner.actionWeight must be finite and >= 0, got NaN"), m);
    }

    @Test
    void toMap_hasStableKeys() {
        assertEquals(java.util.List.of("planner.method", "planner.samples", "planner.iterations", "planner.elites",
                "planner.horizon", "planner.initStd", "planner.temperature", "planner.noiseStd",
                "planner.clipSamples", "planner.warmStart", "planner.returnBest",
                "planner.noiseCorrelation", "planner.costWhitening", "planner.inverseWeight", "planner.actionWeight"), java.util.List.copyOf(PlannerConfig.cem().toMap().keySet()));
    }

    @Test
    void hugeBudgets_areRefusedInsteadOfRunningOutOfMemory() {
        // evaluate --samples 100000000 used to die with OutOfMemoryError in the middle of planning
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlannerConfig.cem().withSamples(100_000_000));
        assertTrue(e.getMessage().contains("planner.samples must be in [2, 10000], got 100000000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlannerConfig.cem().withIterations(Integer.MAX_VALUE));
    }
}
