package io.smwm.core.testing;

import io.smwm.core.config.ModelConfig;
import io.smwm.core.train.InMemoryTransitionSource;
import io.smwm.core.train.TransitionBatch;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny synthetic world for tests: a white square of side 4 on a black S×S RGB canvas; the action (dx, dy) in
 * pixels, integer in [-2, 2], moves it (clamped to the canvas). k = 1, m = 2. The true state is the square's (x, y).
 */
public final class MovingSquare {
    public static final int SQ = 4;

    private MovingSquare() {}

    /** A tiny model config for S×S images: convs [8, 16], latent 8, hidden 64, k=1, m=2. */
    public static ModelConfig tinyConfig(int side) {
        return new ModelConfig(side, 3, List.of(8, 16), 8, 64, 2, 1, 1, false);
    }

    public static byte[] render(int side, int x, int y) {
        byte[] img = new byte[side * side * 3];
        for (int r = y; r < y + SQ; r++)
            for (int c = x; c < x + SQ; c++)
                for (int ch = 0; ch < 3; ch++) img[(r * side + c) * 3 + ch] = (byte) 255;
        return img;
    }

    public static TransitionBatch transitions(int side, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] o = new byte[n][], o2 = new byte[n][];
        float[][] a = new float[n][], s = new float[n][];
        int max = side - SQ;
        for (int i = 0; i < n; i++) {
            int x = r.nextInt(max + 1), y = r.nextInt(max + 1);
            int dx = r.nextInt(5) - 2, dy = r.nextInt(5) - 2;
            int x2 = Math.max(0, Math.min(max, x + dx)), y2 = Math.max(0, Math.min(max, y + dy));
            o[i] = render(side, x, y);
            o2[i] = render(side, x2, y2);
            a[i] = new float[]{dx, dy};
            s[i] = new float[]{x, y};
        }
        return new TransitionBatch(o, a, o2, s);
    }

    public static InMemoryTransitionSource source(int side, int n, long seed) {
        return new InMemoryTransitionSource(transitions(side, n, seed));
    }
}
