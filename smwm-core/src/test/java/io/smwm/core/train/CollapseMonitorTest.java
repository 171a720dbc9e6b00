package io.smwm.core.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

class CollapseMonitorTest {
    /** 300 "frames" whose first {@code factors} bytes are independent uniform factors. */
    private static byte[][] frames(int factors) {
        Random r = new Random(3);
        byte[][] f = new byte[300][8];
        for (byte[] x : f) for (int j = 0; j < factors; j++) x[j] = (byte) r.nextInt(256);
        return f;
    }

    /** z = W · (factor values scaled by {@code scale}), W a fixed random 16 × 8 map: a linear embedding. */
    private static Function<byte[][], INDArray> linearEncoder(double scale) {
        Random r = new Random(11);
        double[][] w = new double[16][8];
        for (double[] row : w) for (int j = 0; j < 8; j++) row[j] = r.nextGaussian();
        return frames -> {
            double[][] z = new double[frames.length][16];
            for (int i = 0; i < frames.length; i++)
                for (int d = 0; d < 16; d++)
                    for (int j = 0; j < 8; j++) z[i][d] += w[d][j] * scale * (frames[i][j] & 0xff) / 255.0;
            return Nd4j.createFromArray(z).castTo(DataType.FLOAT);
        };
    }

    @Test
    void countsTheFactorsOfALinearEmbedding() {
        for (int factors : new int[]{2, 3, 5}) {
            CollapseMonitor m = new CollapseMonitor(frames(factors));
            CollapseMonitor.Check c = m.check(1, linearEncoder(0.1));
            assertNull(c.warning());
            assertEquals(factors, c.significantComponents(), "significant components for " + factors + " factors");
            double sum = 0;
            for (double v : c.explainedRatio()) sum += v;
            assertEquals(1.0, sum, 1e-6);
            for (int i = 1; i < c.explainedRatio().length; i++)
                assertTrue(c.explainedRatio()[i] <= c.explainedRatio()[i - 1] + 1e-12, "ratios sorted");
            assertEquals(Math.min(4, c.explainedRatio().length), c.topRatios(4).length);
        }
    }

    @Test
    void warnsOnCollapseAndOnAFallingStd() {
        CollapseMonitor m = new CollapseMonitor(frames(3));
        assertNull(m.check(1, linearEncoder(0.1)).warning());
        CollapseMonitor.Check fell = m.check(2, linearEncoder(0.02));
        assertNotNull(fell.warning());
        assertTrue(fell.warning().contains("latent std fell"), fell.warning());
        CollapseMonitor.Check collapsed = m.check(3, frames -> Nd4j.zeros(DataType.FLOAT, frames.length, 16));
        assertTrue(collapsed.warning().contains("collapsed"), collapsed.warning());
        assertEquals(3, m.history().size());
    }

    /** Tiny isotropic noise (a near-collapsed first epoch) has a high effective rank: z = 1e-4 · N(0, 1) per dim. */
    private static Function<byte[][], INDArray> noiseEncoder() {
        return frames -> {
            Random r = new Random(5);
            double[][] z = new double[frames.length][16];
            for (double[] row : z) for (int d = 0; d < 16; d++) row[d] = 1e-4 * r.nextGaussian();
            return Nd4j.createFromArray(z).castTo(DataType.FLOAT);
        };
    }

    @Test
    void aNearCollapsedFirstEpochIsNotTheReferenceRank() {
        CollapseMonitor m = new CollapseMonitor(frames(3));
        CollapseMonitor.Check noise = m.check(1, noiseEncoder());
        assertTrue(noise.effectiveRank() > 10, "isotropic noise has a high rank: " + noise.effectiveRank());
        assertTrue(noise.warning().contains("collapsed"), noise.warning());
        // the latent forms with 3 factors (rank ~3, far below the noise's): no warning now or later
        assertNull(m.check(2, linearEncoder(0.1)).warning());
        assertNull(m.check(3, linearEncoder(0.1)).warning());
        // but a real fall of the rank after the latent formed still warns: 3 factors -> 1 factor (scaled so the std holds)
        CollapseMonitor.Check one = m.check(4, frames -> linearEncoder(0.2).apply(keepFirst(frames, 1)));
        assertNotNull(one.warning(), "rank fell from ~3 to ~1");
        assertTrue(one.warning().contains("effective rank fell"), one.warning());
    }

    private static byte[][] keepFirst(byte[][] frames, int n) {
        byte[][] out = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            out[i] = new byte[frames[i].length];
            System.arraycopy(frames[i], 0, out[i], 0, n);
        }
        return out;
    }
}
