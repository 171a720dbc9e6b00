package io.smwm.core.stats;

/**
 * A whitening of latents fitted to a sample: W = V·diag(1/√max(λ_i, floor·λ_max))·Vᵀ from the eigendecomposition
 * Σ = V·diag(λ)·Vᵀ of the sample's covariance, and its inverse. Under W a difference of latents has the same
 * expected squared length along every principal direction whose variance is above the floor; directions below it
 * are scaled as if their variance were at the floor, so that near-empty directions (noise) are not blown up.
 *
 * @param w       W, row-major [D, D]
 * @param wInv    W⁻¹, row-major [D, D]
 * @param floored how many of the D principal directions had less variance than the floor
 */
public record Whitening(float[] w, float[] wInv, int floored) {

    /**
     * Fits W to {@code z} [N][D] (N &gt;= 2) with eigenvalue floor {@code floor} in (0, 1], a fraction of the
     * largest eigenvalue. Latents with no variance at all (a model collapsed to one point) give the identity: there
     * is no direction to weigh, and every plan costs the same under any metric.
     *
     * @throws IllegalArgumentException if there are fewer than 2 latents or the floor is out of range
     */
    public static Whitening fit(double[][] z, double floor) {
        if (!(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException("floor must be in (0, 1], got " + floor);
        }
        if (z.length < 2) {
            throw new IllegalArgumentException("need at least 2 latents, got " + z.length);
        }
        double[][][] e = Linalg.eigen(Linalg.centredGram(z));
        double[] ev = e[0][0];
        double[][] v = e[1];
        int d = ev.length;
        double top = ev[0] / z.length;
        if (!(top > 0)) {
            return identity(d);
        }
        int floored = 0;
        for (double lambda : ev) {
            if (lambda / z.length < floor * top) {
                floored++;
            }
        }
        float[] w = new float[d * d], wInv = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double a = 0, b = 0;
                for (int c = 0; c < d; c++) {
                    double var = Math.max(ev[c] / z.length, floor * top);
                    double p = v[i][c] * v[j][c];
                    a += p / Math.sqrt(var);
                    b += p * Math.sqrt(var);
                }
                w[i * d + j] = (float) a;
                wInv[i * d + j] = (float) b;
            }
        }
        return new Whitening(w, wInv, floored);
    }

    private static Whitening identity(int d) {
        float[] id = new float[d * d];
        for (int i = 0; i < d; i++) {
            id[i * d + i] = 1f;
        }
        return new Whitening(id, id.clone(), 0);
    }
}
