package io.smwm.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.testing.MovingSquare;
import org.junit.jupiter.api.Test;

class LearningRateDecayTest {

    @Test
    void epochThreeWithDecayHalf_stepsLikeAQuarterOfTheRate() {
        TrainConfig decaying = TrainConfig.DEFAULT.withLr(2e-3).withLrDecay(0.5);
        TrainConfig quarter = TrainConfig.DEFAULT.withLr(5e-4);
        assertEquals(5e-4, decaying.lrAt(3), 1e-12);
        assertEquals(2e-3, decaying.lrAt(1), 1e-12);
        TransitionBatch b = MovingSquare.transitions(16, 8, 3);
        Learner a = new Learner(MovingSquare.tinyConfig(16), new LossConfig(1), decaying, Normalizer.identity(2, 1), 4);
        Learner q = new Learner(MovingSquare.tinyConfig(16), new LossConfig(1), quarter, Normalizer.identity(2, 1), 4);
        Learner first = new Learner(MovingSquare.tinyConfig(16), new LossConfig(1), decaying, Normalizer.identity(2, 1), 4);
        a.setEpoch(3);
        a.step(b);
        q.step(b);
        first.step(b);
        assertEquals(q.params(), a.params());
        assertNotEquals(q.params(), first.params(), "epoch 1 steps at the full rate");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.DEFAULT.withLrDecay(1.5));
        assertEquals("train.lrDecay must be in (0, 1], got 1.5", e.getMessage());
    }
}
