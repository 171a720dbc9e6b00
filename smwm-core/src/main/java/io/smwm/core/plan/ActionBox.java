package io.smwm.core.plan;

import java.util.Arrays;

/**
 * The env's primitive action bounds seen from both sides of the normalisation: the box [lo, hi]^A in normalised
 * model-action space that maps onto the primitive bounds (tiled over the k primitive steps of a model step), and
 * the way back from a normalised plan to clipped primitive env actions.
 */
public final class ActionBox {
    private final LatentModel model;
    private final float[] low;
    private final float[] high;
    private final float[] normLow;
    private final float[] normHigh;
    private final int k;
    private final int m;

    /**
     * @param actionLow  primitive lower bounds [m]
     * @param actionHigh primitive upper bounds [m]
     */
    public ActionBox(LatentModel model, float[] actionLow, float[] actionHigh) {
        this.model = model;
        this.k = model.frameskip();
        this.m = model.primitiveActionDim();
        if (actionLow.length != m || actionHigh.length != m) {
            throw new IllegalArgumentException("the model acts on primitive actions of dimension m=" + m
                    + " but the env's action bounds have length " + actionLow.length + "/" + actionHigh.length);
        }
        for (int i = 0; i < m; i++) {
            if (!(actionLow[i] <= actionHigh[i])) {
                throw new IllegalArgumentException("action bound " + i + ": low " + actionLow[i] + " > high "
                        + actionHigh[i]);
            }
        }
        this.low = actionLow.clone();
        this.high = actionHigh.clone();
        float[] lt = new float[k * m], ht = new float[k * m];
        for (int j = 0; j < k; j++) {
            System.arraycopy(low, 0, lt, j * m, m);
            System.arraycopy(high, 0, ht, j * m, m);
        }
        float[] a = model.normalise(lt), b = model.normalise(ht);
        normLow = new float[k * m];
        normHigh = new float[k * m];
        for (int i = 0; i < k * m; i++) {
            normLow[i] = Math.min(a[i], b[i]);
            normHigh[i] = Math.max(a[i], b[i]);
        }
    }

    /** Lower bound of normalised model-action component j [A]. */
    public float normLow(int j) {
        return normLow[j];
    }

    public float normHigh(int j) {
        return normHigh[j];
    }

    /** Clips {@code count} values of a flat [.., A] normalised array in place, starting at {@code offset}. */
    public void clipNormalised(float[] a, int offset, int count) {
        int dim = normLow.length;
        for (int i = 0; i < count; i++) {
            int j = i % dim;
            float v = a[offset + i];
            a[offset + i] = v < normLow[j] ? normLow[j] : (v > normHigh[j] ? normHigh[j] : v);
        }
    }

    /**
     * Primitive env actions for a normalised plan [H·A]: each model step un-normalised, split into its k primitive
     * actions and clipped to the env's bounds. Returns [H·k][m].
     */
    public float[][] toEnvActions(float[] plan) {
        int dim = k * m, steps = plan.length / dim;
        float[][] out = new float[steps * k][];
        for (int h = 0; h < steps; h++) {
            float[] raw = model.unnormalise(Arrays.copyOfRange(plan, h * dim, (h + 1) * dim));
            for (int j = 0; j < k; j++) {
                float[] a = new float[m];
                for (int i = 0; i < m; i++) {
                    float v = raw[j * m + i];
                    a[i] = Float.isNaN(v) ? 0f : Math.max(low[i], Math.min(high[i], v));
                }
                out[h * k + j] = a;
            }
        }
        return out;
    }
}
