package io.smwm.core.plan;

import io.smwm.core.render.RgbImage;
import java.util.List;

/**
 * A test double with a known optimum: ẑ_{h+1} = ẑ_h + B·unnormalise(a_h), B = diag(gains) [D = A], and
 * unnormalise(a) = a·scale. The terminal latent is z0 + B·scale·Σ_h a_h, so the cost is quadratic in the actions.
 */
final class LinearLatentModel implements LatentModel {
    private final int k;
    private final int m;
    private final float[] gains;
    private final float scale;
    int rolloutCalls;
    /**
     * When set (not NaN): a stand-in inverse model that always infers this normalised action, so the residual of a
     * row is the mean of (a − target)² over its H·A actions.
     */
    float inverseTarget = Float.NaN;

    LinearLatentModel(int frameskip, int m, float[] gains, float scale) {
        this.k = frameskip;
        this.m = m;
        this.gains = gains.clone();
        this.scale = scale;
        if (gains.length != k * m) {
            throw new IllegalArgumentException("one gain per model-action component");
        }
    }

    @Override public int latentDim() { return gains.length; }
    @Override public int primitiveActionDim() { return m; }
    @Override public int frameskip() { return k; }

    @Override
    public float[] encode(List<RgbImage> frames) {
        throw new UnsupportedOperationException("latent-only test model");
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
        rolloutCalls++;
        int d = gains.length;
        for (int g = 0; g < groups; g++) {
            for (int n = 0; n < perGroup; n++) {
                int row = g * perGroup + n;
                for (int j = 0; j < d; j++) {
                    float z = z0[g * d + j];
                    for (int h = 0; h < horizon; h++) {
                        z += gains[j] * scale * actions[(row * horizon + h) * d + j];
                    }
                    out[row * d + j] = z;
                }
            }
        }
    }

    @Override
    public boolean scoresInverseConsistency() {
        return !Float.isNaN(inverseTarget);
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out,
                                float[] inverseResidual) {
        if (!scoresInverseConsistency()) {
            LatentModel.super.rolloutTerminal(z0, groups, perGroup, actions, horizon, out, inverseResidual);
        }
        rolloutTerminal(z0, groups, perGroup, actions, horizon, out);
        int l = horizon * gains.length;
        for (int row = 0; row < groups * perGroup; row++) {
            float s = 0f;
            for (int j = 0; j < l; j++) {
                float d = actions[row * l + j] - inverseTarget;
                s += d * d;
            }
            inverseResidual[row] = s / l;
        }
    }

    @Override
    public float[] unnormalise(float[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i] * scale;
        }
        return o;
    }

    @Override
    public float[] normalise(float[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i] / scale;
        }
        return o;
    }
}
