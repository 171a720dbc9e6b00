package io.smwm.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WhiteningTest {

    /** 20,000 latents in 3-D with standard deviations 10, 1 and 0.01 along a rotated basis. */
    private static double[][] sample(double[][] basis) {
        SplittableRandom r = new SplittableRandom(5);
        double[] sd = {10, 1, 0.01};
        double[][] z = new double[20_000][3];
        for (double[] row : z) {
            for (int c = 0; c < 3; c++) {
                double g = sd[c] * gaussian(r);
                for (int j = 0; j < 3; j++) {
                    row[j] += g * basis[c][j];
                }
            }
            row[0] += 4; // an offset: the whitening is of differences, the mean must not matter
        }
        return z;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static final double S = Math.sqrt(0.5);
    private static final double[][] BASIS = {{S, S, 0}, {-S, S, 0}, {0, 0, 1}};

    /** Squared length of W·v. */
    private static double whitenedSq(Whitening w, double[] v) {
        double s = 0;
        for (int i = 0; i < 3; i++) {
            double a = 0;
            for (int j = 0; j < 3; j++) {
                a += w.w()[i * 3 + j] * v[j];
            }
            s += a * a;
        }
        return s;
    }

    @Test
    void eachPrincipalDirection_getsUnitVariance_downToTheFloor() {
        Whitening w = Whitening.fit(sample(BASIS), 0.001);
        // a difference of one standard deviation along each principal direction: length 1 after whitening, but
        // the third (variance 1e-4, below 0.001 · 100) is scaled as if its variance were 0.1
        assertEquals(1.0, whitenedSq(w, scaled(BASIS[0], 10)), 0.03);
        assertEquals(1.0, whitenedSq(w, scaled(BASIS[1], 1)), 0.03);
        assertEquals(1e-4 / 0.1, whitenedSq(w, scaled(BASIS[2], 0.01)), 3e-5);
        assertEquals(1, w.floored());
        // floor 1: every direction divided by the largest variance, so the metric is the plain one rescaled
        Whitening flat = Whitening.fit(sample(BASIS), 1.0);
        assertEquals(1.0 / 100, whitenedSq(flat, scaled(BASIS[1], 1)), 3e-4);
        assertEquals(1.0, whitenedSq(flat, scaled(BASIS[0], 10)), 0.03);
    }

    @Test
    void theInverse_undoesTheWhitening() {
        Whitening w = Whitening.fit(sample(BASIS), 0.01);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int c = 0; c < 3; c++) {
                    s += (double) w.w()[i * 3 + c] * w.wInv()[c * 3 + j];
                }
                assertEquals(i == j ? 1.0 : 0.0, s, 1e-4, "W·W⁻¹ at " + i + "," + j);
            }
        }
    }

    @Test
    void badInput_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Whitening.fit(sample(BASIS), 0));
        assertThrows(IllegalArgumentException.class, () -> Whitening.fit(sample(BASIS), 1.5));
        assertThrows(IllegalArgumentException.class, () -> Whitening.fit(new double[][] {{1, 2, 3}}, 0.1));
    }

    @Test
    void aCollapsedSample_givesTheIdentity() {
        Whitening w = Whitening.fit(new double[][] {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}}, 0.1);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, w.w());
        assertArrayEquals(w.w(), w.wInv());
    }

    private static double[] scaled(double[] v, double s) {
        return new double[] {v[0] * s, v[1] * s, v[2] * s};
    }
}
