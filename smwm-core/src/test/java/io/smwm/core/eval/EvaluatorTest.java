package io.smwm.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.oracle.TwoRoomOracleModel;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    static final Supplier<Environment> TWOROOM = () -> Environments.create("tworoom", EnvConfig.defaults());

    static PairSource scripted(int offset) {
        return new SimulatedPairSource(TWOROOM, () -> Environments.policy("tworoom", "scripted"), offset);
    }

    @Test
    void evaluate_oracleModelOnEasyPairs_cemSucceedsOnMostAndBeatsRandom() {
        EvalConfig cfg = EvalConfig.defaults().withEpisodes(24).withSeed(3);
        EvaluationReport rep = new Evaluator(TWOROOM, new TwoRoomOracleModel(), cfg)
                .evaluate(PlannerConfig.cem(), List.of(scripted(25)));
        MethodResult cem = rep.results().get(0), random = rep.results().get(1);
        System.out.printf("cem %d/%d (%.2f ms/solve), random %d/%d%n", cem.successes(), cem.episodes(),
                cem.planMsMedian(), random.successes(), random.episodes());
        assertEquals("cem", cem.method());
        assertEquals("random", random.method());
        assertEquals(50, cem.budget());
        assertEquals(24, cem.episodes());
        assertTrue(cem.successRate() >= 0.75, "cem success " + cem.successRate());
        assertTrue(random.successRate() < cem.successRate(), "random " + random.successRate());
        assertEquals(48, rep.episodes().size());
        for (EpisodeRecord e : rep.episodes()) {
            assertEquals(51, e.stateCurve().length);
            assertEquals(e.success(), e.successStep() >= 0);
            if (e.success()) {
                assertTrue(e.minStateDistance() <= 16.0 / 224 + 1e-6, "success means within the radius once");
            }
            if (e.method().equals("cem")) {
                assertTrue(e.solves() >= 1 && e.solves() <= 2, "50 steps / 25 per plan: " + e.solves());
            }
            // the recorded end and goal states: the agent's distance between them is the final state distance
            double dx = e.finalState()[0] - e.goalState()[0], dy = e.finalState()[1] - e.goalState()[1];
            assertEquals(e.finalStateDistance(), Math.hypot(dx, dy), 1e-5, e.pairId());
        }
        // the distance to the goal falls on average under the planner
        assertTrue(cem.stateCurveMean()[50] < 0.5 * cem.stateCurveMean()[0], "curve " + cem.stateCurveMean()[50]);
    }

    @Test
    void runner_episodeOutcome_doesNotDependOnTheOtherEpisodesInTheBatch() {
        EvalConfig cfg = EvalConfig.defaults().withEpisodes(4).withExecuteModelSteps(2);
        TwoRoomOracleModel model = new TwoRoomOracleModel();
        List<StartGoalPair> pairs = scripted(25).sample(4, 9L);
        EpisodeRunner runner = new EpisodeRunner(TWOROOM, model, cfg);
        PlannerConfig pc = PlannerConfig.cem().withIterations(5);
        EpisodeRunner.Outcome all = runner.run(new PlanningController("cem",
                io.smwm.core.plan.Planners.create(pc, model, TWOROOM.get().spec()), model, 2), pairs, 50, 1L);
        // per-episode streams depend on the episode's index, so keep episode e in place and replace all the
        // others with different pairs: episode e must replay bit for bit
        for (int e = 0; e < pairs.size(); e++) {
            List<StartGoalPair> shuffled = new java.util.ArrayList<>(scripted(40).sample(4, 77L));
            shuffled.set(e, pairs.get(e));
            EpisodeRunner.Outcome mixed = runner.run(new PlanningController("cem",
                    io.smwm.core.plan.Planners.create(pc, model, TWOROOM.get().spec()), model, 2), shuffled, 50, 1L);
            assertArrayEquals(all.episodes().get(e).stateCurve(), mixed.episodes().get(e).stateCurve(),
                    "episode " + e);
        }
    }

    @Test
    void recordStates_keepsTheExecutedStatesAndActions_whichReplayTheEpisode() {
        List<StartGoalPair> pairs = scripted(25).sample(6, 5L);
        TwoRoomOracleModel model = new TwoRoomOracleModel();
        PlannerConfig pc = PlannerConfig.cem().withIterations(5);
        EvalConfig on = EvalConfig.defaults().withEpisodes(6).withRecordStates(true);
        assertEquals(true, on.toMap().get("eval.recordStates"));
        EpisodeRunner.Outcome rec = new EpisodeRunner(TWOROOM, model, on).run(new PlanningController("cem",
                io.smwm.core.plan.Planners.create(pc, model, TWOROOM.get().spec()), model, 5), pairs, 50, 2L);
        EpisodeRunner.Outcome plain = new EpisodeRunner(TWOROOM, model, EvalConfig.defaults().withEpisodes(6))
                .run(new PlanningController("cem", io.smwm.core.plan.Planners.create(pc, model, TWOROOM.get().spec()),
                        model, 5), pairs, 50, 2L);
        int stopped = 0;
        for (int e = 0; e < pairs.size(); e++) {
            EpisodeRecord r = rec.episodes().get(e), p = plain.episodes().get(e);
            assertEquals(null, p.states(), "off by default");
            assertEquals(null, p.actions());
            assertArrayEquals(p.stateCurve(), r.stateCurve(), "recording does not change the episode " + e);
            assertEquals(r.stepsExecuted() + 1, r.states().length);
            assertEquals(r.stepsExecuted(), r.actions().length);
            stopped += r.stepsExecuted() < 50 ? 1 : 0;
            assertArrayEquals(pairs.get(e).startState(), r.states()[0], "step 0 is the pair's start");
            assertArrayEquals(r.finalState(), r.states()[r.stepsExecuted()], "the last is the final state");
            // the recorded actions from the start state give the recorded states, step by step
            Environment env = TWOROOM.get();
            env.reset(0);
            env.setState(pairs.get(e).startState());
            for (int t = 0; t < r.stepsExecuted(); t++) {
                env.step(r.actions()[t]);
                assertArrayEquals(r.states()[t + 1], env.state(), "episode " + e + " step " + (t + 1));
            }
        }
        assertTrue(stopped > 0, "some episodes stop at their success, so the lengths differ");
        assertThrows(IllegalArgumentException.class, () -> new EpisodeRecord("cem", 25, 50, "p", false, -1, 2, 0, 0,
                0, 1, new double[0], new float[51], null, new double[0], Double.NaN, Double.NaN, false,
                java.util.Map.of("d", 0.1), null, null, new float[2][2], new float[2][2]), "2 steps have 3 states");
        assertThrows(IllegalArgumentException.class, () -> new EpisodeRecord("cem", 25, 50, "p", false, -1, 2, 0, 0,
                0, 1, new double[0], new float[51], null, new double[0], Double.NaN, Double.NaN, false,
                java.util.Map.of("d", 0.1), null, null, new float[3][2], new float[3][2]), "2 steps have 2 actions");
    }

    @Test
    void runSlice_slicesConcatenated_equalTheWholeList() {
        EvalConfig cfg = EvalConfig.defaults().withEpisodes(5).withSeed(11).withFilmstripEpisodes(3);
        TwoRoomOracleModel model = new TwoRoomOracleModel();
        Evaluator ev = new Evaluator(TWOROOM, model, cfg);
        java.util.Map<String, PlannerConfig> planners = java.util.Map.of("cem", PlannerConfig.cem().withIterations(4));
        List<StartGoalPair> pairs = ev.pairs(scripted(25));
        List<Evaluator.MethodOutcome> whole = ev.runSlice(planners, pairs, 0, 25);
        List<Evaluator.MethodOutcome> a = ev.runSlice(planners, pairs.subList(0, 2), 0, 25);
        List<Evaluator.MethodOutcome> b = ev.runSlice(planners, pairs.subList(2, 5), 2, 25);
        assertEquals(List.of("cem", "random"), whole.stream().map(Evaluator.MethodOutcome::method).toList());
        for (int m = 0; m < whole.size(); m++) {
            List<EpisodeRecord> joined = new java.util.ArrayList<>(a.get(m).outcome().episodes());
            joined.addAll(b.get(m).outcome().episodes());
            for (int e = 0; e < 5; e++) {
                EpisodeRecord w = whole.get(m).outcome().episodes().get(e), j = joined.get(e);
                assertEquals(w.pairId(), j.pairId());
                assertEquals(w.successStep(), j.successStep(), w.method() + " episode " + e);
                assertArrayEquals(w.stateCurve(), j.stateCurve(), w.method() + " episode " + e);
                assertArrayEquals(w.latentCurve(), j.latentCurve(), w.method() + " episode " + e);
            }
            // filmstrips for global episodes 0..2: two from the first slice, one from the second
            assertEquals(3, whole.get(m).outcome().filmstrips().size());
            assertEquals(2, a.get(m).outcome().filmstrips().size());
            assertEquals(1, b.get(m).outcome().filmstrips().size());
            assertEquals(whole.get(m).outcome().filmstrips().get(2).pairId(),
                    b.get(m).outcome().filmstrips().get(0).pairId());
            assertEquals(whole.get(m).outcome().filmstrips().get(2).frames(),
                    b.get(m).outcome().filmstrips().get(0).frames());
        }
        // a slice that claimed to start at 0 would replay episode 0's streams, not episode 2's
        List<Evaluator.MethodOutcome> wrong = ev.runSlice(planners, pairs.subList(2, 5), 0, 25);
        assertTrue(!java.util.Arrays.equals(whole.get(1).outcome().episodes().get(2).stateCurve(),
                wrong.get(1).outcome().episodes().get(0).stateCurve()), "random streams follow the global index");
    }

    @Test
    void evalConfig_invalidValues_areAllReported() {
        IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new EvalConfig(0, -1, 0, 0, true, true, -1, true, false));
        String m = ex.getMessage();
        assertTrue(m.contains("eval.episodes must be >= 1, got 0"), m);
        assertTrue(m.contains("eval.budgetFactor must be finite and > 0, got -1.0"), m);
        assertTrue(m.contains("eval.executeModelSteps must be >= 1, got 0"), m);
        assertTrue(m.contains("eval.filmstripEpisodes must be >= 0, got -1"), m);
    }

    @Test
    void planningController_executeStepsBeyondHorizon_isRejectedWithKeys() {
        TwoRoomOracleModel model = new TwoRoomOracleModel();
        IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PlanningController("cem", io.smwm.core.plan.Planners.create(PlannerConfig.cem(), model,
                        TWOROOM.get().spec()), model, 6));
        assertEquals("eval.executeModelSteps must be in [1, planner.horizon=5], got 6", ex.getMessage());
    }

    @Test
    void budget_isTwiceTheGoalOffsetByDefault() {
        EvalConfig c = EvalConfig.defaults();
        assertEquals(50, c.budget(25));
        assertEquals(200, c.budget(100));
    }

    @Test
    void simulatedPairSource_sameSeed_givesTheSamePairs() {
        List<StartGoalPair> a = scripted(25).sample(3, 4L), b = scripted(25).sample(3, 4L);
        for (int i = 0; i < 3; i++) {
            assertEquals(a.get(i).id(), b.get(i).id());
            assertArrayEquals(a.get(i).startState(), b.get(i).startState());
            assertEquals(a.get(i).goalFrame(), b.get(i).goalFrame());
            assertEquals(25, a.get(i).goalOffset());
        }
    }
    /** A pair in the left room reached by 25 steps of a constant action: no wall contact on the way. */
    static StartGoalPair openRoute(float[][] recorded) {
        Environment env = TWOROOM.get();
        env.reset(0);
        float[] start = {0.2f, 0.25f};
        env.setState(start);
        float[][] route = new float[25][];
        io.smwm.core.env.StepResult last = null;
        for (int t = 0; t < 25; t++) {
            route[t] = new float[] {0.2f, 0.8f};
            last = env.step(route[t]);
        }
        return new StartGoalPair("open", start, new float[0], last.observation(), env.state(), 25,
                recorded == null ? route : recorded);
    }

    @Test
    void demoCost_isTheModelsPredictedCostOfTheRecordedRoute_andEachSolvesPlanCostIsKept() {
        TwoRoomOracleModel model = new TwoRoomOracleModel();
        EvalConfig cfg = EvalConfig.defaults().withEpisodes(2).withStopOnSuccess(false); // runs past the first plan
        float[][] still = new float[25][2]; // a wrong "recorded" route: stand still
        List<StartGoalPair> pairs = List.of(openRoute(null), openRoute(still));
        EpisodeRunner runner = new EpisodeRunner(TWOROOM, model, cfg);
        PlannerConfig pc = PlannerConfig.cem().withIterations(8);
        EpisodeRunner.Outcome o = runner.run(new PlanningController("cem",
                io.smwm.core.plan.Planners.create(pc, model, TWOROOM.get().spec()), model, 5), pairs, 50, 1L);
        EpisodeRecord right = o.episodes().get(0), wrong = o.episodes().get(1);
        // the oracle's dynamics are exact away from walls: the true route lands on the goal latent
        assertTrue(right.demoCost() < 1e-4, "demo cost of the true route " + right.demoCost());
        // standing still leaves the start's offset to the goal, (0.125, 0.5)
        assertEquals(0.125 * 0.125 + 0.5 * 0.5, wrong.demoCost(), 2e-3);
        for (EpisodeRecord e : o.episodes()) {
            assertEquals(e.solves(), e.planCosts().length);
            assertTrue(e.firstPlanCost() >= 0 && Double.isFinite(e.firstPlanCost()), "" + e.firstPlanCost());
            // exact dynamics: the frame the first plan's 25 actions reach has the cost the model predicted
            assertEquals(e.firstPlanCost(), e.firstPlanRealisedCost(), 1e-4, e.pairId());
            assertEquals(Math.pow(e.latentCurve()[25], 2), e.firstPlanRealisedCost(), 1e-9);
        }
        // a goal 30 steps away is beyond a 25-step plan: its costs do not compare, so there is no demo cost
        StartGoalPair far = scripted(30).sample(1, 4L).get(0);
        EpisodeRunner.Outcome f = runner.run(new PlanningController("cem",
                io.smwm.core.plan.Planners.create(pc, model, TWOROOM.get().spec()), model, 5), List.of(far), 60, 1L);
        assertTrue(Double.isNaN(f.episodes().get(0).demoCost()), "offset 30: " + f.episodes().get(0).demoCost());
        // the random baseline neither plans nor rates routes
        EpisodeRunner.Outcome r = runner.run(new RandomController(new float[] {-1, -1}, new float[] {1, 1}),
                pairs, 50, 1L);
        assertTrue(Double.isNaN(r.episodes().get(0).demoCost()));
        assertTrue(Double.isNaN(r.episodes().get(0).firstPlanRealisedCost()));
        assertEquals(0, r.episodes().get(0).planCosts().length);
        // simulated pairs carry the route the policy took
        StartGoalPair sim = scripted(25).sample(1, 4L).get(0);
        assertEquals(25, sim.recordedActions().length);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new StartGoalPair("x",
                new float[2], null, sim.goalFrame(), new float[2], 25, new float[24][2]));
    }

    @Test
    void failureDiagnosis_countsSearchModelAndUndiagnosedFailures() {
        java.util.function.BiFunction<Boolean, double[], EpisodeRecord> rec = (ok, c) -> new EpisodeRecord("cem", 25,
                50, "p", ok, ok ? 3 : -1, 50, 0, 0, 0, 1, new double[] {1}, new float[51], null,
                new double[] {c[0]}, c[1], Double.NaN, false, java.util.Map.of("agent_distance", 0.3), null, null, null, null);
        List<EpisodeRecord> eps = List.of(rec.apply(true, new double[] {0.5, 0.1}),
                rec.apply(false, new double[] {0.5, 0.1}), rec.apply(false, new double[] {0.5, 0.1}),
                rec.apply(false, new double[] {0.2, 0.9}), rec.apply(false, new double[] {0.2, Double.NaN}));
        FailureDiagnosis d = FailureDiagnosis.of(eps, "cem", 25);
        assertEquals(new FailureDiagnosis(4, 2, 1, 1), d);
        java.util.Map<String, Object> expected = new java.util.HashMap<>(java.util.Map.of("failures", 4, "search", 2,
                "model", 1, "undiagnosed", 1, "realised_episodes", 0));
        expected.put("first_plan_cost_median", null);
        expected.put("first_plan_realised_cost_median", null);
        assertEquals(expected, d.toMap());
        assertFalse(d.describe("cem", 25).contains("reached"), d.describe("cem", 25));
        // failed episodes whose first plan ran to its end: predicted against reached, medians
        java.util.function.BiFunction<Double, Double, EpisodeRecord> ran = (pred, real) -> new EpisodeRecord("cem", 25,
                50, "p", false, -1, 50, 0, 0, 0, 2, new double[] {1, 1}, new float[51], null,
                new double[] {pred, 0.01}, 0.5, real, false, java.util.Map.of("agent_distance", 0.3), null, null, null, null);
        FailureDiagnosis r = FailureDiagnosis.of(List.of(ran.apply(0.1, 2.0), ran.apply(0.3, 4.0), ran.apply(0.2, 3.0),
                ran.apply(0.4, Double.NaN)), "cem", 25);
        assertEquals(3, r.realisedCount());
        assertEquals(0.2, r.predictedMedian(), 1e-12);
        assertEquals(3.0, r.realisedMedian(), 1e-12);
        assertTrue(r.describe("cem", 25).contains("predicted cost 0.200, reached 3.00"), r.describe("cem", 25));
        EpisodeRecord baseline = new EpisodeRecord("random", 25, 50, "p", false, -1, 50, 0, 0, 0, 0, new double[0],
                new float[51], null, new double[0], Double.NaN, Double.NaN, false, java.util.Map.of("agent_distance", 0.3), null, null, null, null);
        assertEquals(null, FailureDiagnosis.of(List.of(baseline), "random", 25));
    }
}
