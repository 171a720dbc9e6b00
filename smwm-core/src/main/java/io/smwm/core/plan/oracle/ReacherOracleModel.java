package io.smwm.core.plan.oracle;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.render.RgbImage;
import io.smwm.core.env.reacher.Reacher;
import io.smwm.core.plan.LatentModel;
import java.util.List;

/**
 * An exact, hand-written latent model of Reacher for diagnosis and tests (not learned): how well could planning do
 * with a perfect model that sees what a learned one sees?
 *
 * <p>f(o): the joint angles read from the pixels, as z = (cos q1, sin q1, cos q2, sin q2) [4]: a first estimate
 * from the upper arm's and the fingertip's colour centroids, refined by rendering the arm at nearby angles and
 * keeping the render closest to the frame (to about a thousandth of a radian). g: the env's own dynamics
 * ({@link Reacher#simulate}) from those angles, each of the k primitive actions of a model action un-normalised and
 * clipped. What it cannot see is the velocity: with context 1 (a single frame) it assumes the arm at rest; with
 * context 2 it takes the velocity as the finite difference of the angles one model step apart,
 * (q_t − q_{t−k}) / (k·dt), which is what a learned model with {@code model.context} 2 can infer. The gap
 * between the two is the cost of a single frame on this task.
 *
 * <p>Action normalisation is the z-score a_n = (a − mean) / std with per-primitive-dimension statistics tiled over
 * the k steps. Frames must be undistracted renders of the env's default size or larger.
 */
public final class ReacherOracleModel implements LatentModel {
    private static final int M = 2;
    private static final double[][] DIRECTIONS = {{1, 0}, {0, 1}, {1, -1}, {1, 1}};
    private final Reacher env;
    private final String variant;
    private Reacher renderer;
    private final int k;
    private final int context;
    private final TiledActionScale scale;
    private final float[] mean;
    private final float[] std;

    /**
     * @param variant    the Reacher variant whose dynamics g simulates ("dmc", "heavy")
     * @param context    1 (velocity assumed 0) or 2 (velocity from the latent one model step back)
     * @param frameskip  k, primitive steps per model step
     * @param actionMean per-primitive-dimension action mean [2]
     * @param actionStd  per-primitive-dimension action std [2], each &gt; 0
     */
    public ReacherOracleModel(String variant, int context, int frameskip, float[] actionMean, float[] actionStd) {
        if (context < 1 || context > 2 || frameskip < 1 || actionMean.length != M || actionStd.length != M) {
            throw new IllegalArgumentException("need context 1 or 2, frameskip >= 1 and mean/std of length " + M);
        }
        this.env = new Reacher(EnvConfig.defaults().withVariant(variant));
        this.variant = variant;
        this.context = context;
        this.k = frameskip;
        this.scale = new TiledActionScale(actionMean, actionStd, M);
        this.mean = scale.mean;
        this.std = scale.std;
    }

    @Override
    public int latentDim() {
        return 4;
    }

    @Override
    public int primitiveActionDim() {
        return M;
    }

    @Override
    public int frameskip() {
        return k;
    }

    @Override
    public int context() {
        return context;
    }

    @Override
    public float[] encode(List<RgbImage> frames) {
        float[] z = new float[frames.size() * 4];
        for (int b = 0; b < frames.size(); b++) {
            double[] q = angles(frames.get(b));
            z[4 * b] = (float) Math.cos(q[0]);
            z[4 * b + 1] = (float) Math.sin(q[0]);
            z[4 * b + 2] = (float) Math.cos(q[1]);
            z[4 * b + 3] = (float) Math.sin(q[1]);
        }
        return z;
    }

    /**
     * (q1, q2) from a frame: the centroid estimate ({@link #roughAngles}), then coordinate descent on the squared
     * pixel difference between the frame and the arm rendered at the candidate angles (along each joint and both
     * diagonals), in steps of 0.02, 0.005 and 0.001 rad.
     */
    double[] angles(RgbImage img) {
        if (renderer == null || renderer.spec().imageWidth() != img.width()) {
            renderer = new Reacher(EnvConfig.defaults().withVariant(variant).withImageSize(img.width()));
            renderer.reset(0);
        }
        double[] q = roughAngles(img);
        double best = mismatch(img, q);
        for (double step : new double[] {0.02, 0.005, 0.001}) {
            boolean improved = true;
            for (int it = 0; it < 20 && improved; it++) {
                improved = false;
                // each joint alone, and the shoulder against the wrist (the hand keeps its direction)
                for (double[] dir : DIRECTIONS) {
                    for (int sign = -1; sign <= 1; sign += 2) {
                        double[] c = {q[0] + sign * step * dir[0], q[1] + sign * step * dir[1]};
                        double v = mismatch(img, c);
                        if (v < best) {
                            best = v;
                            q = c;
                            improved = true;
                        }
                    }
                }
            }
        }
        return new double[] {wrap(q[0]), q[1]};
    }

    private double mismatch(RgbImage img, double[] q) {
        renderer.setState(new float[] {(float) q[0], (float) q[1], 0f, 0f});
        byte[] a = renderer.render().data(), b = img.data();
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            s += d * d;
        }
        return s;
    }

    /** (q1, q2) roughly: the upper arm's centroid gives q1, the fingertip's position relative to the wrist q2. */
    double[] roughAngles(RgbImage img) {
        double scale = img.width() / (2 * Reacher.VIEW_HALF);
        double[] arm = centroid(img, Reacher.LINK1_COLOR), tip = centroid(img, Reacher.TIP_COLOR);
        double cx = img.width() / 2.0, cy = img.height() / 2.0;
        double q1 = Math.atan2(-(arm[1] - cy), arm[0] - cx);
        double l1 = env.upperArmLength() * scale;
        double ex = cx + l1 * Math.cos(q1), ey = cy - l1 * Math.sin(q1);
        double q2 = wrap(Math.atan2(-(tip[1] - ey), tip[0] - ex) - q1);
        return new double[] {q1, q2};
    }

    /**
     * Centroid (x, y) in pixel units of the pixels on the blend line between the background and {@code rgb},
     * weighted by how far along it they are (antialiased edges count in proportion); other colours are ignored.
     */
    private static double[] centroid(RgbImage img, int rgb) {
        byte[] d = img.data();
        double[] bg = {d[0] & 0xff, d[1] & 0xff, d[2] & 0xff}; // the corner is always background
        double[] dir = {((rgb >> 16) & 0xff) - bg[0], ((rgb >> 8) & 0xff) - bg[1], (rgb & 0xff) - bg[2]};
        double n2 = dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2];
        double sw = 0, sx = 0, sy = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int i = (y * img.width() + x) * 3;
                double[] p = {(d[i] & 0xff) - bg[0], (d[i + 1] & 0xff) - bg[1], (d[i + 2] & 0xff) - bg[2]};
                double a = (p[0] * dir[0] + p[1] * dir[1] + p[2] * dir[2]) / n2;
                if (a <= 0.05) {
                    continue;
                }
                double r0 = p[0] - a * dir[0], r1 = p[1] - a * dir[1], r2 = p[2] - a * dir[2];
                if (r0 * r0 + r1 * r1 + r2 * r2 > 30 * 30) {
                    continue; // another colour (the other link, the base)
                }
                double w = Math.min(1, a);
                sw += w;
                sx += w * (x + 0.5);
                sy += w * (y + 0.5);
            }
        }
        if (sw == 0) {
            throw new IllegalArgumentException("no pixels of colour " + Integer.toHexString(rgb) + " in the frame");
        }
        return new double[] {sx / sw, sy / sw};
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
        int a = k * M, sd = context * 4;
        float[][] steps = new float[horizon * k][M];
        for (int g = 0; g < groups; g++) {
            float[] start = state(z0, g * sd);
            for (int n = 0; n < perGroup; n++) {
                int row = g * perGroup + n;
                for (int s = 0; s < horizon * k; s++) {
                    for (int j = 0; j < M; j++) {
                        steps[s][j] = actions[row * horizon * a + s * M + j] * std[j] + mean[j];
                    }
                }
                float[] end = env.simulate(start, steps);
                out[4 * row] = (float) Math.cos(end[0]);
                out[4 * row + 1] = (float) Math.sin(end[0]);
                out[4 * row + 2] = (float) Math.cos(end[1]);
                out[4 * row + 3] = (float) Math.sin(end[1]);
            }
        }
    }

    /** The full state (q1, q2, dq1, dq2) a planning state implies: velocities 0, or from the context latent. */
    private float[] state(float[] z0, int off) {
        int cur = off + (context - 1) * 4;
        double q1 = Math.atan2(z0[cur + 1], z0[cur]), q2 = Math.atan2(z0[cur + 3], z0[cur + 2]);
        double w1 = 0, w2 = 0;
        if (context == 2) {
            double p1 = Math.atan2(z0[off + 1], z0[off]), p2 = Math.atan2(z0[off + 3], z0[off + 2]);
            double dt = k * env.stepSeconds();
            w1 = wrap(q1 - p1) / dt;
            w2 = wrap(q2 - p2) / dt;
        }
        return new float[] {(float) q1, (float) q2, (float) w1, (float) w2};
    }

    private static double wrap(double v) {
        return Math.atan2(Math.sin(v), Math.cos(v));
    }

    @Override
    public float[] unnormalise(float[] normalised) {
        return scale.unnormalise(normalised);
    }

    @Override
    public float[] normalise(float[] modelAction) {
        return scale.normalise(modelAction);
    }
}
