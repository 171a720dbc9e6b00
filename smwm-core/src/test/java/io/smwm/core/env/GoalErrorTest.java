package io.smwm.core.env;

import io.smwm.core.env.catalog.Environments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.cube.Cube;
import io.smwm.core.env.dotworld.DotWorld;
import io.smwm.core.env.pusht.PushT;
import io.smwm.core.env.reacher.Reacher;
import io.smwm.core.env.tworoom.TwoRoom;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * Each task's goal error against its success test, on random start states and goals drawn around the success
 * thresholds: the error is the documented metric (written out here independently of the env's code), and
 * {@code isSuccess} holds exactly when every error component is below its threshold, which is also the task's
 * documented criterion.
 */
class GoalErrorTest {
    private static final int TRIALS = 2000;

    /** Builds a goal near the current state (so that both outcomes occur) from the current state and a stream. */
    private interface GoalMaker {
        float[] goal(float[] current, SplittableRandom rng);
    }

    private static Environment make(String id, String variant) {
        return Environments.create(id, new EnvConfig(variant, 32, List.of(), Map.of()));
    }

    /**
     * Over TRIALS random (state, goal) pairs: goalError == reference error (exactly), isSuccess == every component
     * below its threshold == the reference criterion, and both outcomes occur at least TRIALS / 10 times.
     */
    private static void check(Environment env, List<String> names, double[] thresholds, GoalMaker goals,
                              BiFunction<float[], float[], double[]> referenceError,
                              BiPredicate<float[], float[]> referenceSuccess) {
        GoalErrorSpec spec = env.goalErrorSpec();
        assertEquals(names, spec.names());
        assertArrayEquals(thresholds, spec.thresholds());
        SplittableRandom rng = new SplittableRandom(17);
        int successes = 0;
        for (int i = 0; i < TRIALS; i++) {
            env.reset(i);
            float[] current = env.state();
            float[] goal = goals.goal(current, rng);
            double[] err = env.goalError(goal);
            assertArrayEquals(referenceError.apply(current, goal), err, 1e-12, "trial " + i);
            boolean under = true;
            for (int k = 0; k < err.length; k++) {
                assertTrue(err[k] >= 0 && Double.isFinite(err[k]), names.get(k) + " = " + err[k]);
                under &= err[k] < thresholds[k];
            }
            boolean ok = env.isSuccess(goal);
            assertEquals(under, ok, "trial " + i + ": errors " + java.util.Arrays.toString(err));
            assertEquals(referenceSuccess.test(current, goal), ok, "trial " + i + ": the documented criterion");
            successes += ok ? 1 : 0;
        }
        assertTrue(successes > TRIALS / 10 && successes < TRIALS - TRIALS / 10,
                "both outcomes are exercised: " + successes + " successes of " + TRIALS);
        assertThrows(IllegalArgumentException.class, () -> env.goalError(new float[env.spec().stateDim() + 1]));
    }

    /** x + uniform(-r, r). */
    private static float jitter(double x, double r, SplittableRandom rng) {
        return (float) (x + (2 * rng.nextDouble() - 1) * r);
    }

    private static double wrap(double a) {
        double r = a % (2 * Math.PI);
        r = r > Math.PI ? r - 2 * Math.PI : r <= -Math.PI ? r + 2 * Math.PI : r;
        return r;
    }

    @Test
    void tworoom_agentDistance_belowTheSuccessRadius() {
        double r = TwoRoom.SUCCESS_RADIUS;
        check(make("tworoom", "default"), List.of("agent_distance"), new double[] {r},
                (s, rng) -> new float[] {jitter(s[0], 1.6 * r, rng), jitter(s[1], 1.6 * r, rng)},
                (s, g) -> new double[] {Math.sqrt(((double) s[0] - g[0]) * ((double) s[0] - g[0])
                        + ((double) s[1] - g[1]) * ((double) s[1] - g[1]))},
                (s, g) -> Math.hypot((double) s[0] - g[0], (double) s[1] - g[1]) < r);
    }

    @Test
    void reacher_largestWrappedJointError_belowTolerance_velocitiesIgnored() {
        double tol = Reacher.SUCCESS_TOL;
        // goals across the ±π seam too: the error is the wrapped difference
        check(make("reacher", "default"), List.of("max_joint_error_rad"), new double[] {tol},
                (s, rng) -> new float[] {(float) wrap(jitter(s[0], 1.5 * tol, rng)),
                        (float) wrap(jitter(s[1], 1.5 * tol, rng)), jitter(0, 5, rng), jitter(0, 5, rng)},
                (s, g) -> new double[] {Math.max(Math.abs(wrap((double) s[0] - g[0])),
                        Math.abs(wrap((double) s[1] - g[1])))},
                (s, g) -> Math.abs(wrap((double) s[0] - g[0])) < tol && Math.abs(wrap((double) s[1] - g[1])) < tol);
        Environment env = make("reacher", "default");
        env.setState(new float[] {(float) (Math.PI - 0.01), 0f, 0f, 0f});
        assertEquals(0.02, env.goalError(new float[] {(float) (-Math.PI + 0.01), 0f, 3f, -3f})[0], 1e-6,
                "across the seam");
    }

    @Test
    void pusht_blockPositionInPxAndAngle_bothBelowThresholds_agentIgnored() {
        double pos = PushT.SUCCESS_POS, ang = PushT.SUCCESS_ANGLE;
        check(make("pusht", "default"), List.of("block_position_error_px", "block_angle_error_rad"),
                new double[] {20.0, Math.PI / 9},
                (s, rng) -> {
                    float[] g = s.clone();
                    g[0] = jitter(0.5, 0.4, rng); // the agent is ignored
                    g[4] = jitter(s[4], 1.1 * pos, rng);
                    g[5] = jitter(s[5], 1.1 * pos, rng);
                    g[6] = (float) wrap(jitter(s[6], 1.3 * ang, rng));
                    return g;
                },
                (s, g) -> new double[] {512 * Math.hypot((double) s[4] - g[4], (double) s[5] - g[5]),
                        Math.abs(wrap((double) s[6] - g[6]))},
                (s, g) -> Math.hypot((double) s[4] - g[4], (double) s[5] - g[5]) < 20.0 / 512
                        && Math.abs(wrap((double) s[6] - g[6])) < Math.PI / 9);
    }

    @Test
    void cube_cubeCentreDistance_belowFourCentimetres_gripperIgnored() {
        double d = Cube.SUCCESS_DIST;
        check(make("cube", "default"), List.of("cube_distance_m"), new double[] {0.04},
                (s, rng) -> {
                    float[] g = s.clone();
                    g[0] = jitter(0, 0.15, rng); // the gripper is ignored
                    g[21] = 1f;
                    for (int i = 8; i <= 10; i++) {
                        g[i] = jitter(s[i], 0.9 * d, rng);
                    }
                    return g;
                },
                (s, g) -> new double[] {Math.sqrt(sq(s[8] - (double) g[8]) + sq(s[9] - (double) g[9])
                        + sq(s[10] - (double) g[10]))},
                (s, g) -> Math.sqrt(sq(s[8] - (double) g[8]) + sq(s[9] - (double) g[9])
                        + sq(s[10] - (double) g[10])) < 0.04);
    }

    @Test
    void dotworld_largestControllableDotDistance_randomDotIgnored() {
        double r = DotWorld.SUCCESS_RADIUS;
        // combined: a coupled pair (dots 0, 1), two independent dots (2, 3) and a random dot (4)
        Environment env = make("dotworld", "combined");
        int[] ctrl = env.controllableStateIndices();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, ctrl);
        check(env, List.of("max_dot_distance"), new double[] {r},
                (s, rng) -> {
                    float[] g = s.clone();
                    for (int i = 0; i < g.length; i++) {
                        g[i] = i >= 8 ? jitter(0.5, 0.4, rng) : jitter(s[i], r, rng);
                    }
                    return g;
                },
                (s, g) -> {
                    double worst = 0;
                    for (int i = 0; i < 8; i += 2) {
                        worst = Math.max(worst, Math.sqrt(sq(s[i] - (double) g[i]) + sq(s[i + 1] - (double) g[i + 1])));
                    }
                    return new double[] {worst};
                },
                (s, g) -> {
                    for (int i = 0; i < 8; i += 2) {
                        if (!(Math.hypot(s[i] - (double) g[i], s[i + 1] - (double) g[i + 1]) < r)) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    @Test
    void spec_rejectsMismatchedOrBadThresholds_andMapsErrorsByName() {
        assertThrows(IllegalArgumentException.class, () -> new GoalErrorSpec(List.of("a", "b"), new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new GoalErrorSpec(List.of("a"), new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new GoalErrorSpec(List.of("a", "a"), new double[] {1, 1}));
        GoalErrorSpec s = new GoalErrorSpec(List.of("pos", "angle"), new double[] {2, 1});
        assertTrue(s.isMet(new double[] {1.9, 0.9}));
        assertTrue(!s.isMet(new double[] {2, 0.9}), "strictly below");
        assertEquals(List.of("pos", "angle"), List.copyOf(s.toMap(new double[] {3, 4}).keySet()));
        assertEquals(4.0, s.toMap(new double[] {3, 4}).get("angle"));
        assertThrows(IllegalArgumentException.class, () -> s.isMet(new double[] {1}));
    }

    private static double sq(double v) {
        return v * v;
    }
}
