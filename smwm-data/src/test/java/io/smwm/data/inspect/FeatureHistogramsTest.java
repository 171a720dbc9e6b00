package io.smwm.data.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureHistogramsTest {

    @Test
    void valuesLandInTheirBins_outOfRangeAtTheEnds_nonFiniteDropped() {
        FeatureHistograms h = new FeatureHistograms(List.of("a", "b"), new double[] {-1, 0}, new double[] {1, 4}, 4);
        h.add(new float[][] {{-1f, 0f}, {-0.4f, 1.5f}, {0.1f, 3.99f}, {1f, 4f}, {5f, -2f}, {Float.NaN, 2f},
                {9f, 9f}}, 6); // the last row is beyond n and must not count
        assertArrayEquals(new long[] {1, 1, 1, 2}, h.counts()[0]); // -1 | -0.4 | 0.1 | 1 and 5 (clamped)
        assertArrayEquals(new long[] {2, 1, 1, 2}, h.counts()[1]); // 0,-2 | 1.5 | 2 | 3.99, 4
    }

    @Test
    void aConstantDimension_getsAUnitRangeAroundIt() {
        FeatureHistograms h = new FeatureHistograms(List.of("c"), new double[] {3}, new double[] {3}, 2);
        h.add(new float[][] {{3f}, {3f}}, 2);
        assertEquals(2.5, h.lo()[0], 1e-12);
        assertEquals(3.5, h.hi()[0], 1e-12);
        assertArrayEquals(new long[] {0, 2}, h.counts()[0]);
    }

    @Test
    void mismatchedRanges_areRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureHistograms(List.of("a"), new double[] {0, 1}, new double[] {1, 2}, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureHistograms(List.of("a"), new double[] {0}, new double[] {1}, 0));
    }
}
