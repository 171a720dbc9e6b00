package io.smwm.core.env.dotworld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.render.RgbImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotWorldTest {
    private static final float EPS = 1e-6f;

    private static DotWorld world(String variant) {
        return new DotWorld(EnvConfig.defaults().withVariant(variant));
    }

    private static DotWorld layout(String layout) {
        return new DotWorld(new EnvConfig("single", 64, List.of(), Map.of("layout", layout)));
    }

    @Test
    void independentVariant_eachActionPairMovesItsOwnDotBy16PxPerUnit() {
        DotWorld env = world("independent");
        env.reset(0);
        env.setState(new float[] {0.5f, 0.5f, 0.3f, 0.6f});
        env.step(new float[] {0.5f, -0.25f, 0f, 0f});
        assertArrayEquals(new float[] {0.5f + 0.125f, 0.5f - 0.0625f, 0.3f, 0.6f}, env.state(), EPS);
        env.step(new float[] {0f, 0f, -1f, 1f});
        assertArrayEquals(new float[] {0.625f, 0.4375f, 0.05f, 0.85f}, env.state(), EPS);
    }

    @Test
    void coupledPair_bothDotsMoveByTheSharedDisplacement() {
        DotWorld env = world("coupled");
        env.reset(0);
        assertEquals(4, env.spec().stateDim());
        env.setState(new float[] {0.2f, 0.3f, 0.6f, 0.7f});
        env.step(new float[] {0.4f, -0.2f});
        assertArrayEquals(new float[] {0.3f, 0.25f, 0.7f, 0.65f}, env.state(), EPS);
    }

    @Test
    void combinedVariant_actionLayoutIsPairThenTwoIndependents_randomDotMovesAlone() {
        DotWorld env = world("combined");
        env.reset(4);
        assertEquals(10, env.spec().stateDim());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, env.controllableStateIndices());
        assertArrayEquals(new int[] {8, 9}, env.randomStateIndices());
        env.setState(new float[] {0.5f, 0.5f, 0.4f, 0.4f, 0.3f, 0.3f, 0.7f, 0.7f, 0.5f, 0.5f});
        env.step(new float[] {0.1f, 0f, 0f, 0.2f, -0.3f, 0f});
        float[] s = env.state();
        assertArrayEquals(new float[] {0.525f, 0.5f, 0.425f, 0.4f, 0.3f, 0.35f, 0.625f, 0.7f},
                java.util.Arrays.copyOf(s, 8), EPS);
        assertTrue(s[8] != 0.5f || s[9] != 0.5f, "random dot should move");
    }

    @Test
    void randomDot_movesWithoutAction_withinMaxStep_staticDotNeverMoves() {
        DotWorld env = layout("i,r,s");
        assertEquals(2, env.spec().actionDim());
        assertArrayEquals(new int[] {0, 1}, env.controllableStateIndices());
        env.reset(9);
        float[] prev = env.state();
        int randomMoves = 0;
        for (int t = 0; t < 200; t++) {
            env.step(new float[] {0f, 0f});
            float[] s = env.state();
            assertEquals(prev[0], s[0]);
            assertEquals(prev[1], s[1]);
            assertEquals(prev[4], s[4], "static dot x");
            assertEquals(prev[5], s[5], "static dot y");
            assertTrue(Math.abs(s[2] - prev[2]) <= DotWorld.MAX_STEP + EPS);
            assertTrue(Math.abs(s[3] - prev[3]) <= DotWorld.MAX_STEP + EPS);
            if (s[2] != prev[2] || s[3] != prev[3]) {
                randomMoves++;
            }
            prev = s;
        }
        assertTrue(randomMoves > 190, "random dot moved in " + randomMoves + " of 200 steps");
    }

    @Test
    void dots_areClampedInsideTheFrame() {
        DotWorld env = world("single");
        env.reset(1);
        for (int t = 0; t < 10; t++) {
            env.step(new float[] {1f, -1f});
        }
        assertArrayEquals(new float[] {(float) (1 - DotWorld.RADIUS), (float) DotWorld.RADIUS}, env.state(), EPS);
        // the dot is fully drawn inside the frame: the top-right corner pixel region is coloured near the edge
        RgbImage img = env.render();
        assertNotEquals(0xffffff, img.get(62, 1));
        assertEquals(0xffffff, img.get(58, 6));
    }

    @Test
    void render_dotsAreDistinctColoursOnWhite_radiusScalesWithImageSize() {
        for (int size : new int[] {64, 128}) {
            DotWorld env = new DotWorld(new EnvConfig("independent", size, List.of(), Map.of()));
            env.reset(0);
            env.setState(new float[] {0.25f, 0.25f, 0.75f, 0.75f});
            RgbImage img = env.render();
            assertEquals(size, img.width());
            int c0 = img.get(size / 4, size / 4), c1 = img.get(3 * size / 4, 3 * size / 4);
            assertNotEquals(c0, c1);
            assertNotEquals(0xffffff, c0);
            assertEquals(0xffffff, img.get(0, 0));
            int r = (int) Math.round(DotWorld.RADIUS * size);
            assertEquals(c0, img.get(size / 4 + r - 2, size / 4), "inside the radius at " + size);
            assertEquals(0xffffff, img.get(size / 4 + r + 1, size / 4), "outside the radius at " + size);
        }
    }

    @Test
    void success_onlyControllableDotsWithin005Count() {
        DotWorld env = world("distractor");
        env.reset(0);
        env.setState(new float[] {0.5f, 0.5f, 0.1f, 0.1f});
        assertTrue(env.isSuccess(new float[] {0.53f, 0.53f, 0.9f, 0.9f}), "random dot far away is ignored");
        assertFalse(env.isSuccess(new float[] {0.54f, 0.54f, 0.1f, 0.1f}), "0.0566 away is a failure");
        DotWorld comb = world("combined");
        comb.reset(0);
        float[] s = {0.2f, 0.2f, 0.3f, 0.3f, 0.4f, 0.4f, 0.6f, 0.6f, 0.9f, 0.9f};
        comb.setState(s);
        assertTrue(comb.isSuccess(s));
        float[] g = s.clone();
        g[7] += 0.06f; // the second independent dot is off
        assertFalse(comb.isSuccess(g));
        g = s.clone();
        g[8] = 0.1f; // only the random dot differs
        assertTrue(comb.isSuccess(g));
    }

    @Test
    void badLayoutOrState_isAnErrorNamingTheProblem() {
        var ex = assertThrows(IllegalArgumentException.class, () -> layout("i,x"));
        assertTrue(ex.getMessage().contains("'x'"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layout("r,s"));
        DotWorld env = world("single");
        env.reset(0);
        assertThrows(IllegalArgumentException.class, () -> env.setState(new float[] {0.5f}));
        var ex2 = assertThrows(IllegalArgumentException.class, () -> env.setState(new float[] {0.5f, 1.5f}));
        assertTrue(ex2.getMessage().contains("dot0_independent_y"), ex2.getMessage());
    }

    @Test
    void stateNames_documentTheLayout() {
        assertEquals(List.of("dot0_coupled_x", "dot0_coupled_y", "dot1_coupled_x", "dot1_coupled_y",
                "dot2_independent_x", "dot2_independent_y", "dot3_independent_x", "dot3_independent_y",
                "dot4_random_x", "dot4_random_y"), world("combined").spec().stateNames());
    }

    @Test
    void centralStart_placesEveryDotWhereOneStepCannotReachTheBorder_anywhereUsesTheWholeFrame() {
        DotWorld central = new DotWorld(new EnvConfig("combined", 64, List.of(), Map.of("start", "central")));
        DotWorld anywhere = world("combined");
        double lo = DotWorld.RADIUS + DotWorld.MAX_STEP, hi = 1 - lo;
        double minC = 1, maxC = 0, minA = 1, maxA = 0;
        for (long seed = 0; seed < 300; seed++) {
            central.reset(seed);
            anywhere.reset(seed);
            for (float v : central.state()) {
                assertTrue(v >= lo - EPS && v <= hi + EPS, "central start " + v + " outside [" + lo + ", " + hi + "]");
                minC = Math.min(minC, v);
                maxC = Math.max(maxC, v);
            }
            for (float v : anywhere.state()) {
                minA = Math.min(minA, v);
                maxA = Math.max(maxA, v);
            }
        }
        assertTrue(minC < lo + 0.02 && maxC > hi - 0.02, "central starts fill their range: " + minC + ".." + maxC);
        assertTrue(minA < lo - 0.1 && maxA > hi + 0.1, "default starts use the whole frame: " + minA + ".." + maxA);
        assertEquals("central", central.spec().params().get("start"));
        assertEquals("anywhere", anywhere.spec().params().get("start"));
        // one step of any action from a central start is never clamped
        central.reset(7);
        float[] s0 = central.state();
        central.step(new float[] {1f, -1f, -1f, 1f, 1f, 1f});
        float[] s1 = central.state();
        assertEquals(s0[0] + DotWorld.MAX_STEP, s1[0], EPS);
        assertEquals(s0[1] - DotWorld.MAX_STEP, s1[1], EPS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DotWorld(new EnvConfig("single", 64, List.of(), Map.of("start", "edge"))));
        assertTrue(e.getMessage().contains("anywhere") && e.getMessage().contains("central"), e.getMessage());
    }
}
