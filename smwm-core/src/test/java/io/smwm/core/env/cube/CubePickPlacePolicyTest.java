package io.smwm.core.env.cube;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.catalog.Coverages;
import io.smwm.core.env.catalog.Environments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The "pick-place" data policy: what it covers (against "scripted"), bounds, physics envelope, determinism. */
class CubePickPlacePolicyTest {
    private static final double PEN = 0.005;
    private static final String WINDOWS = "share_windows25_cube_moved";
    private static final String PLACED = "share_episodes_cube_placed_elsewhere";

    /**
     * 100 episodes x 100 steps seeded as {@link Coverages#rollout} seeds them (env seed e, policy stream 1000 + e),
     * checking every action and state on the way; returns each episode's states.
     */
    private static List<float[][]> rollout(BehaviourPolicy p, int episodes, int steps) {
        Cube c = new Cube(EnvConfig.defaults());
        List<float[][]> out = new ArrayList<>();
        for (int e = 0; e < episodes; e++) {
            c.reset(e);
            p.reset(c, new SplittableRandom(1000 + e));
            float[][] s = new float[steps + 1][];
            s[0] = c.state();
            for (int t = 0; t < steps; t++) {
                float[] a = p.act(c);
                String at = p.name() + " episode " + e + " step " + t + ": ";
                assertEquals(5, a.length, at);
                for (float v : a) {
                    assertTrue(v >= -1f && v <= 1f, at + "action out of [-1, 1]: " + Arrays.toString(a));
                }
                c.step(a);
                s[t + 1] = c.state();
                float[] x = s[t + 1];
                assertTrue(Math.abs(x[8]) < 0.35 && Math.abs(x[9]) < 0.35 && x[10] < 0.35, at + "cube left the scene");
                assertTrue(Math.sqrt(x[15] * x[15] + x[16] * x[16] + x[17] * x[17]) < 2, at + "cube thrown");
                assertTrue(c.cubeLowestCorner() > -PEN, at + "cube below the table");
                assertTrue(x[2] - CubePhysics.FINGER_H / 2 > -PEN, at + "fingers below the table");
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Measured on these seeds: pick-place grasped 1.0, lifted 1.0, placed elsewhere 0.38, 25-step windows moved
     * 0.961; scripted 1.0, 0.99, 0.34, 0.869. The thresholds leave room for small physics changes, not for losing
     * the point of the policy: most windows (the evaluation pairs) show the cube moving. The share of episodes that
     * end placed elsewhere is about the same for both policies (0.42 and 0.38 over 300 episodes; neither knows when
     * an episode ends), so it is only held above a floor.
     */
    @Test
    void pickPlace_movesTheCubeInMoreWindowsThanScripted_andGraspsLiftsAndPlaces() {
        Map<String, Double> pp = Coverages.of(Cube.ID, "default", rollout(new CubePickPlacePolicy(), 100, 100));
        Map<String, Double> sc = Coverages.of(Cube.ID, "default", rollout(new CubeScriptedPolicy(), 100, 100));
        String both = "pick-place " + pp + "; scripted " + sc;
        assertTrue(pp.get("share_episodes_cube_grasped") >= 0.95, both);
        assertTrue(pp.get("share_episodes_cube_lifted") >= 0.95, both);
        assertTrue(pp.get(PLACED) >= 0.3, both);
        assertTrue(pp.get(WINDOWS) >= 0.92, both);
        assertTrue(pp.get(WINDOWS) >= sc.get(WINDOWS) + 0.05, "more non-trivial windows than scripted: " + both);
    }

    @Test
    void sameStreams_giveSameActions_otherStreamsOthers() {
        float[][] a = actions(3, 11), b = actions(3, 11), c = actions(3, 12);
        for (int t = 0; t < a.length; t++) {
            assertArrayEquals(a[t], b[t], "step " + t);
        }
        assertFalse(Arrays.deepEquals(a, c), "another policy stream gives another episode");
    }

    private static float[][] actions(long envSeed, long policySeed) {
        Cube c = new Cube(EnvConfig.defaults());
        BehaviourPolicy p = Environments.policy(Cube.ID, CubePickPlacePolicy.NAME);
        c.reset(envSeed);
        p.reset(c, new SplittableRandom(policySeed));
        float[][] out = new float[80][];
        for (int t = 0; t < out.length; t++) {
            out[t] = p.act(c);
            c.step(out[t]);
        }
        return out;
    }

    @Test
    void registered_asPickPlace_withScriptedStillTheDefault() {
        assertEquals(CubePickPlacePolicy.NAME, Environments.policy(Cube.ID, "pick-place").name());
        assertEquals("scripted", Environments.task(Cube.ID).defaultPolicy());
        assertEquals("scripted", Environments.policy(Cube.ID, null).name());
    }
}
