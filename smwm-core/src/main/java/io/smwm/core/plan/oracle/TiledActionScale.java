package io.smwm.core.plan.oracle;

/**
 * The dataset's action z-score as the oracle models apply it: a_n = (a − mean) / std with per-primitive-dimension
 * mean and std [m] tiled over a model action's k primitive steps ([k·m], primitive step major).
 */
final class TiledActionScale {
    final float[] mean;
    final float[] std;

    /**
     * @param mean per-primitive-dimension action mean [m]
     * @param std  per-primitive-dimension action std [m], each &gt; 0
     * @param m    the primitive action dimension
     */
    TiledActionScale(float[] mean, float[] std, int m) {
        if (mean.length != m || std.length != m) {
            throw new IllegalArgumentException("need action mean/std of length " + m);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("action std must be > 0, got " + s);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Env-space actions [k·m] from normalised ones [k·m]. */
    float[] unnormalise(float[] normalised) {
        int m = mean.length;
        float[] o = new float[normalised.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = normalised[i] * std[i % m] + mean[i % m];
        }
        return o;
    }

    /** Normalised actions [k·m] from env-space ones [k·m]. */
    float[] normalise(float[] modelAction) {
        int m = mean.length;
        float[] o = new float[modelAction.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = (modelAction[i] - mean[i % m]) / std[i % m];
        }
        return o;
    }
}
