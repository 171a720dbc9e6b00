package io.smwm.core.stats;

import java.util.Arrays;

/** Small dense double-precision linear algebra for diagnostics (d ≤ a few hundred): no native calls. */
final class Linalg {
    private Linalg() {}

    /** Column means of x [n][d]. */
    static double[] colMeans(double[][] x) {
        int d = x[0].length;
        double[] m = new double[d];
        for (double[] r : x) for (int j = 0; j < d; j++) m[j] += r[j];
        for (int j = 0; j < d; j++) m[j] /= x.length;
        return m;
    }

    /** Scatter matrix XcᵀXc of the centred x, [d][d]. */
    static double[][] centredGram(double[][] x) {
        int d = x[0].length;
        double[] mu = colMeans(x);
        double[][] g = new double[d][d];
        double[] c = new double[d];
        for (double[] r : x) {
            for (int j = 0; j < d; j++) c[j] = r[j] - mu[j];
            for (int i = 0; i < d; i++) {
                double ci = c[i];
                if (ci == 0) continue;
                for (int j = i; j < d; j++) g[i][j] += ci * c[j];
            }
        }
        for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) g[i][j] = g[j][i];
        return g;
    }

    /** Eigenvalues of a symmetric matrix, descending, clamped at 0 from below (cyclic Jacobi). */
    static double[] symmetricEigenvalues(double[][] sym) {
        return eigen(sym)[0][0];
    }

    /**
     * Symmetric eigendecomposition (cyclic Jacobi): result[0][0] = eigenvalues descending (clamped at 0),
     * result[1] = matrix whose COLUMN i is the unit eigenvector of eigenvalue i.
     */
    static double[][][] eigen(double[][] sym) {
        int n = sym.length;
        double[][] a = new double[n][], v = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i] = sym[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
            }
            if (off <= 1e-24 * Math.max(diag, 1e-300)) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) { // rotate columns p, q
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // rotate rows p, q
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) { // accumulate V = V·J
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
        double[] ev = new double[n];
        double[][] vec = new double[n][n];
        for (int i = 0; i < n; i++) {
            ev[i] = Math.max(0, a[order[i]][order[i]]);
            for (int k = 0; k < n; k++) vec[k][i] = v[k][order[i]];
        }
        return new double[][][]{{ev}, vec};
    }

    /** Solves (A) X = B for symmetric positive definite A [d][d], B [d][k] (Cholesky). */
    static double[][] solveSpd(double[][] a, double[][] b) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                if (i == j) {
                    if (s <= 0) throw new ArithmeticException("matrix not positive definite");
                    l[i][i] = Math.sqrt(s);
                } else l[i][j] = s / l[j][j];
            }
        int m = b[0].length;
        double[][] x = new double[n][m];
        for (int c = 0; c < m; c++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b[i][c];
                for (int k = 0; k < i; k++) s -= l[i][k] * y[k];
                y[i] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < n; k++) s -= l[k][i] * x[k][c];
                x[i][c] = s / l[i][i];
            }
        }
        return x;
    }

    /** Mean over columns of the per-column R² = 1 - SS_res/SS_tot (columns with zero variance are skipped). */
    /** Mean of {@link #r2PerColumn} over the columns with non-zero variance (NaN if none). */
    static double r2(double[][] pred, double[][] target) {
        double sum = 0;
        int cols = 0;
        for (double r : r2PerColumn(pred, target)) {
            if (Double.isNaN(r)) continue;
            sum += r;
            cols++;
        }
        return cols == 0 ? Double.NaN : sum / cols;
    }

    /** Per-column R² = 1 − SS_res / SS_tot of pred against target [N][d]; NaN for a column with zero variance. */
    static double[] r2PerColumn(double[][] pred, double[][] target) {
        int d = target[0].length;
        double[] mu = colMeans(target);
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            double res = 0, tot = 0;
            for (int i = 0; i < target.length; i++) {
                res += Math.pow(target[i][j] - pred[i][j], 2);
                tot += Math.pow(target[i][j] - mu[j], 2);
            }
            out[j] = tot <= 1e-12 ? Double.NaN : 1 - res / tot;
        }
        return out;
    }
}
