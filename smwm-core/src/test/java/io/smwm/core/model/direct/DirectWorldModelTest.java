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
        assertSameAsGraph(c, lambda, randomBatch(c, batch, 5));
    }

    /** Runs the direct engine on {@code b} against the graph; returns the engine (for what it counted). */
    private static DirectWorldModel assertSameAsGraph(ModelConfig c, double lambda, Batch b) {
        WorldModelGraph graph = WorldModelGraph.build(c, new LossConfig(lambda), 11);
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
        return direct;
    }

    /**
     * B transitions cut from one run of frames F_0 … F_{B+c−1} (o_t = F_b … F_{b+c−1}, o_{t+k} = F_{b+c}), as
     * {@code train.chunk} makes them: only B + c distinct frames among B·(c+1).
     */
    static Batch runBatch(ModelConfig c, int b, long seed) {
        Batch frames = randomBatch(c.withContext(1), b + c.context(), seed);
        byte[][] f = frames.obsTk();
        int frame = f[0].length;
        byte[][] ot = new byte[b][frame * c.context()], otk = new byte[b][];
        float[][] a = new float[b][];
        for (int i = 0; i < b; i++) {
            for (int q = 0; q < c.context(); q++) System.arraycopy(f[i + q], 0, ot[i], q * frame, frame);
            otk[i] = f[i + c.context()].clone();
            a[i] = java.util.Arrays.copyOf(frames.actions()[i], c.modelActionDim());
        }
        return new Batch(ot, a, otk);
    }

    @Test
    void sharedFramesAreEncodedOnceWithTheGraphsLossAndGradient() {
        ModelConfig a = ALL_OPTIONS;
        ModelConfig c = new ModelConfig(a.imageSize(), a.channels(), a.convChannels(), a.latentDim(), a.hidden(),
                a.actionDim(), a.frameskip(), a.context(), a.centerFrames(), a.coordChannels(), true);
        int b = 6; // 6 transitions of a run: 8 distinct frames of 18
        DirectWorldModel d = assertSameAsGraph(c, 0.7, runBatch(c, b, 21));
        assertEquals(b + c.context(), d.lastDistinctFrames(), "distinct frames of a run");
        // two runs, one transition repeated whole, and a random batch: nothing shared there
        Batch r1 = runBatch(c, 3, 4), r2 = runBatch(c, 2, 8);
        Batch mixed = new Batch(concat(r1.obsT(), r2.obsT(), new byte[][] {r1.obsT()[1]}),
                concat(r1.actions(), r2.actions(), new float[][] {r1.actions()[1]}),
                concat(r1.obsTk(), r2.obsTk(), new byte[][] {r1.obsTk()[1]}));
        d = assertSameAsGraph(c, 1.3, mixed);
        assertEquals((3 + 2) + (2 + 2), d.lastDistinctFrames(), "distinct frames of two runs and a repeat");
        d = assertSameAsGraph(c, 0.7, randomBatch(c, 4, 3));
        assertEquals(4 * 3, d.lastDistinctFrames(), "random frames are all distinct");
    }

    @SafeVarargs
    private static <T> T[] concat(T[]... parts) {
        List<T> all = new java.util.ArrayList<>();
        for (T[] p : parts) all.addAll(List.of(p));
        return all.toArray(java.util.Arrays.copyOf(parts[0], 0));
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
    void patchStemMatchesTheGraph() {
        // 24 px, 3×3 patches (stride 3, no padding) -> 8 -> 4 -> pool 2; every option on, then none
        ModelConfig a = ALL_OPTIONS;
        assertSameAsGraph(new ModelConfig(24, 3, a.convChannels(), a.latentDim(), a.hidden(), a.actionDim(),
                a.frameskip(), a.context(), true, true, true, 3), 0.7, 5);
        // 2×2 patches on 12 px -> 6 -> 3 -> pool 1: an odd map after the stem
        assertSameAsGraph(new ModelConfig(12, 3, List.of(4, 6), 8, 16, 2, 1, 1, false, false, false, 2), 1, 3);
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
