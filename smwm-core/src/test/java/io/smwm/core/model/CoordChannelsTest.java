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
import io.smwm.core.loss.LossTerms;
import io.smwm.core.testing.FiniteDifference;
import io.smwm.core.testing.MovingSquare;
import io.smwm.core.train.Learner;
import io.smwm.core.train.TransitionBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** model.coordChannels: the first convolution also sees each pixel's x and y (CoordConv); off by default. */
class CoordChannelsTest {
    static ModelConfig withCoords(ModelConfig m, int context) {
        return new ModelConfig(m.imageSize(), m.channels(), m.convChannels(), m.latentDim(), m.hidden(),
                m.actionDim(), m.frameskip(), context, m.centerFrames(), true);
    }

    @Test
    void parameters_oneMoreWeightArrayAfterTheFirstConv_countedInTheParameterCount_offByDefault() {
        ModelConfig plain = MovingSquare.tinyConfig(16), c = withCoords(plain, 1);
        assertFalse(ModelConfig.DEFAULT.coordChannels(), "the paper's encoder by default");
        List<ParamSpec> specs = WorldModelGraph.paramSpecs(c);
        assertEquals(WorldModelGraph.paramSpecs(plain).size() + 1, specs.size());
        assertEquals(WorldModelGraph.COORD_WEIGHTS, specs.get(2).name(), "right after enc_conv0_W and _b");
        assertEquals(List.of(3L, 3L, 2L, 8L), java.util.Arrays.stream(specs.get(2).shape()).boxed().toList());
        assertEquals(plain.parameterCount() + 3 * 3 * 2 * 8, c.parameterCount());
        assertEquals(c.parameterCount(), WorldModelGraph.build(c, new LossConfig(1), 1).numParams());
        assertTrue(ConfigLoader.parse("model:\n  coordChannels: true\n", "t").model().coordChannels());
        assertFalse(ConfigLoader.parse("model:\n  context: 2\n", "t").model().coordChannels());
    }

    @Test
    void withZeroCoordinateWeights_theEncoderIsThePapersEncoder_otherwiseThePositionTermChangesIt() {
        ModelConfig plain = MovingSquare.tinyConfig(16), c = withCoords(plain, 1);
        WorldModelGraph g = WorldModelGraph.build(c, new LossConfig(1), 5);
        WorldModelGraph p = WorldModelGraph.build(plain, new LossConfig(1), 6);
        for (ParamSpec s : p.params()) p.param(s.name()).assign(g.param(s.name()));
        TransitionBatch b = MovingSquare.transitions(16, 6, 2);
        Map<String, INDArray> in = Map.of(WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(b.obsTk(), c));
        INDArray withTerm = g.output(in, WorldModelGraph.Z_TK).get(WorldModelGraph.Z_TK).dup();
        INDArray papers = p.output(in, WorldModelGraph.Z_TK).get(WorldModelGraph.Z_TK).dup();
        assertFalse(withTerm.equalsWithEps(papers, 1e-4), "the coordinate term is part of the encoder");
        g.param(WorldModelGraph.COORD_WEIGHTS).assign(0);
        INDArray zeroed = g.output(in, WorldModelGraph.Z_TK).get(WorldModelGraph.Z_TK);
        assertTrue(zeroed.equalsWithEps(papers, 1e-5), "conv([x; coords]) = conv(x) + conv(coords)");
    }

    @Test
    void coordinateWeightGradient_matchesFiniteDifference_withContextFrames() {
        ModelConfig c = withCoords(MovingSquare.tinyConfig(16), 2);
        WorldModelGraph g = WorldModelGraph.buildWithGradientOf(c, new LossConfig(1), 3, LossTerms.TOTAL);
        Learner l = new Learner(g, TrainConfig.DEFAULT, Normalizer.identity(2, 1));
        TransitionBatch b = ContextTest.contextBatch(6, 4);
        INDArray gw = g.outputsAndGradients(l.placeholders(b), List.of(LossTerms.TOTAL)).getGradients()
                .get(WorldModelGraph.COORD_WEIGHTS);
        assertTrue(gw.norm2Number().doubleValue() > 0, "the coordinate weights are trained");
        long idx = org.nd4j.linalg.ops.transforms.Transforms.abs(gw, true).reshape(gw.length()).argMax().getLong(0);
        double analytic = gw.reshape(gw.length()).getDouble(idx);
        double numeric = FiniteDifference.central(g.param(WorldModelGraph.COORD_WEIGHTS), idx, 2e-3,
                () -> l.evaluate(b).total());
        assertEquals(numeric, analytic, 0.05 * Math.abs(numeric) + 1e-6, "analytic " + analytic + " vs " + numeric);
    }

    @Test
    void aTrainingStepWorks_andTheCheckpointKeepsTheOption(@TempDir Path tmp) {
        ModelConfig c = withCoords(MovingSquare.tinyConfig(16), 1);
        Learner l = new Learner(c, new LossConfig(1.0), TrainConfig.DEFAULT.withLr(1e-3), Normalizer.identity(2, 1), 3);
        TransitionBatch b = MovingSquare.transitions(16, 8, 5);
        INDArray before = l.params();
        assertTrue(Double.isFinite(l.step(b).loss().total()));
        assertNotEquals(before, l.params());
        ExperimentConfig cfg = new ExperimentConfig(c, new LossConfig(1.0), TrainConfig.DEFAULT);
        Path dir = tmp.resolve("ckpt");
        CheckpointIO.save(new Checkpoint(cfg, l.normalizer(), l.params(), l.updaterState(),
                Provenance.of("fp", 3, "", 1, 1)), dir, false);
        Checkpoint back = CheckpointIO.load(dir);
        assertTrue(back.config().model().coordChannels());
        assertEquals(l.snapshot().encode(b.obsTk()), back.toModel().encode(b.obsTk()));
    }
}
