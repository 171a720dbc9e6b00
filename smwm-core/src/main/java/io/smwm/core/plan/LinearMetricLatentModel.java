package io.smwm.core.plan;

import io.smwm.core.render.RgbImage;
import java.util.List;

/**
 * A latent model seen through an invertible linear map M [D, D]: {@link #encode} returns M·f(o) and
 * {@link #rolloutTerminal} M·ẑ_H from start states given in the mapped space (each of the c context latents is
 * mapped back by M⁻¹ before the inner rollout). A planner's squared L2 cost then measures ‖M(ẑ_H − z_g)‖², so M
 * chooses how much each latent direction counts (e.g. a whitening makes every principal direction count alike).
 * The dynamics are the inner model's; rows stay independent.
 */
public final class LinearMetricLatentModel implements LatentModel {
    private final LatentModel inner;
    private final float[] m;
    private final float[] mInv;
    private final int d;
    private float[] raw = new float[0];
    private final float[] row;

    /**
     * @param m    M, row-major [D, D]
     * @param mInv M⁻¹, row-major [D, D] (the caller's responsibility that M·M⁻¹ = I)
     */
    public LinearMetricLatentModel(LatentModel inner, float[] m, float[] mInv) {
        this.inner = inner;
        this.d = inner.latentDim();
        if (m.length != d * d || mInv.length != d * d) {
            throw new IllegalArgumentException("M and its inverse must be [" + d + ", " + d + "], got " + m.length
                    + " and " + mInv.length + " numbers");
        }
        this.m = m.clone();
        this.mInv = mInv.clone();
        this.row = new float[d];
    }

    @Override
    public int latentDim() {
        return d;
    }

    @Override
    public int primitiveActionDim() {
        return inner.primitiveActionDim();
    }

    @Override
    public int frameskip() {
        return inner.frameskip();
    }

    @Override
    public int context() {
        return inner.context();
    }

    @Override
    public float[] encode(List<RgbImage> frames) {
        float[] z = inner.encode(frames);
        float[] out = new float[z.length];
        apply(m, z, out, z.length / d);
        return out;
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
        rolloutTerminal(z0, groups, perGroup, actions, horizon, out, null);
    }

    @Override
    public boolean scoresInverseConsistency() {
        return inner.scoresInverseConsistency();
    }

    /** The inner model's rollout and residuals (h sees the inner model's latents); the terminal latents mapped by M. */
    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out,
                                float[] inverseResidual) {
        int n = groups * context();
        if (raw.length < n * d) {
            raw = new float[n * d];
        }
        apply(mInv, z0, raw, n);
        if (inverseResidual == null) {
            inner.rolloutTerminal(raw, groups, perGroup, actions, horizon, out);
        } else {
            inner.rolloutTerminal(raw, groups, perGroup, actions, horizon, out, inverseResidual);
        }
        int rows = groups * perGroup;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(out, r * d, row, 0, d);
            for (int i = 0; i < d; i++) {
                float s = 0f;
                for (int j = 0; j < d; j++) {
                    s += m[i * d + j] * row[j];
                }
                out[r * d + i] = s;
            }
        }
    }

    /** out[r] = a·x[r] for each of {@code rows} D-vectors. */
    private void apply(float[] a, float[] x, float[] out, int rows) {
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < d; i++) {
                float s = 0f;
                for (int j = 0; j < d; j++) {
                    s += a[i * d + j] * x[r * d + j];
                }
                out[r * d + i] = s;
            }
        }
    }

    @Override
    public float[] unnormalise(float[] normalisedModelAction) {
        return inner.unnormalise(normalisedModelAction);
    }

    @Override
    public float[] normalise(float[] modelAction) {
        return inner.normalise(modelAction);
    }
}
