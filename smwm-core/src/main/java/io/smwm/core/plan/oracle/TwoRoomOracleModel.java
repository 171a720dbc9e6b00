package io.smwm.core.plan.oracle;

import io.smwm.core.render.RgbImage;
import io.smwm.core.env.tworoom.TwoRoom;
import io.smwm.core.plan.LatentModel;
import java.util.List;

/**
 * An exact, hand-written latent model of TwoRoom for tests and benchmarks (not learned): the latent is the
 * agent's true position (x, y) in arena units, and the forward model is TwoRoom's kinematics without the wall.
 *
 * <p>f(o): the centroid of the agent disc read from the pixels (weights = how red each pixel is against the grey
 * background; exact to a small fraction of a pixel for undistracted frames). g(z, a): the model action a [k·m]
 * is un-normalised, each of its k primitive actions clipped to [-1, 1] and applied as z += a · SPEED, with z
 * clamped to the arena (the disc's centre range) but walls ignored, so it plans straight through walls: good
 * for goals in the same room, wrong for goals behind the wall.
 *
 * <p>Action normalisation is the z-score a_n = (a − mean) / std with per-primitive-dimension mean and std tiled
 * over the k steps (as a dataset's statistics would be), so tests exercise a non-trivial un-normalisation.
 */
public final class TwoRoomOracleModel implements LatentModel {
    private static final int M = 2;
    private final int k;
    private final TiledActionScale scale;
    private final float[] mean;
    private final float[] std;
    private final float lo = (float) TwoRoom.AGENT_RADIUS;
    private final float hi = (float) (1 - TwoRoom.AGENT_RADIUS);

    /** Frameskip 5, action mean 0 and std 0.6 per primitive dimension. */
    public TwoRoomOracleModel() {
        this(5, new float[] {0f, 0f}, new float[] {0.6f, 0.6f});
    }

    public TwoRoomOracleModel(int frameskip, float[] actionMean, float[] actionStd) {
        if (frameskip < 1 || actionMean.length != M || actionStd.length != M) {
            throw new IllegalArgumentException("need frameskip >= 1 and mean/std of length " + M);
        }
        this.k = frameskip;
        this.scale = new TiledActionScale(actionMean, actionStd, M);
        this.mean = scale.mean;
        this.std = scale.std;
    }

    @Override
    public int latentDim() {
        return 2;
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
    public float[] encode(List<RgbImage> frames) {
        float[] z = new float[frames.size() * 2];
        for (int b = 0; b < frames.size(); b++) {
            RgbImage img = frames.get(b);
            byte[] d = img.data();
            int w = img.width(), h = img.height();
            double sw = 0, sx = 0, sy = 0;
            int bgR = (TwoRoom.BACKGROUND >> 16) & 0xff, agR = (TwoRoom.AGENT_COLOUR >> 16) & 0xff;
            int agG = (TwoRoom.AGENT_COLOUR >> 8) & 0xff;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = (y * w + x) * 3;
                    int r = d[i] & 0xff, g = d[i + 1] & 0xff;
                    // redness: 0 on grey (r == g), 1 on the agent colour
                    double wt = (r - g) / (double) (agR - agG);
                    if (wt > 0.02) {
                        sw += wt;
                        sx += wt * (x + 0.5);
                        sy += wt * (y + 0.5);
                    }
                }
            }
            if (sw == 0) {
                throw new IllegalArgumentException("frame " + b + ": no agent pixels found (background red "
                        + bgR + ")");
            }
            z[2 * b] = (float) (sx / sw / w);
            z[2 * b + 1] = (float) (sy / sw / h);
        }
        return z;
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
        int a = k * M, l = horizon * a;
        float speed = (float) TwoRoom.SPEED;
        for (int g = 0; g < groups; g++) {
            for (int n = 0; n < perGroup; n++) {
                int row = g * perGroup + n, base = row * l;
                float x = z0[2 * g], y = z0[2 * g + 1];
                for (int s = 0; s < horizon * k; s++) {
                    int i = base + s * M;
                    float ax = clip(actions[i] * std[0] + mean[0]);
                    float ay = clip(actions[i + 1] * std[1] + mean[1]);
                    x = Math.max(lo, Math.min(hi, x + ax * speed));
                    y = Math.max(lo, Math.min(hi, y + ay * speed));
                }
                out[2 * row] = x;
                out[2 * row + 1] = y;
            }
        }
    }

    private static float clip(float v) {
        return v < -1f ? -1f : (v > 1f ? 1f : v);
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
