package io.smwm.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.checkpoint.Provenance;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.testing.MovingSquare;
import io.smwm.core.train.Learner;
import io.smwm.core.train.TransitionBatch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** model.history: observations of h frames stacked on the channel axis, oldest first. */
class FrameHistoryTest {
    static final ModelConfig H2 = MovingSquare.tinyConfig(16).withHistory(2);
    static final int FRAME = 16 * 16 * 3;

    /** Observations of two moving-square frames: (previous, current) for the first, (current, next) for o_{t+k}. */
    static TransitionBatch twoFrameBatch(int n, long seed) {
        TransitionBatch a = MovingSquare.transitions(16, n, seed), b = MovingSquare.transitions(16, n, seed + 1);
        byte[][] o = new byte[n][], ok = new byte[n][];
        for (int i = 0; i < n; i++) {
            o[i] = concat(b.obsT()[i], a.obsT()[i]);
            ok[i] = concat(a.obsT()[i], a.obsTk()[i]);
        }
        return new TransitionBatch(o, a.actions(), ok);
    }

    static byte[] concat(byte[] x, byte[] y) {
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    @Test
    void imagesToInput_stacksFramesOnChannels_oldestFirst() {
        byte[] older = new byte[FRAME], newer = new byte[FRAME];
        older[0] = (byte) 255;   // pixel (0,0), R of the older frame
        newer[5] = (byte) 51;    // pixel (0,1), B of the newer frame
        INDArray x = WorldModelGraph.imagesToInput(new byte[][] {concat(older, newer)}, H2);
        assertEquals(4, x.rank());
        assertEquals(6, x.size(1), "C·h channels");
        assertEquals(1.0, x.getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(0.2, x.getDouble(0, 5, 0, 1), 1e-6, "newer frame's B is channel 3 + 2");
        assertEquals(0.0, x.getDouble(0, 3, 0, 0), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorldModelGraph.imagesToInput(new byte[][] {newer}, H2));
        assertTrue(e.getMessage().contains("2 frames"), e.getMessage());
    }

    @Test
    void history2_trainsAStep_andTheOlderFrameChangesTheLatent() {
        Learner l = new Learner(H2, new LossConfig(1.0), TrainConfig.DEFAULT.withLr(1e-3),
                Normalizer.identity(2, 1), 3);
        assertEquals(3L * 3 * 6 * 8, l.graph().params().get(0).length(), "first conv sees 6 input channels");
        TransitionBatch b = twoFrameBatch(8, 4);
        INDArray before = l.params();
        Learner.StepResult r = l.step(b);
        assertTrue(Double.isFinite(r.loss().total()));
        assertNotEquals(before, l.params());
        WorldModel m = l.snapshot();
        byte[] f1 = MovingSquare.render(16, 2, 3), f2 = MovingSquare.render(16, 6, 3);
        INDArray moving = m.encode(new byte[][] {concat(f1, f2)}), still = m.encode(new byte[][] {concat(f2, f2)});
        assertEquals(H2.latentDim(), moving.size(1));
        assertFalse(moving.equalsWithEps(still, 1e-7), "the same current frame with another past is another z");
    }

    @Test
    void config_historyDefaultsToOne_andIsValidated() {
        assertEquals(1, ConfigLoader.parse("model: {latentDim: 8}", "t").model().history());
        assertEquals(3, ConfigLoader.parse("model: {history: 3}", "t").model().history());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("model: {history: 0}", "t"));
        assertTrue(e.getMessage().contains("model.history"), e.getMessage());
        assertEquals(2 * 16 * 16 * 3, H2.observationBytes());
    }

    @Test
    void checkpoint_roundTripsTheHistory(@TempDir Path tmp) {
        ExperimentConfig cfg = new ExperimentConfig(H2, new LossConfig(1.0), TrainConfig.DEFAULT);
        Learner l = new Learner(H2, cfg.loss(), cfg.train(), Normalizer.identity(2, 1), 5);
        TransitionBatch b = twoFrameBatch(4, 9);
        l.step(b);
        Path dir = tmp.resolve("ckpt");
        CheckpointIO.save(new Checkpoint(cfg, l.normalizer(), l.params(), l.updaterState(),
                Provenance.of("fp", 5, "", 1, 1)), dir, false);
        Checkpoint back = CheckpointIO.load(dir);
        assertEquals(2, back.config().model().history());
        assertEquals(l.snapshot().encode(b.obsT()), back.toModel().encode(b.obsT()));
    }
}
