package io.smwm.core.env;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Prints step+render throughput; a sanity bound only (timing is not asserted tightly: the machine is shared). */
class RenderSpeedTest {

    private static double framesPerSecond(String id, String variant, List<String> distractors) {
        Environment env = Environments.create(id, EnvConfig.defaults().withVariant(variant).withDistractors(distractors));
        SplittableRandom r = new SplittableRandom(0);
        float[] a = new float[env.spec().actionDim()];
        long checksum = 0;
        int frames = 0;
        long start = 0;
        for (int i = 0; i < 60_000; i++) {
            if (i == 20_000) {
                start = System.nanoTime(); // after warm-up
            }
            if (i % 100 == 0) {
                env.reset(i);
            }
            for (int k = 0; k < a.length; k++) {
                a[k] = (float) (2 * r.nextDouble() - 1);
            }
            checksum += env.step(a).observation().data()[i % 100];
            if (i >= 20_000) {
                frames++;
            }
        }
        double fps = frames / ((System.nanoTime() - start) / 1e9);
        System.out.printf("%s/%s %s: %.0f frames/s (%.1f us/frame) [%d]%n", id, variant, distractors, fps,
                1e6 / fps, checksum & 1);
        return fps;
    }

    @Test
    void stepAndRender64px_isFast() {
        framesPerSecond("dotworld", "single", List.of()); // warms up the shared render path
        double tworoom = framesPerSecond("tworoom", "default", List.of());
        framesPerSecond("dotworld", "combined", List.of());
        for (String d : Distractors.NAMES) {
            framesPerSecond("tworoom", "default", List.of(d));
        }
        assertTrue(tworoom > 1000, "tworoom should render far faster than 1000 frames/s, got " + tworoom);
    }
}
