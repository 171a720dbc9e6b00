package io.smwm.data.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.model.Normalizer;
import io.smwm.core.train.Learner;
import io.smwm.core.train.TransitionBatch;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation batches of consecutive transitions ({@link TableTransitionSource#inOrder}, which the direct engine
 * encodes with shared frames) give the same mean loss as the shuffled epoch's batches: every term of the smwm loss
 * is a mean over transitions, so the grouping cannot change it.
 */
class InOrderEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void meanLossOfInOrderBatchesEqualsTheShuffledEpochs_contextTwoFrameskipTwo() throws Exception {
        GenerationSpec spec = new GenerationSpec("disc", DiscEnv.config(16, Map.of()), "random", 6, 12, 5L, 2, 3);
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(spec, DiscEnv.source(spec.envConfig()), table, false);
        int k = 2, bs = 7;
        ModelConfig mc = new ModelConfig(16, 3, List.of(8, 16), 8, 32, 2, k, 2, true);
        Learner learner = new Learner(mc, new LossConfig(1.0), TrainConfig.DEFAULT, Normalizer.identity(2, k), 3L);
        TableTransitionSource src = new TableTransitionSource(new org.apache.hadoop.conf.Configuration(), table,
                e -> true, k, 16, false, null, 2);

        LossTerms inOrder = learner.evaluate(src, bs);
        LossTerms.Mean shuffled = new LossTerms.Mean();
        long n = 0;
        for (Iterator<TransitionBatch> it = src.epoch(0, bs, 0L); it.hasNext(); ) {
            TransitionBatch b = it.next();
            shuffled.add(learner.evaluate(b), b.size());
            n += b.size();
        }
        assertEquals(6 * (13 - k), n, "the shuffled epoch covers every transition");
        LossTerms want = shuffled.mean();
        for (int i = 0; i < want.values().length; i++) {
            double w = want.values()[i], got = inOrder.values()[i];
            assertEquals(w, got, 1e-5 * Math.max(1e-3, Math.abs(w)), "term " + i + ": " + inOrder + " vs " + want);
        }
    }
}
