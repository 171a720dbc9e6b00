package io.smwm.core.train;

import io.smwm.core.optim.AdamState;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.testing.MovingSquare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** What parameter averaging needs: params and Adam state out and in, K local steps, deterministic. */
class LearnerStateTest {

    static Learner learner(long seed) {
        return new Learner(MovingSquare.tinyConfig(16), new LossConfig(1), TrainConfig.DEFAULT.withLr(1e-3),
                Normalizer.identity(2, 1), seed);
    }

    @Test
    void paramsAndUpdaterState_transferredToAnotherLearner_nextStepsIdentical() {
        InMemoryTransitionSource data = MovingSquare.source(16, 96, 3);
        Learner a = learner(1), b = learner(2);
        a.runSteps(data.epoch(0, 32, 5), 2);
        assertEquals(WorldModelGraph.paramSpecs(MovingSquare.tinyConfig(16)).stream()
                .mapToLong(io.smwm.core.model.ParamSpec::length).sum(), a.params().length());
        b.setParams(a.params());
        AdamState s = a.updaterState();
        b.setUpdaterState(AdamState.fromFlat(s.flat(), s.step()));
        assertEquals(2, b.stepCount());
        List<Learner.StepResult> ra = a.runSteps(data.epoch(1, 32, 5), 3), rb = b.runSteps(data.epoch(1, 32, 5), 3);
        assertEquals(3, ra.size());
        for (int i = 0; i < 3; i++) assertEquals(ra.get(i).loss(), rb.get(i).loss());
        assertEquals(a.params(), b.params());
        assertEquals(a.updaterState().m(), b.updaterState().m());
        assertEquals(5, a.stepCount());
    }

    @Test
    void averagingTwoIdenticalWorkers_changesNothing() {
        InMemoryTransitionSource data = MovingSquare.source(16, 64, 4);
        Learner a = learner(1), b = learner(1);
        a.runSteps(data.epoch(0, 32, 1), 2);
        b.runSteps(data.epoch(0, 32, 1), 2);
        INDArray avg = a.params().add(b.params()).divi(2);
        INDArray mv = a.updaterState().flat().add(b.updaterState().flat()).divi(2);
        assertTrue(avg.equalsWithEps(a.params(), 1e-7));
        assertTrue(mv.equalsWithEps(a.updaterState().flat(), 1e-9));
    }

    @Test
    void setParams_wrongLength_refusedWithSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> learner(1).setParams(org.nd4j.linalg.factory.Nd4j.zeros(10)));
        assertTrue(e.getMessage().contains("got 10"), e.getMessage());
    }
}
