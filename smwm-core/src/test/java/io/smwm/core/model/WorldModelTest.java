package io.smwm.core.model;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.testing.MovingSquare;
import io.smwm.core.train.TransitionBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class WorldModelTest {
    static final ModelConfig CFG = MovingSquare.tinyConfig(16);
    static final LossConfig LOSS = new LossConfig(3.0);

    static WorldModel model(long seed) {
        WorldModelGraph g = WorldModelGraph.build(CFG, LOSS, seed);
        return WorldModel.of(CFG, LOSS, Normalizer.identity(2, 1), g.flatParams());
    }

    @Test
    void inference_repeatedCalls_giveSameValuesAsFirstCallAndAsFreshInstance() {
        TransitionBatch b = MovingSquare.transitions(16, 12, 1);
        WorldModel m = model(7);
        INDArray a = Nd4j.create(m.normalizer().normalise(b.actions()));
        INDArray z1 = m.encode(b.obsT()), zk1 = m.encode(b.obsTk());
        INDArray p1 = m.predict(z1, a), h1 = m.inferAction(z1, zk1);
        for (int rep = 0; rep < 3; rep++) {
            INDArray z2 = m.encode(b.obsT()), zk2 = m.encode(b.obsTk());
            assertEquals(z1, z2, "encode call " + (rep + 2) + " differs from the first");
            assertEquals(zk1, zk2);
            assertEquals(p1, m.predict(z2, a), "predict call " + (rep + 2) + " differs");
            assertEquals(h1, m.inferAction(z2, zk2), "inferAction call " + (rep + 2) + " differs");
        }
        WorldModel fresh = model(7);
        assertEquals(z1, fresh.encode(b.obsT()));
        assertEquals(p1, fresh.predict(z1, a));
        assertEquals(h1, fresh.inferAction(z1, zk1));
        assertTrue(z1.std(0).meanNumber().doubleValue() > 1e-4, "latents should vary across images");
    }

    @Test
    void loss_equalsHandComputationFromFacadeOutputs() {
        TransitionBatch b = MovingSquare.transitions(16, 10, 2);
        WorldModelGraph g = WorldModelGraph.build(CFG, LOSS, 3);
        WorldModel m = WorldModel.of(CFG, LOSS, Normalizer.identity(2, 1), g.flatParams());
        INDArray a = Nd4j.create(b.actions());
        float[][] z = m.encode(b.obsT()).toFloatMatrix(), zk = m.encode(b.obsTk()).toFloatMatrix();
        float[][] zp = m.predict(Nd4j.create(z), a).toFloatMatrix();
        float[][] ah = m.inferAction(Nd4j.create(z), Nd4j.create(zk)).toFloatMatrix();
        double fwd = 0, inv = 0;
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[i].length; j++) fwd += Math.pow(zp[i][j] - zk[i][j], 2);
            for (int j = 0; j < 2; j++) inv += Math.pow(ah[i][j] - b.actions()[i][j], 2);
        }
        fwd /= z.length * CFG.latentDim();
        inv /= z.length * 2.0;
        Map<String, INDArray> out = g.output(Map.of(WorldModelGraph.OBS_T, WorldModelGraph.imagesToInput(b.obsT(), CFG),
                WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(b.obsTk(), CFG), WorldModelGraph.ACTION, a),
                LossTerms.FWD, LossTerms.INV, LossTerms.TOTAL);
        assertEquals(fwd, out.get(LossTerms.FWD).getDouble(0), 1e-5 * Math.max(1, fwd));
        assertEquals(inv, out.get(LossTerms.INV).getDouble(0), 1e-5 * Math.max(1, inv));
        assertEquals(fwd + 3.0 * inv, out.get(LossTerms.TOTAL).getDouble(0), 1e-5 * Math.max(1, fwd + 3 * inv));
    }

    @Test
    void encode_byteArraysAndUint8Tensor_agree() {
        TransitionBatch b = MovingSquare.transitions(16, 4, 3);
        WorldModel m = model(1);
        INDArray t = Nd4j.create(DataType.UINT8, 4, 16, 16, 3);
        for (int i = 0; i < 4; i++)
            for (int p = 0; p < 16 * 16 * 3; p++)
                t.putScalar(new long[]{i, p / 48, (p / 3) % 16, p % 3}, b.obsT()[i][p] & 0xFF);
        assertTrue(m.encode(b.obsT()).equalsWithEps(m.encode(t), 1e-6));
    }

    @Test
    void rollout_matchesRepeatedPredict() {
        WorldModel m = model(4);
        INDArray z0 = m.encode(MovingSquare.transitions(16, 3, 4).obsT());
        INDArray acts = Nd4j.rand(DataType.FLOAT, 3, 4, 2).subi(0.5);
        INDArray r = m.rollout(z0, acts);
        assertArrayEquals(new long[]{3, 4, 8}, r.shape());
        INDArray z = z0;
        for (int h = 0; h < 4; h++) {
            z = m.predict(z, acts.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(h), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
            assertTrue(z.equalsWithEps(r.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(h), org.nd4j.linalg.indexing.NDArrayIndex.all()), 1e-6));
        }
    }

    @Test
    void rolloutTerminal_fullSizeG_matchesPredictAndTrajectory_acrossBatchSizes() {
        ModelConfig c = ModelConfig.DEFAULT; // latent 64, hidden 256, model action 10: the planner's shapes
        WorldModel m = WorldModel.of(c, LOSS, Normalizer.identity(c.actionDim(), c.frameskip()),
                WorldModelGraph.build(c, LOSS, 9L).flatParams());
        Nd4j.getRandom().setSeed(3);
        for (int b : new int[] {37, 5, 37}) { // a smaller batch in between: the kernel's buffers are resized
            INDArray z0 = Nd4j.rand(DataType.FLOAT, b, 64).subi(0.5).muli(1.6);
            INDArray acts = Nd4j.randn(DataType.FLOAT, b, 5, 10).muli(1.5);
            INDArray z = z0;
            for (int h = 0; h < 5; h++) {
                z = m.predict(z, acts.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(h), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
            }
            INDArray last = m.rolloutTerminal(z0, acts);
            assertArrayEquals(new long[] {b, 64}, last.shape());
            assertTrue(z.equalsWithEps(last, 1e-5), "batch " + b + ": terminal latent differs from 5 predicts by "
                    + z.sub(last).amaxNumber());
            INDArray traj = m.rollout(z0, acts);
            assertEquals(last, traj.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(4), org.nd4j.linalg.indexing.NDArrayIndex.all()));
            assertTrue(last.amaxNumber().doubleValue() < 1.0, "tanh output must lie in (-1, 1)");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.rolloutTerminal(Nd4j.zeros(DataType.FLOAT, 2, 64), Nd4j.zeros(DataType.FLOAT, 2, 0, 10)));
        assertTrue(e.getMessage().contains("H>=1"), e.getMessage());
    }

    @Test
    void inverseResidual_equalsTheGraphsInverseModelAlongTheRollout() {
        for (ModelConfig c : new ModelConfig[] {CFG, CFG.withContext(2)}) {
            WorldModel m = WorldModel.of(c, LOSS, Normalizer.identity(2, 1), WorldModelGraph.build(c, LOSS, 5L)
                    .flatParams());
            int b = 4, h = 3, l = c.latentDim(), sd = c.stateDim(), a = c.modelActionDim();
            Nd4j.getRandom().setSeed(11);
            INDArray s0 = Nd4j.rand(DataType.FLOAT, b, sd).subi(0.5);
            INDArray acts = Nd4j.randn(DataType.FLOAT, b, h, a);
            INDArray residual = Nd4j.create(DataType.FLOAT, b);
            INDArray last = m.rolloutTerminal(s0, acts, residual);
            assertEquals(m.rolloutTerminal(s0, acts), last, "the terminal latent does not depend on the residual");
            // independently: the graph's h (inferAction) on each step's state and the latent rolled out from it
            INDArray traj = m.rollout(s0, acts);
            double[] expected = new double[b];
            INDArray s = s0.dup();
            for (int j = 0; j < h; j++) {
                INDArray zNext = traj.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(j), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
                INDArray aj = acts.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(j), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
                INDArray d = m.inferAction(s, zNext).sub(aj);
                for (int r = 0; r < b; r++) {
                    for (int q = 0; q < a; q++) {
                        expected[r] += d.getDouble(r, q) * d.getDouble(r, q) / (h * a);
                    }
                }
                // the next state: the context shifted by the new latent
                INDArray next = Nd4j.create(DataType.FLOAT, b, sd);
                if (sd > l) {
                    next.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0,
                            sd - l)).assign(s.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(l, sd)));
                }
                next.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(sd - l,
                        sd)).assign(zNext);
                s = next;
            }
            for (int r = 0; r < b; r++) {
                assertTrue(expected[r] > 0.1, "random actions are far from h's: " + expected[r]);
                assertEquals(expected[r], residual.getDouble(r), 1e-5 * expected[r], "context " + c.context() + " row " + r);
            }
        }
        WorldModel m = model(1);
        assertThrows(IllegalArgumentException.class, () -> m.rolloutTerminal(Nd4j.zeros(DataType.FLOAT, 2, 8),
                Nd4j.zeros(DataType.FLOAT, 2, 1, 2), Nd4j.create(DataType.FLOAT, 3)), "residual of the wrong length");
    }

    @Test
    void normaliseThenUnnormalise_roundTrips() {
        Normalizer n = Normalizer.fromPrimitiveStats(new double[]{1, -2}, new double[]{2, 0}, 3, 1e-3);
        assertEquals(6, n.dim());
        float[][] raw = {{1, -2, 3, -2, 0, 5}};
        float[][] z = n.normalise(raw);
        assertEquals(1f, z[0][2], 1e-6);
        assertArrayEquals(raw[0], n.unnormalise(z)[0], 1e-4f);
        Normalizer fit = Normalizer.fit(new float[][]{{0, 1, 2, 3}, {4, 5, 6, 7}}, 2, 2);
        assertEquals(3f, fit.mean()[0], 1e-6);
        assertEquals(3f, fit.mean()[2], 1e-6);
        assertEquals(Math.sqrt(5), fit.std()[1], 1e-5);
    }
}
