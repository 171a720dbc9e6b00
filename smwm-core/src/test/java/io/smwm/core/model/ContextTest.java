package io.smwm.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.smwm.core.loss.LossTerms;
import io.smwm.core.testing.MovingSquare;
import io.smwm.core.train.Learner;
import io.smwm.core.train.TransitionBatch;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** model.context: g and h see the latents of o_t and of the frames one model step before it; f stays one frame. */
class ContextTest {
    static final ModelConfig C2 = MovingSquare.tinyConfig(16).withContext(2);
    static final LossConfig LOSS = new LossConfig(1.0);

    /** Context observations (o_{t-k}, o_t) from two moving-square batches, o_{t+k} single frames. */
    static TransitionBatch contextBatch(int n, long seed) {
        TransitionBatch a = MovingSquare.transitions(16, n, seed), b = MovingSquare.transitions(16, n, seed + 1);
        byte[][] o = new byte[n][];
        for (int i = 0; i < n; i++) {
            o[i] = concat(b.obsT()[i], a.obsT()[i]);
        }
        return new TransitionBatch(o, a.actions(), a.obsTk(), a.states());
    }

    static byte[] concat(byte[] x, byte[] y) {
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    @Test
    void shapes_gAndHSeeTheContextLatents_theEncoderOneFrame() {
        java.util.List<ParamSpec> specs = WorldModelGraph.paramSpecs(C2);
        assertArrayEquals(new long[] {3, 3, 3, 8}, specs.get(0).shape(), "the encoder's first conv sees one RGB frame");
        ParamSpec fwd0 = specs.stream().filter(p -> p.name().equals("fwd_fc0_W")).findFirst().orElseThrow();
        ParamSpec inv0 = specs.stream().filter(p -> p.name().equals("inv_fc0_W")).findFirst().orElseThrow();
        assertEquals(2 * 8 + 2, fwd0.shape()[0], "g: [z_{t-k}, z_t, a_t]");
        assertEquals(3 * 8, inv0.shape()[0], "h: [z_{t-k}, z_t, z_{t+k}]");
        assertEquals(16, C2.stateDim());
    }

    @Test
    void trainingGraph_lossEqualsTheFacadeOnTheContextState_andAStepTrains() {
        TransitionBatch b = contextBatch(10, 4);
        Learner l = new Learner(C2, LOSS, TrainConfig.DEFAULT.withLr(1e-3), Normalizer.identity(2, 1), 3);
        WorldModel m = l.snapshot();
        INDArray s = m.encodeContext(b.obsT());
        assertEquals(16, s.size(1));
        // s_t = [f(o_{t-k}), f(o_t)], each frame encoded alone
        byte[][] older = new byte[10][], current = b.currentFrames(2);
        for (int i = 0; i < 10; i++) older[i] = java.util.Arrays.copyOf(b.obsT()[i], 16 * 16 * 3);
        assertTrue(s.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 8)).equalsWithEps(m.encode(older), 1e-6));
        INDArray zt = m.encode(current);
        assertTrue(s.get(NDArrayIndex.all(), NDArrayIndex.interval(8, 16)).equalsWithEps(zt, 1e-6));
        INDArray zk = m.encode(b.obsTk()), a = Nd4j.create(b.actions());
        double fwd = m.predict(s, a).squaredDistance(zk) / (10.0 * 8);
        double inv = m.inferAction(s, zk).squaredDistance(a) / (10.0 * 2);
        Map<String, INDArray> out = l.graph().output(l.placeholders(b), LossTerms.FWD, LossTerms.INV);
        assertEquals(fwd, out.get(LossTerms.FWD).getDouble(0), 1e-5 * Math.max(1, fwd));
        assertEquals(inv, out.get(LossTerms.INV).getDouble(0), 1e-5 * Math.max(1, inv));
        INDArray before = l.params();
        assertTrue(Double.isFinite(l.step(b).loss().total()));
        assertNotEquals(before, l.params());
    }

    @Test
    void prediction_dependsOnTheOlderLatent_andRolloutShiftsTheContext() {
        Learner l = new Learner(C2, LOSS, TrainConfig.DEFAULT, Normalizer.identity(2, 1), 5);
        WorldModel m = l.snapshot();
        INDArray za = m.encode(new byte[][] {MovingSquare.render(16, 2, 3)});
        INDArray zb = m.encode(new byte[][] {MovingSquare.render(16, 6, 3)});
        INDArray a = Nd4j.create(new float[][] {{1f, 0f}});
        INDArray moving = m.predict(Nd4j.hstack(za, zb), a), still = m.predict(Nd4j.hstack(zb, zb), a);
        assertFalse(moving.equalsWithEps(still, 1e-7), "same z_t, another past: another prediction");
        // a 2-step rollout: ẑ1 = g([za, zb], a0), ẑ2 = g([zb, ẑ1], a1)
        INDArray acts = Nd4j.create(new float[] {1f, 0f, -1f, 1f}, new long[] {1, 2, 2}, 'c');
        INDArray roll = m.rollout(Nd4j.hstack(za, zb), acts);
        INDArray z1 = m.predict(Nd4j.hstack(za, zb), a);
        INDArray z2 = m.predict(Nd4j.hstack(zb, z1), Nd4j.create(new float[][] {{-1f, 1f}}));
        assertTrue(roll.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.all()).reshape(1, 8)
                .equalsWithEps(z1, 1e-5));
        assertTrue(roll.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all()).reshape(1, 8)
                .equalsWithEps(z2, 1e-5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(zb, a));
        assertTrue(e.getMessage().contains("16"), e.getMessage());
    }

    @Test
    void config_contextDefaultsToOne_andIsValidated() {
        assertEquals(1, ConfigLoader.parse("model: {latentDim: 8}", "t").model().context());
        assertEquals(3, ConfigLoader.parse("model: {context: 3}", "t").model().context());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("model: {context: 0}", "t"));
        assertTrue(e.getMessage().contains("model.context"), e.getMessage());
        assertEquals(2 * 16 * 16 * 3, C2.contextBytes());
    }

    @Test
    void checkpoint_roundTripsTheContext(@TempDir Path tmp) {
        ExperimentConfig cfg = new ExperimentConfig(C2, LOSS, TrainConfig.DEFAULT);
        Learner l = new Learner(C2, LOSS, cfg.train(), Normalizer.identity(2, 1), 5);
        TransitionBatch b = contextBatch(4, 9);
        l.step(b);
        Path dir = tmp.resolve("ckpt");
        CheckpointIO.save(new Checkpoint(cfg, l.normalizer(), l.params(), l.updaterState(),
                Provenance.of("fp", 5, "", 1, 1)), dir, false);
        Checkpoint back = CheckpointIO.load(dir);
        assertEquals(2, back.config().model().context());
        assertEquals(l.snapshot().encodeContext(b.obsT()), back.toModel().encodeContext(b.obsT()));
    }
}
