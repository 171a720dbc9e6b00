package io.smwm.core.loss;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGReg's Epps–Pulley statistic against independent computations, its directions and its gradient. */
class SigRegTest {

    static double[] normal(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = scale * r.nextGaussian();
        return x;
    }

    /**
     * The same quadrature written differently: |φ_N(t) − φ(t)|² expanded into the double sum
     * (1/N²)Σ_a Σ_b cos(t(x_a − x_b)) − (2/N) φ(t) Σ_b cos(t x_b) + φ(t)², integrated over [−3, 3] by the trapezoid
     * rule interval by interval on both halves, times N.
     */
    static double doubleSumQuadrature(double[] x, int k) {
        int n = x.length;
        double dt = 3.0 / (k - 1);
        double[] f = new double[k];
        for (int j = 0; j < k; j++) {
            double t = j * dt, phi = Math.exp(-t * t / 2), pairs = 0, single = 0;
            for (double xa : x) {
                single += Math.cos(t * xa);
                for (double xb : x) pairs += Math.cos(t * (xa - xb));
            }
            f[j] = (pairs / ((double) n * n) - 2 * phi * single / n + phi * phi) * phi;
        }
        double half = 0;
        for (int j = 0; j + 1 < k; j++) half += (f[j] + f[j + 1]) / 2 * dt;
        return n * 2 * half; // the integrand is even in t: [−3, 0] gives what [0, 3] gives
    }

    /**
     * The exact integral over the whole line, N ∫ |φ_N(t) − e^{−t²/2}|² e^{−t²/2} dt in closed form:
     * N [ (√(2π)/N²) Σ_a Σ_b e^{−(x_a−x_b)²/2} − (2√π/N) Σ_b e^{−x_b²/4} + √(2π/3) ].
     */
    static double exactIntegral(double[] x) {
        int n = x.length;
        double pairs = 0, single = 0;
        for (double xa : x) {
            single += Math.exp(-xa * xa / 4);
            for (double xb : x) pairs += Math.exp(-(xa - xb) * (xa - xb) / 2);
        }
        return n * (Math.sqrt(2 * Math.PI) * pairs / ((double) n * n) - 2 * Math.sqrt(Math.PI) * single / n
                + Math.sqrt(2 * Math.PI / 3));
    }

    @Test
    void standardNormalSampleScoresAboutOne_collapsedAndScaledOnesScoreLikeN() {
        int n = 2000;
        double normal = SigReg.statistic(normal(n, 1, 1.0), 17);
        // E[N ∫ |φ_N − φ|² φ] = ∫ (1 − e^{−t²}) e^{−t²/2} dt = √(2π) − √(2π/3) ≈ 1.06 for any N
        assertTrue(normal > 0 && normal < 3, "N(0,1) sample: " + normal);
        assertTrue(normal / n < 2e-3, "per sample: " + normal / n);

        double[] collapsed = new double[n];
        Arrays.fill(collapsed, 0.25);
        double c = SigReg.statistic(collapsed, 17);
        assertTrue(c / n > 0.3, "all equal: " + c);
        double scaled = SigReg.statistic(normal(n, 1, 3.0), 17);
        assertTrue(scaled / n > 0.2, "N(0, 9) sample: " + scaled);
        assertTrue(SigReg.statistic(normal(n, 1, 0.2), 17) / n > 0.2, "N(0, 0.04) sample");
    }

    @Test
    void statisticEqualsTheDoubleSumQuadratureAndApproachesTheExactIntegral() {
        double[] all0 = new double[300];
        for (double[] x : new double[][]{normal(300, 2, 1.0), normal(300, 3, 3.0), normal(300, 4, 0.1), all0}) {
            double got = SigReg.statistic(x, 17);
            assertEquals(doubleSumQuadrature(x, 17), got, 1e-9 * Math.max(1, got), "same quadrature");
            assertEquals(doubleSumQuadrature(x, 9), SigReg.statistic(x, 9), 1e-9 * Math.max(1, got), "9 knots");
            // the quadrature stops at |t| = 3 and uses 17 knots: within 2.5 % of the exact integral
            double exact = exactIntegral(x);
            assertEquals(exact, got, 0.025 * exact + 0.02, "exact integral " + exact + " vs quadrature " + got);
        }
        // the collapsed sample at 0 by hand: N (√(2π) − 2√π + √(2π/3)) ≈ 0.4089 N
        assertEquals(300 * (Math.sqrt(2 * Math.PI) - 2 * Math.sqrt(Math.PI) + Math.sqrt(2 * Math.PI / 3)),
                exactIntegral(all0), 1e-9);
    }

    @Test
    void knotsAndWeightsAreTheDoubledTrapezoidTimesTheGaussian() {
        double[] t = SigReg.knots(17), w = SigReg.weights(17);
        assertEquals(0.0, t[0]);
        assertEquals(3.0, t[16], 1e-15);
        assertEquals(3.0 / 16, t[1], 1e-15);
        assertEquals(3.0 / 16, w[0], 1e-15);
        assertEquals(2 * 3.0 / 16 * Math.exp(-t[5] * t[5] / 2), w[5], 1e-15);
        assertEquals(3.0 / 16 * Math.exp(-4.5), w[16], 1e-15);
        // Σ ω_j ≈ ∫_{−3}^{3} e^{−t²/2} dt = √(2π)·(1 − 2·Φ(−3)) ≈ 2.5
        double sum = 0;
        for (double v : w) sum += v;
        assertEquals(2.4998, sum, 2e-3);
    }

    @Test
    void projectionsAreSeededUnitColumns() {
        float[] a = SigReg.projections(5, 7, 42);
        assertArrayEquals(a, SigReg.projections(5, 7, 42));
        assertFalse(Arrays.equals(a, SigReg.projections(5, 7, 43)));
        for (int c = 0; c < 7; c++) {
            double ss = 0;
            for (int i = 0; i < 5; i++) ss += a[i * 7 + c] * a[i * 7 + c];
            assertEquals(1.0, ss, 1e-6, "column " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> SigReg.projections(0, 3, 1));
    }

    @Test
    void valueAveragesTheStatisticOverDirectionsAndSlices() {
        int slices = 2, n = 40, d = 3, m = 4;
        double[] z = normal(slices * n * d, 5, 0.7);
        float[] af = SigReg.projections(d, m, 9);
        double[] a = new double[af.length];
        for (int i = 0; i < a.length; i++) a[i] = af[i];
        double want = 0;
        for (int s = 0; s < slices; s++)
            for (int c = 0; c < m; c++) {
                double[] x = new double[n];
                for (int b = 0; b < n; b++)
                    for (int i = 0; i < d; i++) x[b] += z[(s * n + b) * d + i] * a[i * m + c];
                want += doubleSumQuadrature(x, 17);
            }
        want /= slices * m;
        assertEquals(want, SigReg.value(z, slices, n, d, a, m, 17, 1, null), 1e-9 * want);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        int slices = 2, n = 5, d = 3, m = 4, k = 17;
        double[] z = normal(slices * n * d, 11, 0.8);
        float[] af = SigReg.projections(d, m, 3);
        double[] a = new double[af.length];
        for (int i = 0; i < a.length; i++) a[i] = af[i];
        double scale = 0.7;
        double[] dz = new double[z.length];
        Arrays.fill(dz, 0.25); // the gradient is added, not assigned
        SigReg.value(z, slices, n, d, a, m, k, scale, dz);
        double eps = 1e-6, maxG = 0;
        for (double g : dz) maxG = Math.max(maxG, Math.abs(g - 0.25));
        assertTrue(maxG > 1e-3, "no gradient");
        for (int i = 0; i < z.length; i++) {
            double orig = z[i];
            z[i] = orig + eps;
            double plus = SigReg.value(z, slices, n, d, a, m, k, 1, null);
            z[i] = orig - eps;
            double minus = SigReg.value(z, slices, n, d, a, m, k, 1, null);
            z[i] = orig;
            double fd = scale * (plus - minus) / (2 * eps);
            assertEquals(fd, dz[i] - 0.25, 1e-6 * Math.max(1, maxG), "dz[" + i + "]");
        }
    }
}
