package io.smwm.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.GoalErrorSpec;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.env.cube.Cube;
import io.smwm.core.eval.report.ReportWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MinGoalDistanceTest {
    private static final GoalErrorSpec TWO = new GoalErrorSpec(List.of("block_position_error_px",
            "block_angle_error_rad"), new double[] {20, 0.5});

    @Test
    void oneComponent_admitsExactlyTheErrorsAboveTheBound() {
        MinGoalDistance d = new MinGoalDistance(0.05);
        GoalErrorSpec cube = GoalErrorSpec.of(Cube.GOAL_ERROR_NAME, Cube.SUCCESS_DIST);
        assertTrue(d.admits(new double[] {0.0501}, cube));
        assertFalse(d.admits(new double[] {0.05}, cube), "strictly more than D");
        assertFalse(d.admits(new double[] {0.01}, cube));
        assertEquals("start-goal cube_distance_m > 0.05", d.describe(cube));
        assertThrows(IllegalArgumentException.class, () -> d.admits(new double[] {0.1, 0.2}, cube));
    }

    @Test
    void moreComponents_theOthersCountAtTheSameMultipleOfTheirThreshold() {
        MinGoalDistance d = new MinGoalDistance(40); // 2 x the position threshold: angles above 2 x 0.5 rad count
        assertTrue(d.admits(new double[] {41, 0}, TWO));
        assertTrue(d.admits(new double[] {0, 1.01}, TWO));
        assertFalse(d.admits(new double[] {40, 1.0}, TWO));
        assertFalse(d.admits(new double[] {10, 0.9}, TWO));
        assertEquals("start-goal block_position_error_px > 40 or another goal-error component above 2 x its threshold",
                d.describe(TWO));
    }

    @Test
    void onAnEnv_measuresTheStartStateAgainstTheGoal() {
        Environment env = Environments.create(Cube.ID, EnvConfig.defaults());
        env.reset(3);
        float[] start = env.state(), goal = start.clone();
        goal[8] += 0.03f;
        assertFalse(new MinGoalDistance(0.04).admits(env, start, goal));
        goal[8] += 0.02f;
        assertTrue(new MinGoalDistance(0.04).admits(env, start, goal));
    }

    @Test
    void rejectsNegativeAndNonFiniteBounds() {
        for (double bad : new double[] {-0.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new MinGoalDistance(bad), "" + bad);
        }
        assertEquals(0.0, new MinGoalDistance(0).value());
    }

    /** A source that says its pairs were filtered (the pairs themselves come from a simulated source). */
    private static PairSource filtered(PairSource inner, MinGoalDistance d) {
        return new PairSource() {
            @Override public int goalOffset() { return inner.goalOffset(); }
            @Override public List<StartGoalPair> sample(int n, long seed) { return inner.sample(n, seed); }
            @Override public String description() { return inner.description(); }
            @Override public MinGoalDistance minGoalDistance() { return d; }
        };
    }

    @Test
    void report_recordsTheBound_inConfigResultsAndMarkdown_andNothingWithoutOne() {
        Supplier<Environment> tworoom = () -> Environments.create("tworoom", EnvConfig.defaults());
        PairSource sim = new SimulatedPairSource(tworoom, () -> Environments.policy("tworoom", "scripted"), 25);
        Evaluator ev = new Evaluator(tworoom, null, new EvalConfig(3, 2.0, 5, 1L, true, true, 0, false, false));
        EvaluationReport plain = ev.evaluate(Map.of(), List.of(sim));
        EvaluationReport far = ev.evaluate(Map.of(), List.of(filtered(sim, new MinGoalDistance(0.1))));
        assertTrue(plain.config().containsKey(EvaluationReport.MIN_GOAL_DISTANCE));
        assertNull(plain.config().get(EvaluationReport.MIN_GOAL_DISTANCE));
        assertNull(plain.pairFilter());
        assertEquals(0.1, far.config().get(EvaluationReport.MIN_GOAL_DISTANCE));
        assertEquals("start-goal agent_distance > 0.1", far.config().get(EvaluationReport.MIN_GOAL_DISTANCE_RULE));
        assertEquals("only pairs with start-goal agent_distance > 0.1 (--min-goal-distance 0.1)", far.pairFilter());
        Map<String, Object> json = ReportWriter.toJson(far, Map.of(), Map.of());
        for (Object r : (List<?>) json.get("results")) {
            assertEquals(0.1, ((Map<?, ?>) r).get("min_goal_distance"));
        }
        for (Object r : (List<?>) ReportWriter.toJson(plain, Map.of(), Map.of()).get("results")) {
            Map<?, ?> m = (Map<?, ?>) r;
            assertTrue(m.containsKey("min_goal_distance") && m.get("min_goal_distance") == null);
        }
        assertTrue(ReportWriter.markdown(far, Map.of()).contains("- pairs: only pairs with start-goal agent_distance "
                + "> 0.1 (--min-goal-distance 0.1)"), ReportWriter.markdown(far, Map.of()));
        assertFalse(ReportWriter.markdown(plain, Map.of()).contains("- pairs:"));
    }
}
