package io.smwm.core.plan.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.env.reacher.Reacher;
import io.smwm.core.eval.EvalConfig;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.Evaluator;
import io.smwm.core.eval.MethodResult;
import io.smwm.core.eval.StartGoalPair;
import io.smwm.core.plan.PlannerConfig;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ReacherOracleModelTest {
    static final Supplier<Environment> REACHER = () -> Environments.create("reacher", EnvConfig.defaults());
    static final float[] MEAN = {0f, 0f}, STD = {0.7f, 0.7f};

    @Test
    void angles_readFromThePixels_toAFewThousandthsOfARadian() {
        ReacherOracleModel m = new ReacherOracleModel("dmc", 1, 5, MEAN, STD);
        Reacher env = new Reacher(EnvConfig.defaults());
        env.reset(0);
        SplittableRandom r = new SplittableRandom(3);
        double worst = 0;
        double[] errs = new double[200];
        for (int i = 0; i < 200; i++) {
            float q1 = (float) ((r.nextDouble() * 2 - 1) * Math.PI), q2 = (float) ((r.nextDouble() * 2 - 1) * 2.4);
            env.setState(new float[] {q1, q2, 0f, 0f});
            double[] q = m.angles(env.render());
            worst = Math.max(worst, Math.abs(Math.atan2(Math.sin(q[0] - q1), Math.cos(q[0] - q1))));
            worst = Math.max(worst, Math.abs(Math.atan2(Math.sin(q[1] - q2), Math.cos(q[1] - q2))));
            errs[i] = Math.abs(Math.atan2(Math.sin(q[1] - q2), Math.cos(q[1] - q2)));
        }
        java.util.Arrays.sort(errs);
        assertTrue(errs[100] < 0.002, "median wrist error " + errs[100]);
        assertTrue(worst < 0.03, "largest angle error " + worst);
    }

    @Test
    void rollout_isTheEnvsDynamics_fromTheVelocityOneModelStepBack() {
        ReacherOracleModel m = new ReacherOracleModel("dmc", 2, 5, MEAN, STD);
        Reacher env = new Reacher(EnvConfig.defaults());
        float[] start = {0.3f, -0.4f, 0f, 0f};
        float[][] push = new float[5][];
        for (int s = 0; s < 5; s++) {
            push[s] = new float[] {1f, -0.5f};
        }
        float[] moved = env.simulate(start, push); // moving after one model step of torque
        float[][] plan = new float[5][];
        for (int s = 0; s < 5; s++) {
            plan[s] = new float[] {0f, 0f};
        }
        float[] expected = env.simulate(moved, plan);
        // context [z(start), z(moved)]: the finite-difference velocity, then one model step of zero action
        float[] z0 = new float[8];
        System.arraycopy(features(start), 0, z0, 0, 4);
        System.arraycopy(features(moved), 0, z0, 4, 4);
        float[] out = new float[4];
        m.rolloutTerminal(z0, 1, 1, m.normalise(new float[10]), 1, out);
        float[] still = env.simulate(new float[] {moved[0], moved[1], 0f, 0f}, plan);
        assertTrue(Math.abs(Math.atan2(out[1], out[0]) - expected[0]) < 0.1, "coasts on like the arm");
        assertTrue(Math.abs(moved[0] - still[0]) < 1e-6, "at rest it stays");
        assertTrue(Math.abs(expected[0] - moved[0]) > 0.05, "the arm does coast in this case");
        assertEquals(4, m.latentDim());
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, m.unnormalise(m.normalise(new float[4])), 1e-6f);
    }

    private static float[] features(float[] s) {
        return new float[] {(float) Math.cos(s[0]), (float) Math.sin(s[0]), (float) Math.cos(s[1]),
                (float) Math.sin(s[1])};
    }

    /**
     * The single-frame ceiling: on pairs that start while the arm moves (as a table's pairs do), a perfect model that
     * cannot see velocity plans worse than one that infers it from the frame one model step back.
     */
    @Test
    void contextTwoOracle_plansToMostGoals_andBeatsTheSingleFrameOracle() {
        List<StartGoalPair> pairs = movingStarts(20, 11L);
        MethodResult c1 = cem(new ReacherOracleModel("dmc", 1, 5, MEAN, STD), pairs);
        MethodResult c2 = cem(new ReacherOracleModel("dmc", 2, 5, MEAN, STD), pairs);
        System.out.printf("reacher oracle on moving starts: context 1 %d/20, context 2 %d/20%n", c1.successes(),
                c2.successes());
        assertTrue(c2.successRate() >= 0.75, "context 2: " + c2.successes());
        assertTrue(c2.successes() > c1.successes(), c1.successes() + " vs " + c2.successes());
    }

    /** Pairs like a reach table's: 10 to 40 steps into an episode (the arm often moving), the goal 25 steps on. */
    static List<StartGoalPair> movingStarts(int n, long seed) {
        List<StartGoalPair> out = new java.util.ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            Environment env = REACHER.get();
            env.reset(seed + i);
            io.smwm.core.env.BehaviourPolicy p = Environments.policy("reacher", "reach");
            p.reset(env, new SplittableRandom(seed * 31 + i));
            int burn = 10 + r.nextInt(31);
            List<io.smwm.core.render.RgbImage> frames = new java.util.ArrayList<>();
            frames.add(env.render());
            for (int t = 0; t < burn; t++) {
                frames.add(env.step(p.act(env)).observation());
            }
            float[] start = env.state();
            io.smwm.core.render.RgbImage goal = null;
            for (int t = 0; t < 25; t++) {
                goal = env.step(p.act(env)).observation();
            }
            out.add(new StartGoalPair("moving" + i, start, new float[0], goal, env.state(), 25, null,
                    frames.subList(frames.size() - 6, frames.size() - 1)));
        }
        return out;
    }

    private static MethodResult cem(ReacherOracleModel m, List<StartGoalPair> pairs) {
        EvalConfig cfg = EvalConfig.defaults().withEpisodes(pairs.size()).withRandomBaseline(false);
        Evaluator ev = new Evaluator(REACHER, m, cfg);
        PlannerConfig pc = PlannerConfig.cem();
        EvaluationReport rep = ev.report(java.util.Map.of("cem", pc), List.of(new FixedPairs(pairs)),
                List.of(ev.runSlice(java.util.Map.of("cem", pc), pairs, 0, 25)));
        return rep.results().get(0);
    }

    /** A pair source that hands out the given pairs. */
    private record FixedPairs(List<StartGoalPair> pairs) implements io.smwm.core.eval.PairSource {
        @Override public int goalOffset() { return 25; }
        @Override public List<StartGoalPair> sample(int n, long seed) { return pairs.subList(0, n); }
        @Override public String description() { return "fixed"; }
    }
}
