package io.smwm.core.model.direct;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.SigReg;
import io.smwm.core.loss.WorldModelLoss;
import io.smwm.core.model.ParamSpec;
import io.smwm.core.model.WorldModelGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code loss.method}: the direct engine against the SameDiff graph on a batch (each term, the total and every
 * parameter's gradient), as {@link DirectWorldModelTest} does for {@code smwm}.
 */
class LossMethodsEngineTest {

    static final ModelConfig CONTEXT_1 = new ModelConfig(16, 3, List.of(4, 8), 8, 16, 2, 2, 1, false, false);

    static LossConfig method(String m, double lambda) {
        return new LossConfig(lambda, m, 0.09, 1024, 17, 1.0, 0.04);
    }

    /** The graph's terms and gradients against the direct engine's; returns the direct engine's terms. */
    static LossTerms assertSameAsGraph(ModelConfig c, LossConfig loss, int batch) {
        WorldModelGraph graph = WorldModelGraph.build(c, loss, 11);
        DirectWorldModelTest.Batch b = DirectWorldModelTest.randomBatch(c, batch, 5);
        float[] proj = loss.sigreg() ? SigReg.projections(c.latentDim(), loss.sigregProjections(), 77) : null;
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(WorldModelGraph.OBS_T, WorldModelGraph.imagesToInput(b.obsT(), c, c.context()));
        ph.put(WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(b.obsTk(), c));
        ph.put(WorldModelGraph.ACTION, Nd4j.create(b.actions()));
        if (proj != null) ph.put(WorldModelLoss.SIGREG_PROJECTIONS,
                Nd4j.create(proj, new long[]{c.latentDim(), loss.sigregProjections()}, 'c'));
        List<String> names = WorldModelLoss.names(loss);
        OutAndGrad og = graph.outputsAndGradients(ph, names);
        LossTerms want = WorldModelLoss.read(og.getOutputs());
        INDArray wantGrad = graph.flatten(og.getGradients());

        DirectWorldModel direct = new DirectWorldModel(c, loss, graph.flatParams());
        LossTerms got = direct.lossAndGradient(b.obsT(), b.actions(), b.obsTk(), proj).loss();
        assertEquals(names, got.names(), "the method's terms");
        assertEquals(want.names(), got.names(), "the graph's terms");
        for (String term : names) {
            double w = want.asMap().get(term), g = got.asMap().get(term);
            assertEquals(w, g, 1e-5 * Math.max(1, Math.abs(w)), loss.method() + " " + term);
        }
        INDArray gotGrad = direct.gradient();
        long off = 0;
        for (ParamSpec s : WorldModelGraph.paramSpecs(c)) {
            INDArray w = wantGrad.get(NDArrayIndex.interval(off, off + s.length()));
            INDArray g = gotGrad.get(NDArrayIndex.interval(off, off + s.length()));
            double scale = Math.max(1e-3, w.amaxNumber().doubleValue());
            double err = w.sub(g).amaxNumber().doubleValue() / scale;
            assertTrue(err < 1e-5, loss.method() + " " + s.name() + ": largest gradient difference " + err
                    + " of the largest entry " + scale);
            off += s.length();
        }
        assertEquals(got.total(), direct.loss(b.obsT(), b.actions(), b.obsTk(), proj).total(), 1e-6,
                "forward-only pass");
        return got;
    }

    @Test
    void sigregMatchesTheGraphWithContextAndWithout() {
        for (ModelConfig c : List.of(DirectWorldModelTest.ALL_OPTIONS, CONTEXT_1)) {
            LossTerms t = assertSameAsGraph(c, method(LossConfig.METHOD_SIGREG, 3), 5);
            assertEquals(t.fwd() + 0.09 * t.term(LossTerms.SIGREG), t.total(), 1e-9, "no inverse term");
            assertTrue(t.term(LossTerms.SIGREG) > 0 && t.inv() > 0, t.toString());
        }
    }

    @Test
    void sigregGradientReachesTheEncoderOnlyThroughTheLatents() {
        // a larger w changes the encoder's gradient; g's and h's are untouched by SIGReg
        ModelConfig c = CONTEXT_1;
        LossConfig small = method(LossConfig.METHOD_SIGREG, 0);
        LossConfig big = new LossConfig(0, LossConfig.METHOD_SIGREG, 5.0, 1024, 17, 1, 0.04);
        WorldModelGraph graph = WorldModelGraph.build(c, small, 3);
        DirectWorldModelTest.Batch b = DirectWorldModelTest.randomBatch(c, 4, 8);
        float[] proj = SigReg.projections(c.latentDim(), 1024, 5);
        DirectWorldModel a = new DirectWorldModel(c, small, graph.flatParams()), z = new DirectWorldModel(c, big,
                graph.flatParams());
        a.lossAndGradient(b.obsT(), b.actions(), b.obsTk(), proj);
        z.lossAndGradient(b.obsT(), b.actions(), b.obsTk(), proj);
        long off = 0;
        for (ParamSpec s : WorldModelGraph.paramSpecs(c)) {
            INDArray ga = a.gradient().get(NDArrayIndex.interval(off, off + s.length()));
            INDArray gz = z.gradient().get(NDArrayIndex.interval(off, off + s.length()));
            double diff = ga.sub(gz).amaxNumber().doubleValue();
            if (s.name().startsWith("enc_")) assertTrue(diff > 1e-6, s.name() + " must feel SIGReg");
            else assertEquals(0.0, diff, 0.0, s.name() + " must not feel SIGReg");
            off += s.length();
        }
    }

    @Test
    void vicregIdmMatchesTheGraphWithContextAndWithout() {
        for (ModelConfig c : List.of(DirectWorldModelTest.ALL_OPTIONS, CONTEXT_1)) {
            LossTerms t = assertSameAsGraph(c, method(LossConfig.METHOD_VICREG_IDM, 0.7), 5);
            assertEquals(t.fwd() + 0.7 * t.inv() + t.term(LossTerms.VAR) + 0.04 * t.term(LossTerms.COV), t.total(),
                    1e-9);
            assertTrue(t.term(LossTerms.VAR) > 0 && t.term(LossTerms.COV) > 0, t.toString());
        }
        assertSameAsGraph(CONTEXT_1, new LossConfig(0.7, LossConfig.METHOD_VICREG_IDM, 0.09, 1024, 17, 2.5, 3.0), 6);
        assertSameAsGraph(DirectWorldModelTest.PAPER, method(LossConfig.METHOD_VICREG_IDM, 10), 3);
    }

    @Test
    void smwmAndForwardMatchTheGraph() {
        LossTerms s = assertSameAsGraph(DirectWorldModelTest.ALL_OPTIONS, method(LossConfig.METHOD_SMWM, 0.7), 5);
        assertEquals(List.of(LossTerms.FWD, LossTerms.INV, LossTerms.TOTAL), s.names());
        LossTerms f = assertSameAsGraph(DirectWorldModelTest.ALL_OPTIONS, method(LossConfig.METHOD_FORWARD, 0.7), 5);
        assertEquals(f.fwd(), f.total(), 0.0, "forward: λ = 0");
        assertTrue(f.inv() > 0, "L_inv is still reported");
    }

    @Test
    void sigregWithoutDirectionsIsRefused() {
        LossConfig loss = method(LossConfig.METHOD_SIGREG, 0);
        WorldModelGraph graph = WorldModelGraph.build(CONTEXT_1, loss, 1);
        DirectWorldModel d = new DirectWorldModel(CONTEXT_1, loss, graph.flatParams());
        DirectWorldModelTest.Batch b = DirectWorldModelTest.randomBatch(CONTEXT_1, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.loss(b.obsT(), b.actions(), b.obsTk()));
        assertTrue(e.getMessage().contains("sigreg needs its directions"), e.getMessage());
    }
}
