package io.smwm.core.model.direct;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.WorldModelLoss;
import io.smwm.core.model.ParamSpec;
import io.smwm.core.model.WorldModelGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The direct engine against the SameDiff graph (the reference): the same loss terms, gradients and latents. */
class DirectWorldModelTest {

    /** 16-px frames, two conv layers, context 2, centred frames, coordinate channels: every option at once. */
    static final ModelConfig ALL_OPTIONS = new ModelConfig(16, 3, List.of(4, 8), 8, 16, 2, 2, 2, true, true);
    /** The paper's toy encoder at 64 px, context 1, no options. */
    static final ModelConfig PAPER = ModelConfig.DEFAULT;

    record Batch(byte[][] obsT, float[][] actions, byte[][] obsTk) {}

    static Batch randomBatch(ModelConfig c, int b, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int frame = c.imageSize() * c.imageSize() * c.channels();
        byte[][] ot = new byte[b][frame * c.context()], otk = new byte[b][frame];
        float[][] a = new float[b][c.modelActionDim()];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < ot[i].length; j++) ot[i][j] = (byte) r.nextInt(256);
            for (int j = 0; j < frame; j++) otk[i][j] = (byte) r.nextInt(256);
            for (int j = 0; j < a[i].length; j++) a[i][j] = (float) r.nextGaussian();
        }
        return new Batch(ot, a, otk);
    }

    private static void assertSameAsGraph(ModelConfig c, double lambda, int batch) {
        WorldModelGraph graph = WorldModelGraph.build(c, new LossConfig(lambda), 11);
        Batch b = randomBatch(c, batch, 5);
        Map<String, INDArray> ph = Map.of(WorldModelGraph.OBS_T, WorldModelGraph.imagesToInput(b.obsT(), c, c.context()),
                WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(b.obsTk(), c),
                WorldModelGraph.ACTION, Nd4j.create(b.actions()));
        OutAndGrad og = graph.outputsAndGradients(ph, WorldModelLoss.NAMES);
        LossTerms want = WorldModelLoss.read(og.getOutputs());
        INDArray wantGrad = graph.flatten(og.getGradients());

        DirectWorldModel direct = new DirectWorldModel(c, lambda, graph.flatParams());
        LossTerms got = direct.lossAndGradient(b.obsT(), b.actions(), b.obsTk()).loss();
        assertEquals(want.fwd(), got.fwd(), 1e-5 * Math.max(1, Math.abs(want.fwd())), "L_fwd");
        assertEquals(want.inv(), got.inv(), 1e-5 * Math.max(1, Math.abs(want.inv())), "L_inv");
        assertEquals(want.total(), got.total(), 1e-5 * Math.max(1, Math.abs(want.total())), "L");
        INDArray gotGrad = direct.gradient();
        long off = 0;
        for (ParamSpec s : WorldModelGraph.paramSpecs(c)) {
            INDArray w = wantGrad.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(off, off + s.length()));
            INDArray g = gotGrad.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(off, off + s.length()));
            double scale = Math.max(1e-3, w.amaxNumber().doubleValue());
            double err = w.sub(g).amaxNumber().doubleValue() / scale;
            assertTrue(err < 1e-5, s.name() + ": largest gradient difference " + err + " of the largest entry "
                    + scale);
            assertTrue(g.amaxNumber().doubleValue() > 0, s.name() + " got no gradient");
            off += s.length();
        }
        // the encoder alone: the graph's z_{t+k} for the same frames
        INDArray zWant = graph.output(Map.of(WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(b.obsTk(), c)),
                WorldModelGraph.Z_TK).get(WorldModelGraph.Z_TK);
        INDArray zGot = direct.encode(b.obsTk());
        assertTrue(zWant.sub(zGot).amaxNumber().doubleValue() < 1e-5, "encode differs from the graph's z");
        assertEquals(want.total(), direct.loss(b.obsT(), b.actions(), b.obsTk()).total(), 1e-6, "forward-only loss");
    }

    @Test
    void everyOptionMatchesTheGraph() {
        assertSameAsGraph(ALL_OPTIONS, 0.7, 5);
    }

    @Test
    void residualForwardMatchesTheGraph() {
        ModelConfig a = ALL_OPTIONS;
        assertSameAsGraph(new ModelConfig(a.imageSize(), a.channels(), a.convChannels(), a.latentDim(), a.hidden(),
                a.actionDim(), a.frameskip(), a.context(), a.centerFrames(), a.coordChannels(), true), 0.7, 5);
        assertSameAsGraph(new ModelConfig(16, 3, List.of(4, 8), 8, 16, 2, 2, 1, false, false, true), 2, 3);
    }

    @Test
    void paperEncoderMatchesTheGraph() {
        assertSameAsGraph(PAPER, 10, 3);
    }

    @Test
    void oddFrameSizeAndOneTransitionMatchTheGraph() {
        // 13 px: ⌈13/2⌉ = 7 -> 4 -> pool 2; a batch of one (the graph needs two; its transition twice is the same mean)
        ModelConfig c = new ModelConfig(13, 3, List.of(4, 6), 8, 16, 2, 1, 1, false, false);
        assertSameAsGraph(c, 1, 2);
    }

    @Test
    void parametersAreLiveAndSettable() {
        WorldModelGraph graph = WorldModelGraph.build(ALL_OPTIONS, new LossConfig(1), 3);
        DirectWorldModel d = new DirectWorldModel(ALL_OPTIONS, 1, graph.flatParams());
        Batch b = randomBatch(ALL_OPTIONS, 4, 9);
        double before = d.loss(b.obsT(), b.actions(), b.obsTk()).total();
        d.params().muli(0.5);
        double halved = d.loss(b.obsT(), b.actions(), b.obsTk()).total();
        assertTrue(Math.abs(before - halved) > 1e-6, "scaling the live parameters must change the loss");
        d.setParams(graph.flatParams());
        assertEquals(before, d.loss(b.obsT(), b.actions(), b.obsTk()).total(), 1e-7);
    }
}
