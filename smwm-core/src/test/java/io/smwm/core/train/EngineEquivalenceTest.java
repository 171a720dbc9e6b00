package io.smwm.core.train;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.model.Normalizer;
import io.smwm.core.testing.MovingSquare;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train.engine} direct and samediff train the same model: same steps, same validation loss. */
class EngineEquivalenceTest {

    private static Learner learner(ModelConfig mc, String engine) {
        return new Learner(mc, new LossConfig(1), TrainConfig.DEFAULT.withLr(1e-3).withEngine(engine),
                Normalizer.identity(2, 1), 4);
    }

    @Test
    void twentyStepsWithEachEngineGiveTheSameValidationLoss() {
        ModelConfig t = MovingSquare.tinyConfig(16);
        ModelConfig mc = new ModelConfig(t.imageSize(), t.channels(), t.convChannels(), t.latentDim(), t.hidden(),
                t.actionDim(), t.frameskip(), 1, true, true); // centred frames and coordinate channels on
        InMemoryTransitionSource train = MovingSquare.source(16, 160, 3), val = MovingSquare.source(16, 64, 9);
        Learner direct = learner(mc, TrainConfig.ENGINE_DIRECT), graph = learner(mc, TrainConfig.ENGINE_SAMEDIFF);
        assertEquals(TrainConfig.ENGINE_DIRECT, direct.engine());
        assertEquals(TrainConfig.ENGINE_SAMEDIFF, graph.engine());
        LossTerms before = direct.evaluate(val, 32);
        for (int epoch = 0; epoch < 4; epoch++) {
            List<Learner.StepResult> a = direct.runSteps(train.epoch(epoch, 32, 1), 5);
            List<Learner.StepResult> b = graph.runSteps(train.epoch(epoch, 32, 1), 5);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(b.get(i).loss().total(), a.get(i).loss().total(), 1e-4 * b.get(i).loss().total() + 1e-6,
                        "step " + a.get(i).step());
                assertEquals(b.get(i).latentStd(), a.get(i).latentStd(), 1e-4);
            }
        }
        LossTerms dv = direct.evaluate(val, 32), gv = graph.evaluate(val, 32);
        assertTrue(dv.fwd() < 0.5 * before.fwd(), "training must move the model: " + before + " -> " + dv);
        assertEquals(gv.fwd(), dv.fwd(), 1e-3 * gv.fwd(), "validation L_fwd, direct vs SameDiff");
        assertEquals(gv.inv(), dv.inv(), 1e-3 * gv.inv(), "validation L_inv, direct vs SameDiff");
        assertTrue(direct.params().equalsWithEps(graph.params(), 1e-3), "parameters drifted apart");
        // the graph view of a direct learner is in sync (inference paths read it)
        assertTrue(direct.graph().flatParams().equalsWithEps(direct.params(), 0), "graph not synced");
    }

    @Test
    void unknownEngineIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.DEFAULT.withEngine("cuda-graph"));
        assertEquals("train.engine must be one of [direct, samediff], got cuda-graph", e.getMessage());
    }
}
