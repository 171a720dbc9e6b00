package io.smwm.core.train;

import io.smwm.core.config.TrainConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ParameterAverageTest {

    @Test
    void mean_ofThreeIterates_andContinuedFromItsCheckpoint() {
        ParameterAverage a = ParameterAverage.empty(3);
        assertNull(a.toCheckpoint(), "nothing to save before the first iterate");
        a.add(new float[]{1, 2, 3});
        a.add(new float[]{3, 2, -3});
        assertArrayEquals(new float[]{2, 2, 0}, a.mean(), 1e-7f);
        ParameterAverage b = ParameterAverage.resume(a.toCheckpoint(), 3);
        assertEquals(2, b.count());
        a.add(new float[]{5, -4, 6});
        b.add(new float[]{5, -4, 6});
        assertArrayEquals(new float[]{3, 0, 2}, a.mean(), 1e-6f);
        assertArrayEquals(a.mean(), b.mean(), 1e-6f, "a resumed average continues to the same mean");
        assertEquals(3, a.toCheckpoint().count());
        assertEquals(0, ParameterAverage.resume(null, 3).count());
        assertThrows(IllegalArgumentException.class, () -> a.add(new float[2]));
        assertThrows(IllegalArgumentException.class, () -> ParameterAverage.resume(a.toCheckpoint(), 4));
    }

    @Test
    void window_isTheLastEpochs_noneWhenOff_everyEpochWhenLonger() {
        TrainConfig six = TrainConfig.DEFAULT.withEpochs(6);
        for (int e = 1; e <= 6; e++) assertFalse(ParameterAverage.inWindow(six, e), "off by default");
        TrainConfig two = six.withAverageEpochs(2);
        assertEquals(5, two.firstAveragedEpoch());
        assertFalse(ParameterAverage.inWindow(two, 4));
        assertTrue(ParameterAverage.inWindow(two, 5) && ParameterAverage.inWindow(two, 6));
        assertEquals(1, six.withAverageEpochs(9).firstAveragedEpoch());
        assertThrows(IllegalArgumentException.class, () -> six.withAverageEpochs(-1));
    }
}
