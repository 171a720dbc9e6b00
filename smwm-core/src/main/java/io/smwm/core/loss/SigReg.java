package io.smwm.core.loss;

import java.util.SplittableRandom;

/**
 * SIGReg (sketched isotropic Gaussian regulariser), as LeWorldModel trains with it: the Epps–Pulley statistic of
 * random 1-D projections of a batch of latents against N(0, 1), averaged over the projections and over the frames
 * (slices) a transition holds. Host-side arithmetic in double precision, used by the direct engine and by tests;
 * {@link WorldModelLoss} defines the same function in the SameDiff graph.
 *
 * <p>For one slice of N latents z_b ∈ R^d and one unit direction a (a column of A [d, M]), with x_b = z_b·a:
 * <pre>
 *   t_j   = j·3/(K−1), j = 0..K−1                  K = loss.sigregKnots knots on [0, 3]
 *   φ(t)  = exp(−t²/2)                             the characteristic function of N(0, 1), also the weighting
 *   C_j   = (1/N) Σ_b cos(t_j x_b),  S_j = (1/N) Σ_b sin(t_j x_b)   the empirical characteristic function
 *   e_j   = (C_j − φ(t_j))² + S_j²                 |empirical − normal|² at t_j
 *   ω_j   = Δ·(1 if j ∈ {0, K−1} else 2)·φ(t_j)    Δ = 3/(K−1): the trapezoid rule on [0, 3], doubled for the
 *                                                  symmetric integral over [−3, 3], times the weighting φ
 *   EP(x) = N · Σ_j ω_j e_j                        ≈ N ∫ |φ_N(t) − φ(t)|² φ(t) dt
 * </pre>
 * SIGReg = the mean of EP over the M directions and the slices. A sample from N(0, 1) gives EP ≈ 1 whatever N (the
 * exact integral's expectation is √(2π) − √(2π/3) ≈ 1.06), a collapsed or mis-scaled one grows like N.
 * Directions: M columns of i.i.d. N(0, 1) entries, each scaled to unit L2 norm ({@link #projections}).
 */
public final class SigReg {
    /** The upper end of the quadrature interval [0, T_MAX]. */
    public static final double T_MAX = 3.0;

    private SigReg() {}

    /** The knots t_j = j·T_MAX/(K−1) [K]. */
    public static double[] knots(int k) {
        if (k < 2) throw new IllegalArgumentException("SIGReg needs at least 2 knots, got " + k);
        double[] t = new double[k];
        for (int j = 0; j < k; j++) t[j] = j * T_MAX / (k - 1);
        return t;
    }

    /** φ(t_j) = exp(−t_j²/2) at the knots [K]. */
    public static double[] phi(int k) {
        double[] t = knots(k), p = new double[k];
        for (int j = 0; j < k; j++) p[j] = Math.exp(-t[j] * t[j] / 2);
        return p;
    }

    /** The quadrature weights ω_j = Δ·(1 at the ends, 2 inside)·φ(t_j) [K]. */
    public static double[] weights(int k) {
        double dt = T_MAX / (k - 1);
        double[] p = phi(k), w = new double[k];
        for (int j = 0; j < k; j++) w[j] = (j == 0 || j == k - 1 ? dt : 2 * dt) * p[j];
        return w;
    }

    /**
     * M random unit directions in R^d, drawn from {@code seed}: A [d, M] row-major (entry (i, m) at i·M + m), column m
     * = a standard-normal vector divided by its L2 norm. Both engines take the same array for the same step.
     */
    public static float[] projections(int d, int m, long seed) {
        if (d < 1 || m < 1 || (long) d * m > Integer.MAX_VALUE)
            throw new IllegalArgumentException("projections need d >= 1 and M >= 1, got " + d + " x " + m);
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[d * m];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        float[] out = new float[a.length];
        for (int c = 0; c < m; c++) {
            double ss = 0;
            for (int i = 0; i < d; i++) ss += a[i * m + c] * a[i * m + c];
            double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
            for (int i = 0; i < d; i++) out[i * m + c] = (float) (a[i * m + c] * inv);
        }
        return out;
    }

    /** EP(x) of one 1-D sample x [N] (see the class doc) with K knots. */
    public static double statistic(double[] x, int k) {
        return ofProjections(x, 1, x.length, 1, k, 1.0, null);
    }

    /**
     * SIGReg of {@code slices} slices of {@code n} latents each, and optionally its gradient.
     *
     * @param z      latents [slices·n, d] row-major, slice-major (row s·n + b is sample b of slice s)
     * @param a      directions A [d, m] row-major ({@link #projections})
     * @param k      quadrature knots
     * @param scale  factor applied to the gradient (the term's weight in L)
     * @param dz     null, or [slices·n, d]: receives {@code += scale · ∂SIGReg/∂z}
     * @return SIGReg: EP averaged over the m directions and the slices
     */
    public static double value(double[] z, int slices, int n, int d, double[] a, int m, int k, double scale,
                               double[] dz) {
        int rows = slices * n;
        if (z.length != rows * d || a.length != d * m || (dz != null && dz.length != z.length))
            throw new IllegalArgumentException("SIGReg shapes: z " + z.length + " for " + rows + "x" + d + ", A "
                    + a.length + " for " + d + "x" + m);
        double[] x = new double[rows * m]; // projections x = z·A [rows, m]
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < d; i++) {
                double zi = z[r * d + i];
                if (zi == 0) continue;
                for (int c = 0, xo = r * m, ao = i * m; c < m; c++) x[xo + c] += zi * a[ao + c];
            }
        double[] dx = dz == null ? null : new double[x.length];
        double v = ofProjections(x, slices, n, m, k, scale, dx);
        if (dz == null) return v;
        for (int r = 0; r < rows; r++) // dz += dx·Aᵀ
            for (int i = 0; i < d; i++) {
                double g = 0;
                for (int c = 0, xo = r * m, ao = i * m; c < m; c++) g += dx[xo + c] * a[ao + c];
                dz[r * d + i] += g;
            }
        return v;
    }

    /**
     * SIGReg from the projected latents, and optionally its gradient w.r.t. them (the direct engine projects with
     * BLAS and calls this).
     *
     * @param x     projections x = z·A [slices·n, m] row-major, slice-major rows
     * @param scale factor applied to the gradient
     * @param dx    null, or [slices·n, m]: receives (is assigned) {@code scale · ∂SIGReg/∂x}
     * @return SIGReg: EP averaged over the m directions and the slices
     */
    public static double ofProjections(double[] x, int slices, int n, int m, int k, double scale, double[] dx) {
        int rows = slices * n;
        if (x.length != rows * m || (dx != null && dx.length != x.length))
            throw new IllegalArgumentException("SIGReg shapes: x " + x.length + " for " + rows + "x" + m);
        double[] t = knots(k), p = phi(k), w = weights(k);
        double theta = t[1]; // t_j = j·θ: cos/sin at every knot from one cos/sin pair by the angle-addition recurrence
        // Σ_b cos(t_j x_b) and Σ_b sin(t_j x_b), laid out [slice][knot][direction] so the inner loops run over the
        // directions (contiguous, vectorisable); cos/sin per sample and direction are computed once per pass
        double[] cs = new double[slices * k * m], sn = new double[slices * k * m];
        double[] c1 = new double[m], s1 = new double[m], cc = new double[m], sc = new double[m];
        for (int s = 0; s < slices; s++)
            for (int b = 0; b < n; b++) {
                knot1(x, (s * n + b) * m, m, theta, c1, s1, cc, sc);
                for (int j = 0; j < k; j++) {
                    int o = (s * k + j) * m;
                    for (int c = 0; c < m; c++) {
                        cs[o + c] += cc[c];
                        sn[o + c] += sc[c];
                    }
                    next(m, c1, s1, cc, sc);
                }
            }
        double total = 0;
        for (int s = 0; s < slices; s++)
            for (int j = 0; j < k; j++) {
                int o = (s * k + j) * m;
                for (int c = 0; c < m; c++) {
                    double cm = cs[o + c] / n - p[j], sm = sn[o + c] / n;
                    total += w[j] * (cm * cm + sm * sm);
                    // reuse cs/sn for the gradient's coefficients: ∂EP/∂x_b = Σ_j gc_j cos(t_j x_b) + gs_j sin(t_j x_b)
                    // with gc_j = 2 ω_j t_j S_j and gs_j = −2 ω_j t_j (C_j − φ_j)
                    cs[o + c] = 2 * w[j] * t[j] * sm;
                    sn[o + c] = -2 * w[j] * t[j] * cm;
                }
            }
        double mean = n * total / (slices * m);
        if (dx == null) return mean;
        double per = scale / (slices * m);
        for (int s = 0; s < slices; s++)
            for (int b = 0; b < n; b++) {
                int row = (s * n + b) * m;
                knot1(x, row, m, theta, c1, s1, cc, sc);
                java.util.Arrays.fill(dx, row, row + m, 0.0);
                for (int j = 0; j < k; j++) {
                    int o = (s * k + j) * m;
                    for (int c = 0; c < m; c++) dx[row + c] += cs[o + c] * cc[c] + sn[o + c] * sc[c];
                    next(m, c1, s1, cc, sc);
                }
                for (int c = 0; c < m; c++) dx[row + c] *= per;
            }
        return mean;
    }

    /** For x[from..from+m): c1, s1 = cos, sin of θx; cc, sc = the values at knot 0 (1 and 0). */
    private static void knot1(double[] x, int from, int m, double theta, double[] c1, double[] s1, double[] cc,
                              double[] sc) {
        for (int c = 0; c < m; c++) {
            double a = x[from + c] * theta;
            c1[c] = Math.cos(a);
            s1[c] = Math.sin(a);
            cc[c] = 1;
            sc[c] = 0;
        }
    }

    /** cos((j+1)θx), sin((j+1)θx) from those at j by the angle-addition formulas, in place. */
    private static void next(int m, double[] c1, double[] s1, double[] cc, double[] sc) {
        for (int c = 0; c < m; c++) {
            double cn = cc[c] * c1[c] - sc[c] * s1[c];
            sc[c] = sc[c] * c1[c] + cc[c] * s1[c];
            cc[c] = cn;
        }
    }
}
