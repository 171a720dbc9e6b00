package io.smwm.core.stats;

/**
 * A fitted ridge linear map y ≈ (x − x̄)·W + ȳ from rows x [N][d] to targets y [N][k]: the probe the diagnostics fit
 * from latents to task-state features. The penalty alpha·‖W‖² leaves the bias alone (x and y are centred on the
 * fitting rows).
 */
public final class RidgeProbe {
    private final double[] meanX, meanY;
    private final double[][] w; // [d][k]

    private RidgeProbe(double[] meanX, double[] meanY, double[][] w) {
        this.meanX = meanX;
        this.meanY = meanY;
        this.w = w;
    }

    /** Fits the probe on x [N][d], y [N][k] (N ≥ 2, the same N) with penalty {@code alpha} ≥ 0. */
    public static RidgeProbe fit(double[][] x, double[][] y, double alpha) {
        if (x.length != y.length) throw new IllegalArgumentException("x and y need the same rows: " + x.length + " vs " + y.length);
        if (x.length < 2) throw new IllegalArgumentException("need at least 2 rows to fit a probe, got " + x.length);
        int d = x[0].length, k = y[0].length;
        double[] mx = Linalg.colMeans(x), my = Linalg.colMeans(y);
        double[][] a = new double[d][d], b = new double[d][k];
        for (int i = 0; i < x.length; i++)
            for (int p = 0; p < d; p++) {
                double xp = x[i][p] - mx[p];
                for (int q = 0; q < d; q++) a[p][q] += xp * (x[i][q] - mx[q]);
                for (int q = 0; q < k; q++) b[p][q] += xp * (y[i][q] - my[q]);
            }
        for (int p = 0; p < d; p++) a[p][p] += alpha;
        return new RidgeProbe(mx, my, Linalg.solveSpd(a, b));
    }

    /** The probe's prediction for rows x [N][d]: [N][k]. */
    public double[][] apply(double[][] x) {
        int d = meanX.length, k = meanY.length;
        double[][] out = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) throw new IllegalArgumentException("row " + i + " has " + x[i].length + " columns, the probe " + d);
            for (int q = 0; q < k; q++) {
                double s = meanY[q];
                for (int p = 0; p < d; p++) s += (x[i][p] - meanX[p]) * w[p][q];
                out[i][q] = s;
            }
        }
        return out;
    }
}
