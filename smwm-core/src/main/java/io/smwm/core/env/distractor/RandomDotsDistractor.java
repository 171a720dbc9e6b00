package io.smwm.core.env.distractor;

import io.smwm.core.render.RgbImage;
import java.util.SplittableRandom;

/**
 * "random-dots": {@link #DOTS} uncontrolled dots of random saturated colours drawn over the scene
 * ({@link #drawOverlay}), each moving every step by a displacement drawn uniformly from [-{@link #MAX_STEP},
 * MAX_STEP] per axis and clamped to stay inside the frame (centre in [RADIUS, 1 − RADIUS]).
 *
 * <p>Units: frame units ([0,1] across the frame, x right, y down); radius {@link #RADIUS} = 2 px at 64 px, scaled.
 * State (5 floats per dot): [x, y, r, g, b] per dot, colours as 0–255 integers.
 */
public final class RandomDotsDistractor implements Distractor {
    public static final String NAME = "random-dots";
    public static final int DOTS = 3;
    public static final double RADIUS = 2.0 / 64.0;
    public static final double MAX_STEP = 16.0 / 64.0;
    private static final int PER = 5;

    private SplittableRandom rng;
    private final float[] s = new float[DOTS * PER];

    @Override
    public String name() { return NAME; }

    @Override
    public int stateDim() { return DOTS * PER; }

    @Override
    public void reset(SplittableRandom rng, int width, int height) {
        this.rng = rng;
        for (int k = 0; k < DOTS; k++) {
            s[PER * k] = clamp(RADIUS + (1 - 2 * RADIUS) * rng.nextDouble());
            s[PER * k + 1] = clamp(RADIUS + (1 - 2 * RADIUS) * rng.nextDouble());
            int rgb = java.awt.Color.HSBtoRGB((float) rng.nextDouble(), 1f, 0.85f + 0.15f * (float) rng.nextDouble());
            s[PER * k + 2] = (rgb >> 16) & 0xff;
            s[PER * k + 3] = (rgb >> 8) & 0xff;
            s[PER * k + 4] = rgb & 0xff;
        }
    }

    @Override
    public void step() {
        for (int k = 0; k < DOTS; k++) {
            s[PER * k] = clamp(s[PER * k] + (2 * rng.nextDouble() - 1) * MAX_STEP);
            s[PER * k + 1] = clamp(s[PER * k + 1] + (2 * rng.nextDouble() - 1) * MAX_STEP);
        }
    }

    private static float clamp(double v) {
        return (float) Math.max(RADIUS, Math.min(1 - RADIUS, v));
    }

    @Override
    public void getState(float[] dst, int off) {
        System.arraycopy(s, 0, dst, off, s.length);
    }

    @Override
    public void setState(float[] src, int off) {
        System.arraycopy(src, off, s, 0, s.length);
    }

    @Override
    public void drawOverlay(RgbImage img) {
        double w = img.width(), h = img.height();
        for (int k = 0; k < DOTS; k++) {
            int rgb = ((int) s[PER * k + 2] << 16) | ((int) s[PER * k + 3] << 8) | (int) s[PER * k + 4];
            img.fillCircle(s[PER * k] * w, s[PER * k + 1] * h, RADIUS * Math.min(w, h), rgb);
        }
    }
}
