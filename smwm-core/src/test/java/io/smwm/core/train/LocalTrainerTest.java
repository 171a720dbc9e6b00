package io.smwm.core.train;

import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.model.Normalizer;
import io.smwm.core.testing.MovingSquare;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LocalTrainerTest {
    static final InMemoryTransitionSource[] DATA = MovingSquare.source(16, 640, 11).split(0.2, 1);
    static final TrainConfig TRAIN = new TrainConfig(2e-3, 64, 12, 3L, 0.2, 0.0, 0.9, 0.999, 1e-8, 1.0, "direct", 1, 0);

    static ExperimentConfig cfg(double lambda) {
        return new ExperimentConfig(MovingSquare.tinyConfig(16), new LossConfig(lambda), TRAIN);
    }

    static Normalizer norm() {
        return Normalizer.fit(DATA[0].all().actions(), 2, 1);
    }

    /** The paper's core claim, small: with λ > 0 the loss falls and z keeps spread; with λ = 0 z collapses. */
    @Test
    void movingSquare_inverseTermPreventsCollapse_forwardOnlyCollapses(@TempDir Path run) {
        LocalTrainer smwm = new LocalTrainer(cfg(1.0), norm(), run, "synthetic", "");
        TrainResult r = smwm.fit(DATA[0], DATA[1]);
        TrainResult r0 = new LocalTrainer(cfg(0.0), norm(), null, "", "").fit(DATA[0], DATA[1]);
        LossTerms first = r.epochs().get(0).val(), last = r.last().val();
        double std = r.last().collapse().latentStd(), std0 = r0.last().collapse().latentStd();
        System.out.printf("lambda=1: val %s -> %s, std %.4f rank %.2f | lambda=0: val %s, std %.5f rank %.2f%n",
                first, last, std, r.last().collapse().effectiveRank(), r0.last().val(), std0,
                r0.last().collapse().effectiveRank());
        assertTrue(last.total() < 0.7 * first.total(), "validation loss should fall: " + first + " -> " + last);
        assertTrue(last.inv() < 0.7 * first.inv(), "inverse loss should fall: " + first + " -> " + last);
        assertTrue(std0 < 0.2 * std, "forward-only latent std " + std0 + " should collapse far below " + std);
        assertTrue(Files.exists(run.resolve("metrics/metrics.jsonl")));
        assertTrue(Files.exists(run.resolve("metrics/curves.png")));
        List<Map<String, Object>> rows = MetricsLog.read(run.resolve("metrics/metrics.jsonl"));
        assertTrue(rows.stream().anyMatch(m -> "val".equals(m.get("kind")) && m.containsKey("effective_rank")));
        assertTrue(rows.stream().anyMatch(m -> "train".equals(m.get("kind")) && m.containsKey("examples_per_s")
                && m.containsKey(LossTerms.INV) && m.containsKey("latent_std")));
        assertEquals(TRAIN.epochs(), CheckpointIO.load(r.checkpoint()).provenance().epoch());
    }

    @Test
    void nonFiniteLoss_stopsNamingStepAndTerm_lastGoodCheckpointIntact(@TempDir Path run) {
        TransitionSource poisoned = new TransitionSource() {
            @Override
            public Iterator<TransitionBatch> epoch(int epoch, int batchSize, long seed) {
                Iterator<TransitionBatch> it = DATA[0].epoch(epoch, batchSize, seed);
                return new Iterator<>() {
                    int i = 0;

                    public boolean hasNext() { return it.hasNext(); }

                    public TransitionBatch next() {
                        TransitionBatch b = it.next();
                        if (epoch == 2 && i++ == 2) b.actions()[0] = new float[]{Float.NaN, 0f};
                        return b;
                    }
                };
            }

            @Override
            public long size() { return DATA[0].size(); }
        };
        LocalTrainer t = new LocalTrainer(cfg(1.0).withTrain(TRAIN.withEpochs(3)), norm(), run, "", "");
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class, () -> t.fit(poisoned, DATA[1]));
        long steps = (DATA[0].size() + 63) / 64;
        assertTrue(e.getMessage().contains("step " + (steps + 3)), e.getMessage());
        assertTrue(e.getMessage().contains(LossTerms.FWD), e.getMessage());
        assertEquals(steps + 2, t.learner().stepCount(), "the poisoned update must not be applied");
        assertEquals(1, CheckpointIO.load(e.lastGoodCheckpoint()).provenance().epoch());
        assertTrue(Float.isFinite(t.learner().params().sumNumber().floatValue()));
    }

    @Test
    void nanInAValidationAction_stopsAfterTheEpochWithoutWritingItsCheckpoint(@TempDir Path run) {
        // used to log "validation loss NaN" and exit 0, although a NaN loss is documented to stop training
        TransitionBatch v = DATA[1].all();
        float[][] actions = v.actions().clone();
        actions[3] = new float[]{Float.NaN, 0f};
        InMemoryTransitionSource poisoned = new InMemoryTransitionSource(new TransitionBatch(v.obsT(), actions,
                v.obsTk(), v.states()));
        LocalTrainer t = new LocalTrainer(cfg(1.0).withTrain(TRAIN.withEpochs(2)), norm(), run, "", "");
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class, () -> t.fit(DATA[0], poisoned));
        assertTrue(e.getMessage().contains("after epoch 1: non-finite validation"), e.getMessage());
        assertNull(e.lastGoodCheckpoint());
        assertFalse(Files.exists(run.resolve("checkpoint")), "no checkpoint of the epoch that failed validation");
    }

    @Test
    void lastBatchOfOneTransition_trainsWithoutError() {
        InMemoryTransitionSource[] d = MovingSquare.source(16, 23, 5).split(0.2, 1); // 18 training transitions
        ExperimentConfig c = cfg(1.0).withTrain(TRAIN.withBatchSize(17).withEpochs(1));
        TrainResult r = new LocalTrainer(c, Normalizer.fit(d[0].all().actions(), 2, 1), null, "", "")
                .fit(d[0], d[1]);
        assertEquals(18, d[0].size());
        assertTrue(Double.isFinite(r.last().val().total()));
    }

    /** train.averageEpochs in one JVM: same steps as without, the model and the last epoch's validation are the average. */
    @Test
    void averagedLastEpoch_sameIterates_modelIsTheAverage(@TempDir Path run) {
        ExperimentConfig plain = cfg(1.0).withTrain(TRAIN.withEpochs(2));
        TrainResult ref = new LocalTrainer(plain, norm(), null, "", "").fit(DATA[0], DATA[1]);
        LocalTrainer t = new LocalTrainer(plain.withTrain(plain.train().withAverageEpochs(1)), norm(), run, "", "");
        TrainResult r = t.fit(DATA[0], DATA[1]);
        var ck = CheckpointIO.load(r.checkpoint());
        assertEquals((DATA[0].size() + 63) / 64, ck.average().count(), "one iterate per step of the last epoch");
        assertArrayEquals(ref.model().flatParams().toFloatVector(), ck.params().toFloatVector(), 1e-6f,
                "the steps are those of a run without averaging");
        assertArrayEquals(ck.average().mean().toFloatVector(), r.model().flatParams().toFloatVector(), 0f);
        assertEquals(ref.epochs().get(0).val().total(), r.epochs().get(0).val().total(), 1e-6,
                "epoch 1 is outside the window");
        assertTrue(Math.abs(ref.last().val().total() - r.last().val().total()) > 1e-6,
                "the last epoch validates the average, not the iterate: " + ref.last().val() + " " + r.last().val());
    }
}
