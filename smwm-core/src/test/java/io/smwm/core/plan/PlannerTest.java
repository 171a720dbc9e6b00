package io.smwm.core.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static final float[] LOW = {-1f, -1f};
    private static final float[] HIGH = {1f, 1f};

    private static PlannerConfig config(String method) {
        return "cem".equals(method) ? PlannerConfig.cem() : PlannerConfig.mppi();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cem", "mppi"})
    void plan_oneStepQuadratic_findsTheUniqueOptimum(String method) {
        // H = 1, k = 1: z_1 = z0 + B·0.5·a, so a* = (goal − z0) / (0.5·B) = (0.4, −0.6) exactly
        LinearLatentModel model = new LinearLatentModel(1, 2, new float[] {2f, 1f}, 0.5f);
        Planner p = Planners.create(config(method).withHorizon(1), model, LOW, HIGH);
        PlanResult r = p.plan(new PlanProblem(new float[] {0.1f, 0.2f}, new float[] {0.5f, -0.1f}, null, 7L));
        float tol = 1e-3f;
        assertArrayEquals(new float[] {0.4f, -0.6f}, r.plan(), tol, method + " plan " + java.util.Arrays.toString(r.plan()));
        assertTrue(r.cost() < 1e-3, "cost " + r.cost());
        assertEquals(0.2f, r.envActions()[0][0], tol); // un-normalised: 0.4·0.5
    }

    @ParameterizedTest
    @ValueSource(strings = {"cem", "mppi"})
    void plan_penalties_moveTheOptimumToTheClosedForm(String method) {
        // as above, b = 0.5·B = (1, 0.5), c = z0 − goal = (−0.4, 0.3); per dimension the cost is (c + b·a)² plus
        // the penalty's share: α·a²/2 (mean over A = 2 actions) or β·(a − 0.3)²/2 (the stand-in h infers 0.3)
        LinearLatentModel model = new LinearLatentModel(1, 2, new float[] {2f, 1f}, 0.5f);
        PlanProblem problem = new PlanProblem(new float[] {0.1f, 0.2f}, new float[] {0.5f, -0.1f}, null, 7L);
        float tol = 2e-3f;
        // α = 1: a* = −c·b / (b² + 1/2) = (0.4/1.5, −0.15/0.75)
        PlanResult ra = Planners.create(config(method).withHorizon(1).withActionWeight(1.0), model, LOW, HIGH)
                .plan(problem);
        assertArrayEquals(new float[] {0.4f / 1.5f, -0.2f}, ra.plan(), tol, method + " " + java.util.Arrays.toString(ra.plan()));
        float[] a = ra.plan();
        float terminal = sq(-0.4f + a[0]) + sq(0.3f + 0.5f * a[1]);
        assertEquals(terminal + (sq(a[0]) + sq(a[1])) / 2, ra.cost(), 1e-5, "the cost includes the penalty");
        // β = 1: a* = (−c·b + 0.3/2) / (b² + 1/2) = (0.55/1.5, 0)
        model.inverseTarget = 0.3f;
        PlanResult rb = Planners.create(config(method).withHorizon(1).withInverseWeight(1.0), model, LOW, HIGH)
                .plan(problem);
        assertArrayEquals(new float[] {0.55f / 1.5f, 0f}, rb.plan(), tol, method + " " + java.util.Arrays.toString(rb.plan()));
        // through a metric: M = 2·I doubles the latent distances (4× the squared cost), the residual is the inner model's
        float[] twoI = {2f, 0f, 0f, 2f}, halfI = {0.5f, 0f, 0f, 0.5f};
        PlanResult rm = Planners.create(config(method).withHorizon(1).withInverseWeight(4.0),
                new LinearMetricLatentModel(model, twoI, halfI), LOW, HIGH)
                .plan(new PlanProblem(new float[] {0.2f, 0.4f}, new float[] {1f, -0.2f}, null, 7L));
        assertArrayEquals(rb.plan(), rm.plan(), tol, "4·(the same cost): the same optimum");
    }

    @Test
    void plan_inverseWeight_needsAModelWithAnInverseModel() {
        LinearLatentModel model = new LinearLatentModel(1, 2, new float[] {2f, 1f}, 0.5f);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Planners.create(PlannerConfig.cem().withInverseWeight(0.5), model, LOW, HIGH));
        assertTrue(e.getMessage().contains("planner.inverseWeight 0.5 needs a model with an inverse model"), e.getMessage());
        Planners.create(PlannerConfig.cem().withActionWeight(0.5), model, LOW, HIGH); // needs nothing of the model
    }

    private static float sq(float x) {
        return x * x;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cem", "mppi"})
    void plan_fiveStepFrameskipQuadratic_drivesTerminalCostToNearZero(String method) {
        LinearLatentModel model = new LinearLatentModel(5, 2, gains(10, 0.1f), 1f);
        Planner p = Planners.create(config(method), model, LOW, HIGH);
        float[] z0 = new float[10], goal = new float[10];
        for (int j = 0; j < 10; j++) {
            goal[j] = (j % 3 - 1) * 0.3f; // needs Σ a = ±3: reachable within |a| <= 1 over 5 steps
        }
        PlanResult r = p.plan(new PlanProblem(z0, goal, null, 11L));
        float start = 0;
        for (float g : goal) {
            start += g * g;
        }
        assertTrue(r.cost() < 1e-3 * start, method + ": cost " + r.cost() + " from " + start);
        float[] it = r.bestCostPerIteration();
        assertTrue(it[it.length - 1] < it[0], "best cost falls over iterations");
        assertEquals(25, r.envActions().length);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void plan_unreachableGoal_respectsActionBoundsAfterUnnormalising(boolean clipSamples) {
        // scale 3: normalised values above 1/3 would exceed the env's bound of 1 once un-normalised
        LinearLatentModel model = new LinearLatentModel(5, 2, gains(10, 1f), 3f);
        Planner p = Planners.create(PlannerConfig.cem().withClipSamples(clipSamples), model, LOW, HIGH);
        float[] goal = new float[10];
        java.util.Arrays.fill(goal, 100f);
        goal[1] = -100f;
        PlanResult r = p.plan(new PlanProblem(new float[10], goal, null, 3L));
        for (float[] a : r.envActions()) {
            assertEquals(2, a.length);
            for (float v : a) {
                assertTrue(v >= -1f && v <= 1f, "action " + v + " out of [-1, 1]");
            }
        }
        // the optimum pushes to the bounds: +1 on even components, -1 on odd ones (primitive dim 1 of step 0)
        assertEquals(1f, r.envActions()[0][0], 0.02);
        assertEquals(-1f, r.envActions()[0][1], 0.02);
        if (clipSamples) {
            for (float v : r.plan()) {
                assertTrue(Math.abs(v) <= 1f / 3f + 1e-6, "clipped samples keep the plan in the normalised box");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cem", "mppi"})
    void plan_batchOfEpisodes_equalsPlanningEachEpisodeAlone(String method) {
        LinearLatentModel model = new LinearLatentModel(5, 2, gains(10, 0.2f), 1f);
        PlannerConfig cfg = config(method).withIterations(5);
        List<PlanProblem> problems = new ArrayList<>();
        for (int e = 0; e < 5; e++) {
            float[] z0 = new float[10], goal = new float[10], init = e % 2 == 0 ? null : new float[50];
            for (int j = 0; j < 10; j++) {
                z0[j] = 0.1f * e - 0.05f * j;
                goal[j] = 0.2f * ((e + j) % 3 - 1);
            }
            if (init != null) {
                java.util.Arrays.fill(init, 0.1f * e);
            }
            problems.add(new PlanProblem(z0, goal, init, 1000L + e));
        }
        Planner batched = Planners.create(cfg, model, LOW, HIGH);
        List<PlanResult> together = batched.plan(problems);
        Planner single = Planners.create(cfg, model, LOW, HIGH);
        // reversed order and one at a time: reused buffers and batch position must not matter
        for (int e = problems.size() - 1; e >= 0; e--) {
            PlanResult alone = single.plan(problems.get(e));
            assertArrayEquals(alone.plan(), together.get(e).plan(), "episode " + e);
            assertEquals(alone.cost(), together.get(e).cost());
            assertArrayEquals(alone.bestCostPerIteration(), together.get(e).bestCostPerIteration());
            for (int s = 0; s < alone.envActions().length; s++) {
                assertArrayEquals(alone.envActions()[s], together.get(e).envActions()[s]);
            }
        }
    }

    @Test
    void plan_sameSeed_isReproducible_differentSeed_isNot() {
        LinearLatentModel model = new LinearLatentModel(5, 2, gains(10, 0.2f), 1f);
        Planner p = Planners.create(PlannerConfig.cem().withIterations(3), model, LOW, HIGH);
        float[] z0 = new float[10], goal = new float[10];
        goal[0] = 0.5f;
        float[] a = p.plan(new PlanProblem(z0, goal, null, 5L)).plan();
        float[] b = p.plan(new PlanProblem(z0, goal, null, 5L)).plan();
        float[] c = p.plan(new PlanProblem(z0, goal, null, 6L)).plan();
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c));
    }

    @Test
    void plan_batchedOverEpisodes_callsTheModelOncePerIterationPlusOnce() {
        LinearLatentModel model = new LinearLatentModel(5, 2, gains(10, 0.2f), 1f);
        Planner p = Planners.create(PlannerConfig.cem().withIterations(4), model, LOW, HIGH);
        List<PlanProblem> problems = new ArrayList<>();
        for (int e = 0; e < 8; e++) {
            problems.add(new PlanProblem(new float[10], new float[10], null, e));
        }
        p.plan(problems);
        assertEquals(5, model.rolloutCalls);
    }

    @Test
    void cem_refitsSigmaAsTheElitesSampleStd_likeTorchStd() {
        // one iteration, every candidate an elite: afterwards μ and σ are the mean and the K−1 std of the candidates
        LinearLatentModel model = new LinearLatentModel(1, 2, new float[] {1f, 1f}, 1f);
        PlannerConfig cfg = PlannerConfig.cem().withHorizon(1).withElites(6).withSamples(6).withIterations(1)
                .withClipSamples(false);
        CemPlanner p = (CemPlanner) Planners.create(cfg, model, LOW, HIGH);
        p.plan(List.of(new PlanProblem(new float[] {0f, 0f}, new float[] {0.3f, -0.2f}, null, 5L)));
        for (int j = 0; j < 2; j++) {
            double mean = 0, ss = 0;
            for (int n = 0; n < 6; n++) {
                mean += p.candidates[n * 2 + j] / 6.0;
            }
            for (int n = 0; n < 6; n++) {
                double d = p.candidates[n * 2 + j] - mean;
                ss += d * d;
            }
            assertEquals(mean, p.mean[j], 1e-6, "μ component " + j);
            assertEquals(Math.sqrt(ss / 5), p.std[j], 1e-6, "σ component " + j + " (population std would be "
                    + Math.sqrt(ss / 6) + ")");
        }
    }

    @Test
    void shifted_dropsExecutedStepsAndZeroFillsTheTail() {
        float[] plan = {1, 2, 3, 4, 5, 6};
        PlanResult r = new PlanResult(plan, new float[0][], 0f, new float[0]);
        assertArrayEquals(new float[] {5, 6, 0, 0, 0, 0}, r.shifted(2, 2));
        assertArrayEquals(new float[6], r.shifted(3, 2));
    }

    @Test
    void create_modelActionDimMismatch_namesBothDimensions() {
        LinearLatentModel model = new LinearLatentModel(1, 3, gains(3, 1f), 1f);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Planners.create(PlannerConfig.cem(), model, LOW, HIGH));
        assertTrue(e.getMessage().contains("m=3") && e.getMessage().contains("length 2"), e.getMessage());
    }

    static float[] gains(int n, float g) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, g);
        return out;
    }
    /** z_1 = z0 + a² for one scalar action (k = 1, H = 1): a goal of 0.25 has two optimal actions, ±0.5. */
    static final class TwoRouteModel implements LatentModel {
        @Override public int latentDim() { return 1; }
        @Override public int primitiveActionDim() { return 1; }
        @Override public int frameskip() { return 1; }
        @Override public float[] encode(List<io.smwm.core.render.RgbImage> frames) {
            throw new UnsupportedOperationException();
        }
        @Override public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] a, int horizon,
                                              float[] out) {
            for (int row = 0; row < groups * perGroup; row++) {
                out[row] = z0[row / perGroup] + a[row] * a[row];
            }
        }
        @Override public float[] unnormalise(float[] a) { return a.clone(); }
        @Override public float[] normalise(float[] a) { return a.clone(); }
    }

    @Test
    void returnBest_twoRoutes_executesARouteWhereTheEliteMeanFallsBetweenThem() {
        TwoRouteModel model = new TwoRouteModel();
        // one refit: the 30 elites sit near both +0.5 and -0.5, so their mean lies between the routes
        PlannerConfig cfg = PlannerConfig.cem().withHorizon(1).withIterations(1);
        PlanProblem prob = new PlanProblem(new float[] {0f}, new float[] {0.25f}, null, 3L);
        PlanResult mean = Planners.create(cfg, model, new float[] {-1f}, new float[] {1f}).plan(List.of(prob)).get(0);
        PlanResult best = Planners.create(cfg.withReturnBest(true), model, new float[] {-1f}, new float[] {1f})
                .plan(List.of(prob)).get(0);
        assertTrue(Math.abs(mean.plan()[0]) < 0.4f, "elite mean " + mean.plan()[0]);
        assertTrue(mean.cost() > 0.005, "the mean's cost " + mean.cost());
        assertEquals(0.5f, Math.abs(best.plan()[0]), 0.02f, "best candidate " + best.plan()[0]);
        assertTrue(best.cost() < 1e-3 && best.cost() < mean.cost() / 5, best.cost() + " vs " + mean.cost());
        assertEquals(best.plan()[0], best.envActions()[0][0], 1e-6f);
        // the reported cost is the executed plan's: roll it out again
        float[] out = new float[1];
        model.rolloutTerminal(new float[] {0f}, 1, 1, best.plan(), 1, out);
        assertEquals((out[0] - 0.25f) * (out[0] - 0.25f), best.cost(), 1e-7f);
    }
    /** k = 5, m = 2; the terminal latent is the sum of dimension 0 over all primitive steps (a displacement). */
    static final class DisplacementModel implements LatentModel {
        final List<float[]> firstCall = new ArrayList<>();
        @Override public int latentDim() { return 1; }
        @Override public int primitiveActionDim() { return 2; }
        @Override public int frameskip() { return 5; }
        @Override public float[] encode(List<io.smwm.core.render.RgbImage> frames) {
            throw new UnsupportedOperationException();
        }
        @Override public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] a, int horizon,
                                              float[] out) {
            int l = horizon * 10;
            for (int row = 0; row < groups * perGroup; row++) {
                float sum = 0;
                for (int t = 0; t < horizon * 5; t++) {
                    sum += a[row * l + t * 2];
                }
                out[row] = z0[row / perGroup] + sum;
            }
            if (firstCall.isEmpty()) {
                firstCall.add(java.util.Arrays.copyOf(out, groups * perGroup));
            }
        }
        @Override public float[] unnormalise(float[] a) { return a.clone(); }
        @Override public float[] normalise(float[] a) { return a.clone(); }
    }

    private static double firstIterationDisplacementVariance(double rho) {
        DisplacementModel model = new DisplacementModel();
        PlannerConfig cfg = PlannerConfig.cem().withIterations(1).withClipSamples(false).withSamples(2000)
                .withNoiseCorrelation(rho);
        Planners.create(cfg, model, LOW, HIGH).plan(List.of(new PlanProblem(new float[] {0f}, new float[] {0f},
                null, 5L)));
        float[] d = model.firstCall.get(0);
        double s = 0, sq = 0;
        for (int n = 1; n < d.length; n++) { // row 0 is the mean
            s += d[n];
            sq += d[n] * (double) d[n];
        }
        int n = d.length - 1;
        return sq / n - (s / n) * (s / n);
    }

    @Test
    void noiseCorrelation_makesSampledDisplacementsAsWideAsAnAr1ProcessPredicts() {
        // 25 unit-variance steps: independent noise sums to variance 25; AR(1) with rho sums to
        // 25(1+rho)/(1-rho) - 2rho(1-rho^25)/(1-rho)^2, about 308 for rho = 0.9
        double white = firstIterationDisplacementVariance(0.0), ar = firstIterationDisplacementVariance(0.9);
        double expected = 25 * 1.9 / 0.1 - 2 * 0.9 * (1 - Math.pow(0.9, 25)) / 0.01;
        assertEquals(25, white, 25 * 0.1, "white noise");
        assertEquals(expected, ar, expected * 0.1, "AR(1) noise");
    }
}
