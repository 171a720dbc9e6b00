package io.smwm.core.env.distractor;

import io.smwm.core.render.RgbImage;
import java.util.SplittableRandom;

/**
 * "moving-background": a coloured procedural texture drifting with its own random velocity, wrapping around the
 * frame; drawn in {@link #drawBackground} so the scene stays on top.
 *
 * <p>The texture is periodic on the unit torus: with u, v ∈ [0,1) the pixel centre in frame units,
 * {@code t = (1/K) Σ_k sin(2π (kx_k (u + ox) + ky_k (v + oy)) + φ_k)}, K = {@link #GRATINGS}, integer
 * frequencies kx, ky ∈ [-{@link #MAX_FREQ}, MAX_FREQ] (not both 0), and the pixel colour is
 * {@code A + (B − A)(t + 1)/2} per channel (rounded). Every step the offset moves by the velocity and wraps into
 * [0,1).
 *
 * <p>State (19 floats): [kx_0, ky_0, φ_0, kx_1, ky_1, φ_1, kx_2, ky_2, φ_2, A_r, A_g, A_b, B_r, B_g, B_b, ox, oy,
 * vx, vy]: frequencies (integers), phases (radians), colours (0–255 integers), offset (frame units, [0,1)) and
 * velocity (frame units per step, speed in [{@link #SPEED_MIN}, {@link #SPEED_MAX}]). The state alone fixes the
 * frame.
 */
public final class MovingBackgroundDistractor implements Distractor {
    public static final String NAME = "moving-background";
    public static final int GRATINGS = 3;
    public static final int MAX_FREQ = 4;
    public static final double SPEED_MIN = 0.01;
    public static final double SPEED_MAX = 0.04;
    private static final int COLOURS = 3 * GRATINGS;
    private static final int OFFSET = COLOURS + 6;
    private static final int DIM = OFFSET + 4;

    private SplittableRandom rng;
    private final float[] s = new float[DIM];
    private double[] colSin = new double[0], colCos = new double[0], rowSin = new double[0], rowCos = new double[0];

    @Override
    public String name() { return NAME; }

    @Override
    public int stateDim() { return DIM; }

    @Override
    public void reset(SplittableRandom rng, int width, int height) {
        this.rng = rng;
        for (int k = 0; k < GRATINGS; k++) {
            int kx, ky;
            do {
                kx = rng.nextInt(2 * MAX_FREQ + 1) - MAX_FREQ;
                ky = rng.nextInt(2 * MAX_FREQ + 1) - MAX_FREQ;
            } while (kx == 0 && ky == 0);
            s[3 * k] = kx;
            s[3 * k + 1] = ky;
            s[3 * k + 2] = (float) (2 * Math.PI * rng.nextDouble());
        }
        for (int c = 0; c < 6; c++) {
            s[COLOURS + c] = 40 + rng.nextInt(216);
        }
        s[OFFSET] = (float) rng.nextDouble();
        s[OFFSET + 1] = (float) rng.nextDouble();
        double speed = SPEED_MIN + (SPEED_MAX - SPEED_MIN) * rng.nextDouble();
        double dir = 2 * Math.PI * rng.nextDouble();
        s[OFFSET + 2] = (float) (speed * StrictMath.cos(dir));
        s[OFFSET + 3] = (float) (speed * StrictMath.sin(dir));
    }

    @Override
    public void step() {
        s[OFFSET] = wrap(s[OFFSET] + s[OFFSET + 2]);
        s[OFFSET + 1] = wrap(s[OFFSET + 1] + s[OFFSET + 3]);
    }

    private static float wrap(float v) {
        float w = v - (float) Math.floor(v);
        return w >= 1f ? 0f : w;
    }

    @Override
    public void getState(float[] dst, int off) {
        System.arraycopy(s, 0, dst, off, DIM);
    }

    @Override
    public void setState(float[] src, int off) {
        System.arraycopy(src, off, s, 0, DIM);
    }

    /** sin/cos of a0 + i·da for i in [0, n), into sin[off + i], cos[off + i]. */
    private static void rotationTable(double a0, double da, double[] sin, double[] cos, int off, int n) {
        double sd = StrictMath.sin(da), cd = StrictMath.cos(da);
        double sv = StrictMath.sin(a0), cv = StrictMath.cos(a0);
        for (int i = 0; i < n; i++) {
            sin[off + i] = sv;
            cos[off + i] = cv;
            double ns = sv * cd + cv * sd;
            cv = cv * cd - sv * sd;
            sv = ns;
        }
    }

    @Override
    public void drawBackground(RgbImage img) {
        int w = img.width(), h = img.height();
        if (colSin.length != GRATINGS * w || rowSin.length != GRATINGS * h) {
            colSin = new double[GRATINGS * w];
            colCos = new double[GRATINGS * w];
            rowSin = new double[GRATINGS * h];
            rowCos = new double[GRATINGS * h];
        }
        double ox = s[OFFSET], oy = s[OFFSET + 1];
        // sin(α(x) + β(y)) = sin α cos β + cos α sin β: per-column and per-row tables, 2 products per grating
        // and pixel. The tables step the angle by rotation (StrictMath for the seeds; Java 17 double arithmetic
        // is strict), so frames are bit-identical on every JVM.
        for (int k = 0; k < GRATINGS; k++) {
            double kx = s[3 * k], ky = s[3 * k + 1], phase = s[3 * k + 2];
            rotationTable(2 * Math.PI * kx * (0.5 / w + ox) + phase, 2 * Math.PI * kx / w, colSin, colCos, k * w, w);
            rotationTable(2 * Math.PI * ky * (0.5 / h + oy), 2 * Math.PI * ky / h, rowSin, rowCos, k * h, h);
        }
        float ar = s[COLOURS], ag = s[COLOURS + 1], ab = s[COLOURS + 2];
        float dr = s[COLOURS + 3] - ar, dg = s[COLOURS + 4] - ag, db = s[COLOURS + 5] - ab;
        byte[] d = img.data();
        double norm = 0.5 / GRATINGS;
        for (int py = 0; py < h; py++) {
            int row = py * w * 3;
            for (int px = 0; px < w; px++) {
                double t = 0;
                for (int k = 0; k < GRATINGS; k++) {
                    t += colSin[k * w + px] * rowCos[k * h + py] + colCos[k * w + px] * rowSin[k * h + py];
                }
                float f = (float) (0.5 + norm * t);
                int i = row + 3 * px;
                d[i] = (byte) Math.round(ar + dr * f);
                d[i + 1] = (byte) Math.round(ag + dg * f);
                d[i + 2] = (byte) Math.round(ab + db * f);
            }
        }
    }
}
