package io.smwm.core.train;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.model.Normalizer;
import io.smwm.core.testing.MovingSquare;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training with each {@code loss.method}: a step lowers the method's own loss; both engines take the same steps. */
class LossMethodsTrainingTest {
    static final ModelConfig MODEL = MovingSquare.tinyConfig(16);
    static final TransitionBatch BATCH = MovingSquare.transitions(16, 24, 5);

    static LossConfig loss(String method) {
        return new LossConfig(1.0).withMethod(method);
    }

    static Learner learner(LossConfig loss, String engine) {
        return new Learner(MODEL, loss, TrainConfig.DEFAULT.withLr(1e-3).withSeed(3).withEngine(engine),
                Normalizer.identity(2, 1), 4);
    }

    @Test
    void oneStepLowersEachMethodsOwnLoss() {
        for (String m : LossConfig.METHODS)
            for (String engine : TrainConfig.ENGINES) {
                Learner l = learner(loss(m), engine);
                LossTerms before = l.evaluate(BATCH);
                Learner.StepResult r = l.step(BATCH);
                LossTerms after = l.evaluate(BATCH);
                assertEquals(before.names(), r.loss().names(), m);
                assertTrue(after.total() < before.total(), m + " (" + engine + "): " + before + " -> " + after);
            }
    }

    @Test
    void bothEnginesTakeTheSameStepsWithEachMethod() {
        for (String m : List.of(LossConfig.METHOD_SIGREG, LossConfig.METHOD_VICREG_IDM)) {
            Learner d = learner(loss(m), TrainConfig.ENGINE_DIRECT), g = learner(loss(m), TrainConfig.ENGINE_SAMEDIFF);
            InMemoryTransitionSource data = MovingSquare.source(16, 96, 3);
            List<Learner.StepResult> a = d.runSteps(data.epoch(1, 32, 1), 3);
            List<Learner.StepResult> b = g.runSteps(data.epoch(1, 32, 1), 3);
            assertEquals(3, a.size());
            for (int i = 0; i < a.size(); i++)
                for (String term : a.get(i).loss().names()) {
                    double x = a.get(i).loss().asMap().get(term), y = b.get(i).loss().asMap().get(term);
                    assertEquals(y, x, 1e-4 * Math.abs(y) + 1e-6, m + " step " + (i + 1) + " " + term);
                }
            assertTrue(d.params().equalsWithEps(g.params(), 1e-4), m + ": parameters drifted apart");
            LossTerms dv = d.evaluate(BATCH), gv = g.evaluate(BATCH);
            assertEquals(gv.total(), dv.total(), 1e-4 * gv.total(), m + " evaluation");
            // a batch of one: fed twice by both engines (batch statistics need two samples)
            TransitionBatch one = new TransitionBatch(new byte[][]{BATCH.obsT()[0]}, new float[][]{BATCH.actions()[0]},
                    new byte[][]{BATCH.obsTk()[0]}, null);
            assertEquals(g.evaluate(one).total(), d.evaluate(one).total(), 1e-4 * g.evaluate(one).total(), m);
        }
    }

    @Test
    void sigregDrawsNewDirectionsEveryStepFromTheSeed() {
        Learner a = learner(loss(LossConfig.METHOD_SIGREG), TrainConfig.ENGINE_DIRECT);
        Learner b = learner(loss(LossConfig.METHOD_SIGREG), TrainConfig.ENGINE_DIRECT);
        // the same batch twice: the parameters move, and the directions change; the same seed repeats both
        double s1 = a.step(BATCH).loss().term(LossTerms.SIGREG), s2 = a.step(BATCH).loss().term(LossTerms.SIGREG);
        assertEquals(s1, b.step(BATCH).loss().term(LossTerms.SIGREG), 0.0);
        assertEquals(s2, b.step(BATCH).loss().term(LossTerms.SIGREG), 0.0);
        // validation uses one fixed draw: evaluating twice gives the same value
        assertEquals(a.evaluate(BATCH).term(LossTerms.SIGREG), a.evaluate(BATCH).term(LossTerms.SIGREG), 0.0);
        // another train.seed draws other directions
        Learner c = new Learner(MODEL, loss(LossConfig.METHOD_SIGREG), TrainConfig.DEFAULT.withLr(1e-3).withSeed(4),
                Normalizer.identity(2, 1), 4);
        assertFalse(s1 == c.step(BATCH).loss().term(LossTerms.SIGREG), "another seed, other directions");
    }

    @Test
    void forwardIsSmwmWithLambdaZero_bitForBit() {
        for (String engine : TrainConfig.ENGINES) {
            Learner f = learner(loss(LossConfig.METHOD_FORWARD), engine), z = learner(new LossConfig(0.0), engine);
            for (int i = 0; i < 3; i++) assertEquals(z.step(BATCH).loss(), f.step(BATCH).loss(), engine);
            assertTrue(f.params().equalsWithEps(z.params(), 0.0), engine);
        }
    }

    @Test
    void metricsAndCheckpointNameTheMethodsTerms(@TempDir Path run) {
        TrainConfig train = new TrainConfig(2e-3, 32, 1, 3L, 0.25, 0.0, 0.9, 0.999, 1e-8, 1.0, "direct", 1, 0);
        InMemoryTransitionSource data = MovingSquare.source(16, 96, 11);
        for (String m : LossConfig.METHODS) {
            Path dir = run.resolve(m);
            ExperimentConfig cfg = new ExperimentConfig(MODEL, loss(m), train);
            TrainResult r = new LocalTrainer(cfg, Normalizer.identity(2, 1), dir, "synthetic", "").fit(data);
            Checkpoint c = CheckpointIO.load(r.checkpoint());
            assertEquals(m, c.config().loss().method());
            assertEquals(cfg.loss(), c.config().loss());
            List<Map<String, Object>> rows = MetricsLog.read(dir.resolve("metrics/metrics.jsonl"));
            List<String> extra = switch (m) {
                case LossConfig.METHOD_SIGREG -> List.of(LossTerms.SIGREG);
                case LossConfig.METHOD_VICREG_IDM -> List.of(LossTerms.VAR, LossTerms.COV);
                default -> List.of();
            };
            for (String kind : List.of("train", "val")) {
                Map<String, Object> row = rows.stream().filter(x -> kind.equals(x.get("kind"))).findFirst().orElseThrow();
                for (String t : List.of(LossTerms.FWD, LossTerms.INV, LossTerms.TOTAL))
                    assertTrue(row.get(t) instanceof Number, m + " " + kind + " " + t + ": " + row);
                for (String t : LossTerms.EXTRA)
                    assertEquals(extra.contains(t), row.get(t) instanceof Number, m + " " + kind + " " + t + ": " + row);
            }
            assertEquals(extra, r.last().val().names().subList(2, 2 + extra.size()), m);
        }
    }
}
