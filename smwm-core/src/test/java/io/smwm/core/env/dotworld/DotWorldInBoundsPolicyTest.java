package io.smwm.core.env.dotworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.catalog.Environments;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DotWorldInBoundsPolicyTest {

    /** Runs the policy for many steps and checks every controlled displacement equals a · MAX_STEP (no clamping). */
    @Test
    void controlledDotsAreNeverClamped_displacementIsExactlyActionTimesMaxStep_actionsCoverBothSigns() {
        for (String variant : new String[] {"independent", "combined"}) {
            DotWorld env = new DotWorld(EnvConfig.defaults().withVariant(variant));
            DotWorldInBoundsPolicy p = new DotWorldInBoundsPolicy();
            env.reset(3);
            p.reset(env, new SplittableRandom(4));
            int atBorder = 0, neg = 0, pos = 0;
            for (int t = 0; t < 3000; t++) {
                float[] before = env.state();
                float[] a = p.act(env);
                env.step(a);
                float[] after = env.state();
                for (int i = 0; i < env.dots().size(); i++) {
                    int off = env.dots().get(i).actionOffset();
                    if (off < 0) continue;
                    for (int ax = 0; ax < 2; ax++) {
                        float expected = before[2 * i + ax] + a[off + ax] * (float) DotWorld.MAX_STEP;
                        assertEquals(expected, after[2 * i + ax], 1e-5, variant + " dot " + i + " step " + t);
                        if (after[2 * i + ax] <= DotWorld.RADIUS + 1e-6 || after[2 * i + ax] >= 1 - DotWorld.RADIUS - 1e-6) atBorder++;
                    }
                }
                for (float v : a) {
                    assertTrue(v >= -1f && v <= 1f, "action within bounds: " + v);
                    if (v < -0.5f) neg++;
                    if (v > 0.5f) pos++;
                }
            }
            assertTrue(atBorder < 10, variant + ": controlled coordinates at the border " + atBorder);
            assertTrue(neg > 1000 && pos > 1000, variant + ": large actions of both signs " + neg + "/" + pos);
        }
    }

    @Test
    void isTheDotWorldDefault_andRefusesOtherTasks() {
        assertEquals(DotWorldInBoundsPolicy.NAME, Environments.policy("dotworld", null).name());
        var other = Environments.create("tworoom", EnvConfig.defaults());
        var ex = assertThrows(IllegalArgumentException.class,
                () -> new DotWorldInBoundsPolicy().reset(other, new SplittableRandom(1)));
        assertTrue(ex.getMessage().contains("dot world"), ex.getMessage());
    }
}
