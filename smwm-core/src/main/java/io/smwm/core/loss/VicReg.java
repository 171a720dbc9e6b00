package io.smwm.core.loss;

/**
 * The variance and covariance terms of VICReg as PLDM applies them to its encoder's latents, on a batch of N latents
 * z_b ∈ R^d (the method {@code vicreg-idm} applies them to z_t). Host-side arithmetic in double precision, used by
 * the direct engine and by tests; {@link WorldModelLoss} defines the same function in the SameDiff graph.
 * <pre>
 *   z̄      = (1/N) Σ_b z_b,  z̃_b = z_b − z̄,  D = max(N − 1, 1)          (unbiased; a batch of one has no spread)
 *   C      = (1/D) Σ_b z̃_b z̃_bᵀ                                           [d, d]
 *   L_var  = (1/d) Σ_j max(0, γ − sqrt(C_jj + ε))                         γ = {@value #GAMMA}, ε = {@value #EPS}
 *   L_cov  = (1/d) Σ_{i≠j} C_ij²
 * </pre>
 */
public final class VicReg {
    /** γ, the standard deviation each dimension is pushed up to. */
    public static final double GAMMA = 1.0;
    /** ε under the square root of the variance. */
    public static final double EPS = 1e-4;

    /** L_var and L_cov of one batch. */
    public record Terms(double var, double cov) {}

    private VicReg() {}

    /**
     * The two terms on z [n, d] row-major and optionally their gradients.
     *
     * @param varScale factor of ∂L_var/∂z added into dz (its weight in L)
     * @param covScale factor of ∂L_cov/∂z added into dz
     * @param dz       null, or [n, d]: receives {@code += varScale·∂L_var/∂z + covScale·∂L_cov/∂z}
     */
    public static Terms value(double[] z, int n, int d, double varScale, double covScale, double[] dz) {
        if (n < 1 || z.length != n * d || (dz != null && dz.length != z.length))
            throw new IllegalArgumentException("VICReg shapes: z " + z.length + " for " + n + "x" + d);
        double denom = Math.max(n - 1, 1);
        double[] mean = new double[d], zc = new double[n * d];
        for (int b = 0; b < n; b++) for (int i = 0; i < d; i++) mean[i] += z[b * d + i];
        for (int i = 0; i < d; i++) mean[i] /= n;
        for (int b = 0; b < n; b++) for (int i = 0; i < d; i++) zc[b * d + i] = z[b * d + i] - mean[i];
        double[] cov = new double[d * d];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < d; i++) {
                double zi = zc[b * d + i];
                if (zi == 0) continue;
                for (int j = 0; j < d; j++) cov[i * d + j] += zi * zc[b * d + j];
            }
        for (int q = 0; q < cov.length; q++) cov[q] /= denom;
        double var = 0, off = 0;
        double[] std = new double[d];
        for (int i = 0; i < d; i++) {
            std[i] = Math.sqrt(cov[i * d + i] + EPS);
            var += Math.max(0, GAMMA - std[i]);
            for (int j = 0; j < d; j++) if (j != i) off += cov[i * d + j] * cov[i * d + j];
        }
        Terms terms = new Terms(var / d, off / d);
        if (dz == null) return terms;
        // ∂L_var/∂z_bi = −[γ − std_i > 0] · z̃_bi / (d·D·std_i);  ∂L_cov/∂z_bi = 4/(d·D) Σ_{j≠i} C_ij z̃_bj
        // (the centring's own terms cancel: Σ_b z̃_b = 0)
        for (int b = 0; b < n; b++)
            for (int i = 0; i < d; i++) {
                double g = 0;
                if (GAMMA - std[i] > 0) g -= varScale * zc[b * d + i] / (d * denom * std[i]);
                double s = 0;
                for (int j = 0; j < d; j++) if (j != i) s += cov[i * d + j] * zc[b * d + j];
                g += covScale * 4 * s / (d * denom);
                dz[b * d + i] += g;
            }
        return terms;
    }
}
