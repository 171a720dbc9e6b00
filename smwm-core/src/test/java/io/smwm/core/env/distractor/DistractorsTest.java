package io.smwm.core.env.distractor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.render.RgbImage;
import io.smwm.core.env.tworoom.TwoRoom;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistractorsTest {

    private static RgbImage white() {
        RgbImage img = new RgbImage(64, 64);
        img.fill(0xffffff);
        return img;
    }

    @Test
    void flicker_redrawsBrightnessAndTintEveryStep_withinBounds() {
        FlickerDistractor d = new FlickerDistractor();
        d.reset(new SplittableRandom(1), 64, 64);
        float[] prev = new float[4];
        d.getState(prev, 0);
        for (int t = 0; t < 100; t++) {
            d.step();
            float[] s = new float[4];
            d.getState(s, 0);
            assertNotEquals(prev[0], s[0]);
            assertTrue(s[0] >= FlickerDistractor.BRIGHTNESS_MIN && s[0] <= FlickerDistractor.BRIGHTNESS_MAX);
            for (int c = 1; c < 4; c++) {
                assertTrue(s[c] >= FlickerDistractor.TINT_MIN && s[c] <= 1f);
            }
            prev = s;
        }
    }

    @Test
    void flicker_scalesEveryChannelByBrightnessTimesTint() {
        FlickerDistractor d = new FlickerDistractor();
        d.reset(new SplittableRandom(1), 64, 64);
        d.setState(new float[] {0.5f, 1f, 0.8f, 0.6f}, 0);
        RgbImage img = white();
        img.set(3, 3, 0x204060);
        d.postProcess(img);
        assertEquals((128 << 16) | (102 << 8) | 77, img.get(0, 0)); // 255*0.5=127.5->128, *0.4=102, *0.3=76.5->77
        assertEquals((16 << 16) | (26 << 8) | 29, img.get(3, 3));   // 32*.5=16, 64*.4=25.6, 96*.3=28.8
    }

    @Test
    void movingBackground_offsetDriftsByItsVelocityAndWraps() {
        MovingBackgroundDistractor d = new MovingBackgroundDistractor();
        d.reset(new SplittableRandom(2), 64, 64);
        int n = d.stateDim();
        assertEquals(19, n);
        float[] s0 = new float[n];
        d.getState(s0, 0);
        for (int k = 0; k < MovingBackgroundDistractor.GRATINGS; k++) {
            assertEquals(Math.rint(s0[3 * k]), s0[3 * k], 0f, "integer frequency");
            assertTrue(s0[3 * k] != 0 || s0[3 * k + 1] != 0);
        }
        double speed = Math.hypot(s0[n - 2], s0[n - 1]);
        assertTrue(speed >= MovingBackgroundDistractor.SPEED_MIN - 1e-6 && speed <= MovingBackgroundDistractor.SPEED_MAX + 1e-6);
        for (int t = 1; t <= 200; t++) {
            d.step();
            float[] s = new float[n];
            d.getState(s, 0);
            for (int a = 0; a < 2; a++) {
                double expected = s0[n - 4 + a] + t * (double) s0[n - 2 + a];
                expected -= Math.floor(expected);
                double diff = Math.abs(s[n - 4 + a] - expected);
                assertTrue(Math.min(diff, 1 - diff) < 1e-4, "offset " + a + " at step " + t);
                assertTrue(s[n - 4 + a] >= 0f && s[n - 4 + a] < 1f);
            }
            assertArrayEquals(java.util.Arrays.copyOf(s0, n - 4), java.util.Arrays.copyOf(s, n - 4),
                    "texture and velocity are constant");
        }
    }

    @Test
    void movingBackground_isPeriodic_andChangesAsItDrifts() {
        MovingBackgroundDistractor d = new MovingBackgroundDistractor();
        d.reset(new SplittableRandom(3), 64, 64);
        float[] s = new float[d.stateDim()];
        d.getState(s, 0);
        RgbImage a = white();
        d.drawBackground(a);
        // shifting the offset by exactly 16 px (0.25) equals shifting the image by 16 px, wrapping
        s[15] = s[15] - (float) Math.floor(s[15]);
        float[] shifted = s.clone();
        shifted[15] = s[15] + 0.25f;
        d.setState(shifted, 0);
        RgbImage b = white();
        d.drawBackground(b);
        assertNotEquals(a, b);
        int mismatches = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int pa = a.get((x + 16) % 64, y), pb = b.get(x, y);
                for (int c = 0; c < 24; c += 8) {
                    if (Math.abs(((pa >> c) & 0xff) - ((pb >> c) & 0xff)) > 1) {
                        mismatches++;
                    }
                }
            }
        }
        assertEquals(0, mismatches, "texture should wrap: offset 0.25 == 16-px shift");
        int distinct = (int) java.util.stream.IntStream.range(0, 64 * 64).map(i -> a.get(i % 64, i / 64))
                .distinct().count();
        assertTrue(distinct > 50, "textured, saw " + distinct + " colours");
    }

    @Test
    void movingBackground_staysBehindTheScene() {
        Environment env = Environments.create("tworoom",
                EnvConfig.defaults().withDistractors(List.of("moving-background")));
        env.reset(0);
        env.setState(new float[] {0.25f, 0.75f});
        RgbImage img = env.render();
        assertEquals(TwoRoom.AGENT_COLOUR, img.get(16, 48));
        assertEquals(TwoRoom.WALL_COLOUR, img.get(32, 5));
        assertNotEquals(TwoRoom.BACKGROUND, img.get(5, 5));
    }

    @Test
    void randomDots_moveEveryStepWithinMaxStep_andStayInside() {
        RandomDotsDistractor d = new RandomDotsDistractor();
        d.reset(new SplittableRandom(4), 64, 64);
        float[] prev = new float[d.stateDim()];
        d.getState(prev, 0);
        int moved = 0;
        for (int t = 0; t < 300; t++) {
            d.step();
            float[] s = new float[d.stateDim()];
            d.getState(s, 0);
            for (int k = 0; k < RandomDotsDistractor.DOTS; k++) {
                for (int a = 0; a < 2; a++) {
                    float v = s[5 * k + a];
                    assertTrue(v >= RandomDotsDistractor.RADIUS - 1e-6 && v <= 1 - RandomDotsDistractor.RADIUS + 1e-6);
                    assertTrue(Math.abs(v - prev[5 * k + a]) <= RandomDotsDistractor.MAX_STEP + 1e-6);
                }
                assertEquals(prev[5 * k + 2], s[5 * k + 2], "colour is constant");
            }
            if (prev[0] != s[0] || prev[1] != s[1]) {
                moved++;
            }
            prev = s;
        }
        assertTrue(moved > 250, "dot 0 moved in " + moved + " of 300 steps (it may sit pinned at a border)");
    }

    @Test
    void randomDots_drawnOverTheScene() {
        Environment env = Environments.create("dotworld",
                EnvConfig.defaults().withDistractors(List.of("random-dots")));
        env.reset(0);
        env.setState(new float[] {0.5f, 0.5f});
        float[] ds = env.distractorState();
        ds[0] = 0.5f;
        ds[1] = 0.5f;
        ds[2] = 1f;
        ds[3] = 2f;
        ds[4] = 3f;
        env.setDistractorState(ds);
        assertEquals(0x010203, env.render().get(32, 32));
    }
}
