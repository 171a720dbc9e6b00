package io.smwm.core.loss;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VICReg variance and covariance terms by hand on tiny batches, and their gradients by finite differences. */
class VicRegTest {

    @Test
    void termsByHandOnThreeLatents() {
        // columns 0.5·(1, −1, 0) and 0.5·(0, 2, 1): centred 0.5·(1, −1, 0), 0.5·(−1, 1, 0); D = N − 1 = 2
        // C = [[0.25, −0.25], [−0.25, 0.25]]; std = √(0.25 + 1e-4) in both dimensions
        double[] z = {0.5, 0.0, -0.5, 1.0, 0.0, 0.5};
        VicReg.Terms t = VicReg.value(z, 3, 2, 1, 1, null);
        assertEquals(1 - Math.sqrt(0.2501), t.var(), 1e-12); // (1/2)·2·(1 − √0.2501)
        assertEquals(0.0625, t.cov(), 1e-12); // (1/2)·2·0.25²
    }

    @Test
    void spreadAboveGammaAndUncorrelatedDimensionsCostNothing() {
        // ±2 in dimension 0, ±3 in dimension 1 on a 2×2 design: std > 1, covariance 0
        double[] z = {2, 3, 2, -3, -2, 3, -2, -3};
        VicReg.Terms t = VicReg.value(z, 4, 2, 1, 1, null);
        assertEquals(0.0, t.var(), 0.0);
        assertEquals(0.0, t.cov(), 1e-15);
    }

    @Test
    void oneLatentHasNoSpread() {
        VicReg.Terms t = VicReg.value(new double[]{0.3, -0.1, 0.7}, 1, 3, 1, 1, null);
        assertEquals(1 - Math.sqrt(VicReg.EPS), t.var(), 1e-12);
        assertEquals(0.0, t.cov(), 0.0);
        // a transition fed twice (as the trainer feeds a batch of one) gives the same
        VicReg.Terms twice = VicReg.value(new double[]{0.3, -0.1, 0.7, 0.3, -0.1, 0.7}, 2, 3, 1, 1, null);
        assertEquals(t.var(), twice.var(), 1e-12);
        assertEquals(t.cov(), twice.cov(), 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int n = 6, d = 4;
        SplittableRandom r = new SplittableRandom(7);
        double[] z = new double[n * d];
        for (int i = 0; i < z.length; i++) z[i] = 0.4 * r.nextGaussian();
        z[3] = 3.0; // dimension 3 spreads beyond γ: its hinge is off (no variance gradient there)
        double alpha = 1.3, beta = 0.7;
        double[] dz = new double[z.length];
        Arrays.fill(dz, -0.5);
        VicReg.value(z, n, d, alpha, beta, dz);
        double eps = 1e-6;
        for (int i = 0; i < z.length; i++) {
            double orig = z[i];
            z[i] = orig + eps;
            VicReg.Terms p = VicReg.value(z, n, d, 1, 1, null);
            z[i] = orig - eps;
            VicReg.Terms m = VicReg.value(z, n, d, 1, 1, null);
            z[i] = orig;
            double fd = (alpha * (p.var() - m.var()) + beta * (p.cov() - m.cov())) / (2 * eps);
            assertEquals(fd, dz[i] + 0.5, 1e-7, "dz[" + i + "]");
        }
        // each term alone
        double[] dv = new double[z.length], dc = new double[z.length];
        VicReg.value(z, n, d, 1, 0, dv);
        VicReg.value(z, n, d, 0, 1, dc);
        double sv = 0, sc = 0;
        for (int i = 0; i < z.length; i++) {
            sv += Math.abs(dv[i]);
            sc += Math.abs(dc[i]);
            assertEquals(alpha * dv[i] + beta * dc[i], dz[i] + 0.5, 1e-12);
        }
        assertTrue(sv > 1e-3 && sc > 1e-3, "both terms have gradients: " + sv + ", " + sc);
    }
}
