package io.smwm.core.model;

import java.util.Arrays;

/**
 * Per-dimension z-scoring of the model action a_t [k·m]: a_norm = (a - mean) / std. The statistics are
 * those of the m primitive action dimensions, tiled k times (the model action is k primitive actions concatenated),
 * with std floored at {@link #DEFAULT_STD_FLOOR} so constant dimensions do not blow up. Part of the model: saved in
 * every checkpoint; the planner works in normalised space and un-normalises before stepping the env.
 */
public final class Normalizer {

    public static final double DEFAULT_STD_FLOOR = 1e-3;

    private final float[] mean, std;
    private final int primitiveDim, frameskip;

    private Normalizer(float[] mean, float[] std, int primitiveDim, int frameskip) {
        this.mean = mean;
        this.std = std;
        this.primitiveDim = primitiveDim;
        this.frameskip = frameskip;
    }

    /** From primitive action statistics mean[m], std[m], tiled k = frameskip times, std floored at {@code floor}. */
    public static Normalizer fromPrimitiveStats(double[] mean, double[] std, int frameskip, double floor) {
        if (mean.length != std.length || mean.length == 0)
            throw new IllegalArgumentException("mean and std must have the same non-zero length, got "
                    + mean.length + " and " + std.length);
        if (frameskip < 1) throw new IllegalArgumentException("frameskip must be >= 1, got " + frameskip);
        int m = mean.length;
        float[] mu = new float[m * frameskip], sd = new float[m * frameskip];
        for (int j = 0; j < frameskip; j++)
            for (int i = 0; i < m; i++) {
                if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i]) || std[i] < 0)
                    throw new IllegalArgumentException("action stats for dim " + i + " must be finite with std >= 0, "
                            + "got mean=" + mean[i] + " std=" + std[i]);
                mu[j * m + i] = (float) mean[i];
                sd[j * m + i] = (float) Math.max(std[i], floor);
            }
        return new Normalizer(mu, sd, m, frameskip);
    }

    /** Identity normalisation (mean 0, std 1) for a model action of k·m dims. */
    public static Normalizer identity(int primitiveDim, int frameskip) {
        double[] z = new double[primitiveDim], o = new double[primitiveDim];
        Arrays.fill(o, 1.0);
        return fromPrimitiveStats(z, o, frameskip, DEFAULT_STD_FLOOR);
    }

    /**
     * Fits from raw model actions [N][k·m]: every slot j of the k concatenated primitive actions contributes to the
     * statistics of primitive dim i (population std).
     */
    public static Normalizer fit(float[][] modelActions, int primitiveDim, int frameskip) {
        int m = primitiveDim;
        double[] sum = new double[m], sq = new double[m];
        long n = 0;
        for (float[] a : modelActions) {
            if (a.length != m * frameskip)
                throw new IllegalArgumentException("model action length must be k*m=" + m * frameskip + ", got " + a.length);
            for (int j = 0; j < frameskip; j++)
                for (int i = 0; i < m; i++) {
                    double v = a[j * m + i];
                    sum[i] += v;
                    sq[i] += v * v;
                }
            n += frameskip;
        }
        if (n == 0) throw new IllegalArgumentException("cannot fit a normalizer on zero actions");
        double[] mu = new double[m], sd = new double[m];
        for (int i = 0; i < m; i++) {
            mu[i] = sum[i] / n;
            sd[i] = Math.sqrt(Math.max(0, sq[i] / n - mu[i] * mu[i]));
        }
        return fromPrimitiveStats(mu, sd, frameskip, DEFAULT_STD_FLOOR);
    }

    /** Restores from stored tiled arrays mean[k·m], std[k·m] (checkpoint loading). */
    public static Normalizer ofTiled(float[] mean, float[] std, int primitiveDim, int frameskip) {
        if (mean.length != primitiveDim * frameskip || std.length != mean.length)
            throw new IllegalArgumentException("normalizer arrays must have length k*m=" + primitiveDim * frameskip
                    + ", got mean " + mean.length + ", std " + std.length);
        for (float s : std)
            if (!(s > 0)) throw new IllegalArgumentException("normalizer std must be > 0, got " + s);
        return new Normalizer(mean.clone(), std.clone(), primitiveDim, frameskip);
    }

    public int dim() { return mean.length; }

    public int primitiveDim() { return primitiveDim; }

    public int frameskip() { return frameskip; }

    public float[] mean() { return mean.clone(); }

    public float[] std() { return std.clone(); }

    /** Raw model actions [B][k·m] -> normalised [B][k·m] (new arrays). */
    public float[][] normalise(float[][] raw) {
        float[][] out = new float[raw.length][];
        for (int b = 0; b < raw.length; b++) {
            check(raw[b]);
            out[b] = new float[mean.length];
            for (int i = 0; i < mean.length; i++) out[b][i] = (raw[b][i] - mean[i]) / std[i];
        }
        return out;
    }

    /** Normalised model actions [B][k·m] -> raw [B][k·m] (new arrays). */
    public float[][] unnormalise(float[][] norm) {
        float[][] out = new float[norm.length][];
        for (int b = 0; b < norm.length; b++) {
            check(norm[b]);
            out[b] = new float[mean.length];
            for (int i = 0; i < mean.length; i++) out[b][i] = norm[b][i] * std[i] + mean[i];
        }
        return out;
    }

    private void check(float[] a) {
        if (a.length != mean.length)
            throw new IllegalArgumentException("model action must have k*m=" + mean.length + " entries, got " + a.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalizer n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std)
                && primitiveDim == n.primitiveDim && frameskip == n.frameskip;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalizer(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
