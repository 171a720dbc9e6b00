package io.smwm.core.env.pusht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.render.RgbImage;
import org.junit.jupiter.api.Test;

class PushTTest {
    /** Allowed overlap of agent and block / walls, arena units (1 = 512 px): 2.5 px of the reference world. */
    private static final double TOL = 2.5 / 512;

    private static PushT env() {
        PushT p = new PushT(EnvConfig.defaults());
        p.reset(0);
        return p;
    }

    private static float[] state(double ax, double ay, double bx, double by, double th) {
        return new float[] {(float) ax, (float) ay, 0, 0, (float) bx, (float) by, (float) th, 0, 0, 0};
    }

    @Test
    void agentPushedHardIntoBlock_neverSinksIntoIt() {
        for (double[] dir : new double[][] {{1, 0}, {0, -1}, {-1, 0.3}}) {
            PushT p = env();
            p.setState(state(0.5 - 0.3 * dir[0], 0.5 - 0.3 * dir[1], 0.5, 0.5, 0.4));
            float[] start = p.state();
            for (int t = 0; t < 150; t++) {
                p.step(new float[] {(float) dir[0], (float) dir[1]});
                assertTrue(p.agentClearance() > PushT.AGENT_R - TOL,
                        "agent overlaps block by " + (PushT.AGENT_R - p.agentClearance()) + " at step " + t);
                double[][] o = PushTPhysics.outline(p.state()[4], p.state()[5], p.state()[6], 1 / PushTPhysics.WORLD_M);
                for (int i = 0; i < 8; i++) {
                    assertTrue(o[0][i] > -TOL && o[0][i] < 1 + TOL && o[1][i] > -TOL && o[1][i] < 1 + TOL,
                            "block corner left the walls at step " + t);
                }
            }
            float[] end = p.state();
            assertTrue(Math.hypot(end[4] - start[4], end[5] - start[5]) > 0.1, "the block was pushed away");
        }
    }

    /**
     * block_mass: the agent's force limit slows it while it pushes a heavier block, by how far the push is off the
     * centre of mass (a push at the bar's tip turns the T and meets less resistance than one through its centre);
     * free motion is the same; 1 is the default, bit for bit; bad values are refused naming the key.
     */
    @Test
    void heavierBlock_slowsTheAgentInContact_dependingOnWhereItPushes() {
        PushT light = env(), def = env(), heavy = new PushT(new EnvConfig("default", 16, java.util.List.of(),
                java.util.Map.of(PushT.PARAM_BLOCK_MASS, "30")));
        PushT one = new PushT(new EnvConfig("default", 16, java.util.List.of(), java.util.Map.of(PushT.PARAM_BLOCK_MASS, "1")));
        assertEquals("30.0", heavy.spec().params().get(PushT.PARAM_BLOCK_MASS));
        assertEquals("1.0", def.spec().params().get(PushT.PARAM_BLOCK_MASS));
        // block at the centre, angle 0 (bar on top, centre of mass on the stem's axis); the agent just below the bar's
        // right tip (off-centre) or just below the stem (through the centre), pushing up
        double tipX = 0.5 + (PushTPhysics.BAR_W / 2 - 0.1) / PushTPhysics.WORLD_M;
        double barBottom = 0.5 + (PushTPhysics.BAR_Y - PushTPhysics.BAR_H / 2) / PushTPhysics.WORLD_M;
        double stemBottom = 0.5 + (PushTPhysics.STEM_Y - PushTPhysics.STEM_H / 2) / PushTPhysics.WORLD_M;
        double gap = (PushTPhysics.AGENT_R + 0.01) / PushTPhysics.WORLD_M;
        float[][] starts = {state(tipX, barBottom - gap, 0.5, 0.5, 0), state(0.5, stemBottom - gap, 0.5, 0.5, 0)};
        double[] moved = new double[2], movedLight = new double[2];
        for (int k = 0; k < 2; k++) {
            for (PushT p : new PushT[] {light, heavy, one}) {
                p.setState(starts[k]);
                for (int t = 0; t < 3; t++) {
                    p.step(new float[] {0, 0.5f});
                }
            }
            assertArrayEquals(light.state(), one.state(), "block_mass 1 is the default");
            moved[k] = heavy.state()[1] - starts[k][1];
            movedLight[k] = light.state()[1] - starts[k][1];
        }
        assertTrue(movedLight[0] > 0.9 * movedLight[1] && movedLight[1] > 0.9 * movedLight[0],
                "a light block hardly slows the agent: " + java.util.Arrays.toString(movedLight));
        assertTrue(moved[1] < 0.7 * movedLight[1], "pushing a heavy block through its centre slows the agent: "
                + java.util.Arrays.toString(moved) + " vs " + java.util.Arrays.toString(movedLight));
        assertTrue(moved[0] > 1.15 * moved[1], "a push at the tip meets less resistance than one through the centre: "
                + java.util.Arrays.toString(moved));
        heavy.setState(state(0.2, 0.2, 0.7, 0.7, 0));
        light.setState(state(0.2, 0.2, 0.7, 0.7, 0));
        heavy.step(new float[] {1, 0});
        light.step(new float[] {1, 0});
        assertArrayEquals(light.state(), heavy.state(), "free motion does not depend on the block's mass");
        for (String bad : new String[] {"0", "-2", "heavy", "NaN"}) {
            var ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new PushT(
                    new EnvConfig("default", 16, java.util.List.of(), java.util.Map.of(PushT.PARAM_BLOCK_MASS, bad))));
            assertTrue(ex.getMessage().contains(PushT.PARAM_BLOCK_MASS) && ex.getMessage().contains(bad), ex.getMessage());
        }
    }

    @Test
    void blockNotPushed_comesToRest() {
        PushT p = env();
        p.setState(new float[] {0.1f, 0.1f, 0, 0, 0.5f, 0.5f, 0.2f, 0.4f, -0.3f, 3f});
        for (int t = 0; t < 40; t++) {
            p.step(new float[] {0, 0});
        }
        float[] s = p.state();
        assertEquals(0, Math.hypot(s[7], s[8]), 1e-4);
        assertEquals(0, s[9], 1e-3);
        assertTrue(s[4] > 0.5f, "it slid before stopping");
        float[] rest = p.state();
        p.step(new float[] {0, 0});
        assertEquals(rest[4], p.state()[4], 1e-5);
        assertEquals(rest[6], p.state()[6], 1e-5);
    }

    @Test
    void zeroAction_agentHoldsItsPosition() {
        PushT p = env();
        p.setState(state(0.2, 0.8, 0.6, 0.4, 0));
        for (int t = 0; t < 10; t++) {
            p.step(new float[] {0, 0});
        }
        assertArrayEquals(new float[] {0.2f, 0.8f}, new float[] {p.state()[0], p.state()[1]}, 1e-4f);
    }

    @Test
    void action_movesAgentTowardRelativeTarget() {
        PushT p = env();
        p.setState(state(0.2, 0.8, 0.6, 0.4, 0));
        for (int t = 0; t < 3; t++) {
            p.step(new float[] {1, 0});
        }
        double dx = p.state()[0] - 0.2;
        assertTrue(dx > 0.12 && dx < 0.25, "3 steps of full action move about 3 x 0.08, got " + dx);
    }

    @Test
    void success_positionAndAngleTolerances() {
        PushT p = env();
        float[] goal = state(0.9, 0.9, 0.5, 0.5, 0.3);
        p.setState(state(0.1, 0.1, 0.53, 0.5, 0.6));
        assertTrue(p.isSuccess(goal), "3 % off and 0.3 rad: success; agent ignored");
        p.setState(state(0.9, 0.9, 0.545, 0.5, 0.3));
        assertFalse(p.isSuccess(goal), "position 23 px of 512 off");
        p.setState(state(0.9, 0.9, 0.5, 0.5, 0.3 + Math.PI / 9 + 0.01));
        assertFalse(p.isSuccess(goal), "angle just over π/9 off");
        p.setState(state(0.9, 0.9, 0.5, 0.5, Math.PI - 0.1));
        assertTrue(p.isSuccess(state(0, 0, 0.5, 0.5, -Math.PI + 0.1)), "angle difference is wrapped");
    }

    @Test
    void render_showsBlockAndAgentWhereTheStateSays() {
        PushT p = new PushT(EnvConfig.defaults().withImageSize(128));
        p.reset(0);
        p.setState(state(0.2, 0.8, 0.6, 0.4, 0));
        RgbImage img = p.render();
        assertEquals(PushT.AGENT_COLOR, img.get((int) (0.2 * 128), (int) ((1 - 0.8) * 128)));
        assertEquals(PushT.BLOCK_COLOR, img.get((int) (0.6 * 128), (int) ((1 - 0.4) * 128)));
        assertEquals(PushT.TABLE_COLOR, img.get(5, 123));
    }

    @Test
    void positionIndices_areTheAgentInArenaUnits() {
        PushT p = env();
        assertArrayEquals(new int[] {0, 1}, p.positionStateIndices());
        for (int t = 0; t < 50; t++) {
            p.step(new float[] {1, 1});
        }
        assertTrue(p.state()[0] <= 1 - PushT.AGENT_R + TOL && p.state()[1] <= 1 - PushT.AGENT_R + TOL);
    }

    @Test
    void probeFeatures_giveTheBlockAngleAsCosSinSoAWrapIsNoJump() {
        PushT p = env();
        float[] s = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 3.1f, 0.7f, 0.8f, 0.9f};
        double[] f = p.probeFeatures(s);
        assertEquals(p.probeFeatureNames().size(), f.length);
        assertEquals(11, f.length);
        assertEquals("cos_block_angle", p.probeFeatureNames().get(6));
        assertEquals(Math.cos(3.1), f[6], 1e-6);
        assertEquals(Math.sin(3.1), f[7], 1e-6);
        for (int i : new int[] {0, 1, 2, 3, 4, 5}) assertEquals(s[i], f[i], 1e-7, "feature " + i);
        for (int i : new int[] {7, 8, 9}) assertEquals(s[i], f[i + 1], 1e-7, "feature " + (i + 1));
        // the same pose either side of the wrap: features within 0.1, where the raw angle jumps by about 2π
        float[] t = s.clone();
        t[6] = -3.1f;
        double[] g = p.probeFeatures(t);
        assertTrue(Math.abs(f[6] - g[6]) < 0.1 && Math.abs(f[7] - g[7]) < 0.1);
    }

    /**
     * success_agent: the goal error gains the agent's distance in px, and success then wants it below 20 px too; the
     * default test and its metadata are as before; anything but true or false is refused.
     */
    @Test
    void successAgent_addsTheAgentsDistanceToTheSuccessTest() {
        PushT block = env();
        PushT both = new PushT(new EnvConfig("default", 16, java.util.List.of(),
                java.util.Map.of(PushT.PARAM_SUCCESS_AGENT, "true")));
        both.reset(0);
        float[] here = state(0.2, 0.2, 0.5, 0.5, 0.4), goal = state(0.3, 0.2, 0.51, 0.5, 0.45);
        block.setState(here);
        both.setState(here);
        assertEquals(java.util.List.of(PushT.GOAL_ERROR_POSITION, PushT.GOAL_ERROR_ANGLE), block.goalErrorSpec().names());
        assertEquals(java.util.List.of(PushT.GOAL_ERROR_POSITION, PushT.GOAL_ERROR_ANGLE, PushT.GOAL_ERROR_AGENT),
                both.goalErrorSpec().names());
        double[] e = both.goalError(goal);
        assertArrayEquals(block.goalError(goal), java.util.Arrays.copyOf(e, 2), 1e-12);
        assertEquals(0.1 * 512, e[2], 1e-4, "the agent is 0.1 = 51.2 px from the goal's");
        assertTrue(block.isSuccess(goal), "the block is 5 px and 0.05 rad from the goal");
        assertFalse(both.isSuccess(goal), "the agent is not");
        goal[0] = 0.2f + 19f / 512;
        assertTrue(both.isSuccess(goal), "the agent 19 px away");
        assertEquals("true", both.spec().params().get(PushT.PARAM_SUCCESS_AGENT));
        assertFalse(block.spec().params().containsKey(PushT.PARAM_SUCCESS_AGENT), "default tables keep their metadata");
        var bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new PushT(
                new EnvConfig("default", 16, java.util.List.of(), java.util.Map.of(PushT.PARAM_SUCCESS_AGENT, "yes"))));
        assertTrue(bad.getMessage().contains("success_agent must be true or false"), bad.getMessage());
    }
}
