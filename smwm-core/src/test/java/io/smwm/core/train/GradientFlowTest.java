package io.smwm.core.train;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.testing.MovingSquare;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class GradientFlowTest {
    static final ModelConfig CFG = MovingSquare.tinyConfig(16);
    static final TransitionBatch BATCH = MovingSquare.transitions(16, 16, 5);

    static Map<String, INDArray> grads(WorldModelGraph g) {
        Learner l = new Learner(g, TrainConfig.DEFAULT, Normalizer.identity(2, 1));
        OutAndGrad og = g.outputsAndGradients(l.placeholders(BATCH), List.of(LossTerms.TOTAL));
        return og.getGradients();
    }

    @Test
    void forwardTermAlone_reachesEncoderWeights() {
        Map<String, INDArray> gr = grads(WorldModelGraph.buildWithGradientOf(CFG, new LossConfig(10), 1, LossTerms.FWD));
        assertTrue(gr.get("enc_conv0_W").norm2Number().doubleValue() > 0, "L_fwd must reach the first conv");
        assertTrue(gr.get("enc_fc_W").norm2Number().doubleValue() > 0);
        assertEquals(0.0, gr.get("inv_fc0_W").norm2Number().doubleValue(), 0.0, "L_fwd must not touch h");
    }

    @Test
    void inverseTermAlone_reachesEncoderWeights() {
        Map<String, INDArray> gr = grads(WorldModelGraph.buildWithGradientOf(CFG, new LossConfig(10), 1, LossTerms.INV));
        assertTrue(gr.get("enc_conv0_W").norm2Number().doubleValue() > 0, "L_inv must reach the first conv");
        assertTrue(gr.get("enc_fc_W").norm2Number().doubleValue() > 0);
        assertEquals(0.0, gr.get("fwd_fc0_W").norm2Number().doubleValue(), 0.0, "L_inv must not touch g");
    }

    @Test
    void lambdaZero_totalEqualsForwardTermAndGradientsMatch() {
        WorldModelGraph g0 = WorldModelGraph.build(CFG, new LossConfig(0), 2);
        Learner l = new Learner(g0, TrainConfig.DEFAULT, Normalizer.identity(2, 1));
        LossTerms t = l.evaluate(BATCH);
        assertEquals(t.fwd(), t.total(), 0.0);
        assertTrue(t.inv() > 0);
        Map<String, INDArray> total = grads(g0);
        Map<String, INDArray> fwdOnly = grads(WorldModelGraph.buildWithGradientOf(CFG, new LossConfig(0), 2, LossTerms.FWD));
        for (String k : List.of("enc_conv0_W", "enc_fc_W", "fwd_fc2_W"))
            assertTrue(total.get(k).equalsWithEps(fwdOnly.get(k), 1e-7), k);
    }

    /**
     * The target z_{t+k} is not detached: the analytic gradient of L_fwd w.r.t. an encoder weight matches a central
     * finite difference of the FULL L_fwd (a stop-gradient on the target would drop the target-side contribution).
     */
    @Test
    void forwardTerm_targetNotDetached_gradientMatchesFiniteDifference() {
        WorldModelGraph g = WorldModelGraph.buildWithGradientOf(CFG, new LossConfig(1), 3, LossTerms.FWD);
        Learner l = new Learner(g, TrainConfig.DEFAULT, Normalizer.identity(2, 1));
        Map<String, INDArray> ph = l.placeholders(BATCH);
        INDArray gw = g.outputsAndGradients(ph, List.of(LossTerms.FWD)).getGradients().get("enc_fc_W");
        long idx = gw.reshape(gw.length()).argMax().getLong(0);
        double analytic = gw.reshape(gw.length()).getDouble(idx);
        double numeric = io.smwm.core.testing.FiniteDifference.central(g.param("enc_fc_W"), idx, 2e-3,
                () -> l.evaluate(BATCH).fwd());
        assertEquals(numeric, analytic, 0.05 * Math.abs(numeric) + 1e-6,
                "analytic " + analytic + " vs finite difference " + numeric);
    }
}
