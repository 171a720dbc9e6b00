package io.smwm.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.testing.MovingSquare;
import io.smwm.core.train.Learner;
import io.smwm.core.train.TransitionBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** model.residualForward: ẑ_{t+k} = z_t + Linear(...) instead of tanh(Linear(...)), same parameters. */
class ResidualForwardTest {
    static final ModelConfig TANH = ContextTest.C2;
    static final ModelConfig RES = new ModelConfig(TANH.imageSize(), TANH.channels(), TANH.convChannels(),
            TANH.latentDim(), TANH.hidden(), TANH.actionDim(), TANH.frameskip(), TANH.context(), TANH.centerFrames(),
            TANH.coordChannels(), true);
    static final LossConfig LOSS = new LossConfig(1.0);

    static WorldModel model(ModelConfig c, long seed) {
        return WorldModel.of(c, LOSS, Normalizer.identity(2, 1), WorldModelGraph.build(c, LOSS, seed).flatParams());
    }

    @Test
    void prediction_isTheNewestLatentPlusTheLinearOutputOfTheSameParameters() {
        WorldModel tanh = model(TANH, 6), res = model(RES, 6); // the same seed: the same parameters
        Nd4j.getRandom().setSeed(2);
        INDArray s = Nd4j.rand(DataType.FLOAT, 5, 16).subi(0.5).muli(1.6);
        INDArray a = Nd4j.randn(DataType.FLOAT, 5, 2);
        INDArray linear = Transforms.atanh(tanh.predict(s, a), true);
        INDArray want = linear.add(s.get(NDArrayIndex.all(), NDArrayIndex.interval(8, 16)));
        INDArray got = res.predict(s, a);
        assertTrue(want.equalsWithEps(got, 1e-4), "ẑ − (z_t + linear) up to " + want.sub(got).amaxNumber());
        // not the older latent, and not bounded by a tanh
        INDArray older = linear.add(s.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 8)));
        assertFalse(older.equalsWithEps(got, 1e-3));
    }

    @Test
    void rollout_matchesRepeatedPredict_shiftingTheContext() {
        WorldModel m = model(RES, 8);
        Nd4j.getRandom().setSeed(5);
        for (int b : new int[] {7, 2}) {
            INDArray s0 = Nd4j.rand(DataType.FLOAT, b, 16).subi(0.5);
            INDArray acts = Nd4j.randn(DataType.FLOAT, b, 4, 2);
            INDArray roll = m.rollout(s0, acts);
            INDArray s = s0;
            for (int h = 0; h < 4; h++) {
                INDArray z = m.predict(s, acts.get(NDArrayIndex.all(), NDArrayIndex.point(h), NDArrayIndex.all()).dup());
                INDArray r = roll.get(NDArrayIndex.all(), NDArrayIndex.point(h), NDArrayIndex.all());
                assertTrue(z.equalsWithEps(r, 1e-5), "step " + h + " differs by " + z.sub(r).amaxNumber());
                s = Nd4j.hstack(s.get(NDArrayIndex.all(), NDArrayIndex.interval(8, 16)), z);
            }
            assertTrue(m.rolloutTerminal(s0, acts).equalsWithEps(
                    roll.get(NDArrayIndex.all(), NDArrayIndex.point(3), NDArrayIndex.all()), 1e-6));
        }
    }

    @Test
    void trainingWithEachEngine_lowersTheLoss_andTheEnginesAgree() {
        TransitionBatch b = ContextTest.contextBatch(16, 3);
        double[] last = new double[2];
        String[] engines = {TrainConfig.ENGINE_DIRECT, TrainConfig.ENGINE_SAMEDIFF};
        for (int e = 0; e < 2; e++) {
            Learner l = new Learner(RES, LOSS, TrainConfig.DEFAULT.withLr(1e-3).withEngine(engines[e]),
                    Normalizer.identity(2, 1), 3);
            double first = l.step(b).loss().total();
            INDArray before = l.params();
            for (int i = 0; i < 30; i++) last[e] = l.step(b).loss().total();
            assertNotEquals(before, l.params());
            assertTrue(last[e] < 0.95 * first, engines[e] + ": loss " + first + " -> " + last[e]);
        }
        assertEquals(last[1], last[0], 1e-3 * last[1], "the direct engine follows the graph");
    }

    @Test
    void configKey_defaultsToThePapersG_andParses() {
        assertFalse(ExperimentConfig.DEFAULT.model().residualForward());
        ExperimentConfig c = ConfigLoader.parse("model:\n  residualForward: true\n", "test");
        assertTrue(c.model().residualForward());
        assertEquals(c.model(), ConfigLoader.fromTree(ConfigLoader.toTree(c), "round trip").model());
        assertTrue(c.model().withContext(3).withLatentDim(4).withImageSize(32).residualForward(),
                "the withers keep the option");
        assertEquals(TANH.parameterCount(), RES.parameterCount());
    }
}
