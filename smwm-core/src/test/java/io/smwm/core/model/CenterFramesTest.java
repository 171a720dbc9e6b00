package io.smwm.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** model.centerFrames: each frame's per-channel mean is subtracted before the encoder; off by default. */
class CenterFramesTest {
    static ModelConfig centred(ModelConfig m) {
        return new ModelConfig(m.imageSize(), m.channels(), m.convChannels(), m.latentDim(), m.hidden(),
                m.actionDim(), m.frameskip(), m.context(), true);
    }

    @Test
    void input_hasZeroMeanPerFrameAndChannel_theSameFromBytesAndFromArrays_andIsOffByDefault() {
        ModelConfig plain = MovingSquare.tinyConfig(16), c = centred(plain);
        assertFalse(ModelConfig.DEFAULT.centerFrames(), "the paper's input by default");
        TransitionBatch b = MovingSquare.transitions(16, 3, 2);
        INDArray raw = WorldModelGraph.imagesToInput(b.obsTk(), plain), x = WorldModelGraph.imagesToInput(b.obsTk(), c);
        assertEquals(0.0, x.mean(2, 3).amaxNumber().doubleValue(), 1e-6, "each image's channel means are 0");
        assertTrue(raw.mean(2, 3).amaxNumber().doubleValue() > 0.05, "the uncentred input has a positive mean");
        assertTrue(x.equalsWithEps(raw.sub(raw.mean(true, 2, 3)), 1e-6), "only the mean is taken away");
        // the INDArray path (HWC uint8 [B, S, S, C]) gives the same input
        byte[][] imgs = b.obsTk();
        INDArray hwc = Nd4j.create(DataType.INT32, imgs.length, 16, 16, 3);
        for (int i = 0; i < imgs.length; i++)
            for (int q = 0; q < imgs[i].length; q++) hwc.putScalar(new long[] {i, q / 48, q / 3 % 16, q % 3}, imgs[i][q] & 0xFF);
        assertTrue(WorldModelGraph.imagesToInput(hwc, c).equalsWithEps(x, 1e-6));
        // context frames are centred each on their own
        byte[][] two = new byte[3][];
        for (int i = 0; i < 3; i++) two[i] = ContextTest.concat(b.obsT()[i], b.obsTk()[i]);
        INDArray x2 = WorldModelGraph.imagesToInput(two, c, 2);
        assertEquals(0.0, x2.mean(2, 3).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void aTrainingStepWorks_theEncoderIgnoresABrightnessShift_andTheCheckpointKeepsTheOption(@TempDir Path tmp) {
        ModelConfig c = centred(MovingSquare.tinyConfig(16));
        Learner l = new Learner(c, new LossConfig(1.0), TrainConfig.DEFAULT.withLr(1e-3), Normalizer.identity(2, 1), 3);
        TransitionBatch b = MovingSquare.transitions(16, 8, 5);
        INDArray before = l.params();
        assertTrue(Double.isFinite(l.step(b).loss().total()));
        assertNotEquals(before, l.params());
        // a uniform brightness change of the whole frame leaves a centred input, so the latent, unchanged
        byte[][] dim = new byte[b.obsTk().length][], bright = new byte[dim.length][];
        for (int i = 0; i < dim.length; i++) {
            dim[i] = new byte[b.obsTk()[i].length];
            bright[i] = new byte[dim[i].length];
            for (int q = 0; q < dim[i].length; q++) {
                int v = (b.obsTk()[i][q] & 0xFF) * 200 / 255 + 30; // 30..230: room to shift without clipping
                dim[i][q] = (byte) v;
                bright[i][q] = (byte) (v + 20);
            }
        }
        WorldModel m = l.snapshot();
        assertTrue(m.encode(dim).equalsWithEps(m.encode(bright), 1e-4));
        ModelConfig p = MovingSquare.tinyConfig(16);
        WorldModel uncentred = new Learner(p, new LossConfig(1.0), TrainConfig.DEFAULT, Normalizer.identity(2, 1), 3)
                .snapshot();
        assertFalse(uncentred.encode(dim).equalsWithEps(uncentred.encode(bright), 1e-4), "the paper's input sees it");
        ExperimentConfig cfg = new ExperimentConfig(c, new LossConfig(1.0), TrainConfig.DEFAULT);
        Path dir = tmp.resolve("ckpt");
        CheckpointIO.save(new Checkpoint(cfg, l.normalizer(), l.params(), l.updaterState(),
                Provenance.of("fp", 3, "", 1, 1)), dir, false);
        Checkpoint back = CheckpointIO.load(dir);
        assertTrue(back.config().model().centerFrames());
        assertEquals(m.encode(b.obsTk()), back.toModel().encode(b.obsTk()));
        assertTrue(ConfigLoader.parse("model:\n  centerFrames: true\n", "t").model().centerFrames());
        assertFalse(ConfigLoader.parse("model:\n  context: 2\n", "t").model().centerFrames());
    }
}
