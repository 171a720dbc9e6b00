package io.smwm.core.env.reacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.render.RgbImage;
import org.junit.jupiter.api.Test;

class ReacherTest {

    private static Reacher env() {
        Reacher r = new Reacher(EnvConfig.defaults());
        r.reset(0);
        return r;
    }

    @Test
    void fullTorqueForLong_keepsAnglesWrapped() {
        Reacher r = env();
        for (int t = 0; t < 400; t++) {
            r.step(new float[] {1f, t % 100 < 50 ? 1f : -1f});
            float[] s = r.state();
            for (int i = 0; i < 2; i++) {
                assertTrue(s[i] > -Math.PI && s[i] <= (float) Math.PI, "q" + (i + 1) + "=" + s[i] + " at " + t);
            }
        }
        assertTrue(Math.abs(r.state()[2]) > 1, "full torque spins the shoulder");
    }

    @Test
    void zeroTorque_dampingBringsArmToRest() {
        Reacher r = env();
        r.setState(new float[] {0.5f, -1f, 6f, -8f});
        for (int t = 0; t < 300; t++) {
            r.step(new float[] {0f, 0f});
        }
        float[] s = r.state();
        assertEquals(0, s[2], 1e-3);
        assertEquals(0, s[3], 1e-3);
        float[] before = r.state();
        r.step(new float[] {0f, 0f});
        assertEquals(before[0], r.state()[0], 1e-4);
    }

    @Test
    void torqueOnElbow_reactsOnShoulder() {
        Reacher r = env();
        r.setState(new float[] {0f, 0.3f, 0f, 0f});
        r.step(new float[] {0f, 1f});
        assertTrue(r.state()[3] > 0);
        assertTrue(r.state()[2] < 0, "coupled inertia: the shoulder counter-rotates");
    }

    @Test
    void success_withinToleranceOnBothJoints() {
        Reacher r = env();
        float[] goal = {1f, -2f, 0f, 0f};
        r.setState(new float[] {1.04f, -2.04f, 3f, -3f});
        assertTrue(r.isSuccess(goal), "velocities are ignored");
        r.setState(new float[] {1.06f, -2f, 0f, 0f});
        assertFalse(r.isSuccess(goal), "shoulder 0.06 rad off");
        r.setState(new float[] {1f, -1.94f, 0f, 0f});
        assertFalse(r.isSuccess(goal), "elbow 0.06 rad off");
    }

    @Test
    void success_usesWrappedDifference() {
        Reacher r = env();
        r.setState(new float[] {(float) (Math.PI - 0.01), (float) (-Math.PI + 0.01), 0f, 0f});
        assertTrue(r.isSuccess(new float[] {(float) (-Math.PI + 0.02), (float) (Math.PI - 0.02), 0f, 0f}));
    }

    @Test
    void render_drawsBothLinksInDistinctColours() {
        Reacher r = new Reacher(EnvConfig.defaults().withImageSize(128));
        r.reset(0);
        r.setState(new float[] {0f, (float) (Math.PI / 2), 0f, 0f});
        RgbImage img = r.render();
        assertEquals(Reacher.LINK1_COLOR, img.get(64 + 20, 64), "link 1 along +x");
        assertEquals(Reacher.LINK2_COLOR, img.get(91, 50), "link 2 up from the elbow");
        RgbImage before = img.copy();
        r.setState(new float[] {0.01f, (float) (Math.PI / 2), 0f, 0f});
        assertNotEquals(before, r.render(), "a 0.01 rad turn changes pixels");
    }

    @Test
    void heavyVariant_reproducesTheFirstArmBitForBit() {
        Reacher r = new Reacher(EnvConfig.defaults().withVariant("heavy"));
        r.reset(0);
        r.setState(new float[] {0.5f, -1f, 0f, 0f});
        for (int t = 0; t < 200; t++) {
            r.step(new float[] {(float) Math.sin(t * 0.1), t % 40 < 20 ? 1f : -0.5f});
        }
        // the final state of this action sequence under the project's first arm (computed with that code)
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                new float[] {1.059435f, 2.548734f, 2.2081873f, -2.0245073f}, r.state());
        assertEquals("heavy", r.spec().variant());
        assertEquals("0.05", r.spec().params().get("dt_s"));
    }

    @Test
    void dmcVariant_isTheDefault_withDmcConstants() {
        Reacher r = env();
        assertEquals("dmc", r.spec().variant());
        assertEquals("0.02", r.spec().params().get("dt_s"));
        assertEquals("0.05", r.spec().params().get("max_torque_nm"));
        assertEquals("0.01", r.spec().params().get("damping_nms"));
        // capsule of radius 0.01 m, length 0.12 m, density 1000: 4.189e-5 m^3
        assertEquals(0.0418879, ReacherDynamics.DMC.m1, 1e-6);
    }

    @Test
    void dmcVariant_wristVelocityFollowsTorqueWithinAStep_shoulderWithinTen() {
        Reacher r = env();
        r.setState(new float[] {0f, 0f, 0f, 0f});
        r.step(new float[] {0f, 1f});
        r.step(new float[] {0f, 1f});
        float w2 = r.state()[3];
        for (int t = 0; t < 3; t++) {
            r.step(new float[] {0f, 1f});
        }
        assertEquals(r.state()[3], w2, 0.1 * Math.abs(w2), "wrist at its steady speed after two steps");
        r.setState(new float[] {0f, 0f, 0f, 0f});
        float[] speeds = new float[30];
        for (int t = 0; t < 30; t++) {
            r.step(new float[] {1f, 0f});
            speeds[t] = Math.abs(r.state()[2]);
        }
        assertTrue(speeds[0] < 0.3 * speeds[29], "the shoulder accelerates over several steps");
        assertTrue(speeds[14] > 0.8 * speeds[29], "and is near its steady speed within fifteen steps");
    }

    @Test
    void dmcVariant_wristStopsAtItsLimit() {
        Reacher r = env();
        r.setState(new float[] {0f, 2.7f, 0f, 0f});
        for (int t = 0; t < 50; t++) {
            r.step(new float[] {0f, 1f});
        }
        assertEquals(Math.toRadians(160), r.state()[1], 1e-5);
        assertTrue(r.state()[3] <= 0, "no velocity into the stop");
        for (int t = 0; t < 20; t++) {
            r.step(new float[] {0f, -1f});
        }
        assertTrue(r.state()[1] < 2.7f, "and leaves it when pushed back");
    }

    @Test
    void probeFeatures_areCosSinOfBothAnglesAndTheVelocities() {
        Reacher r = env();
        double[] f = r.probeFeatures(new float[] {(float) Math.PI, -0.5f, 2f, -3f});
        assertEquals(r.probeFeatureNames().size(), f.length);
        assertEquals(-1, f[0], 1e-6);
        assertEquals(0, f[1], 1e-6);
        assertEquals(Math.cos(-0.5), f[2], 1e-6);
        assertEquals(Math.sin(-0.5), f[3], 1e-6);
        assertEquals(2, f[4], 1e-6);
        assertEquals(-3, f[5], 1e-6);
    }
}
