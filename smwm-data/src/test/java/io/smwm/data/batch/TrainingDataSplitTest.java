package io.smwm.data.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.TableMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's held-out episodes follow train.splitSeed when it is set, train.seed otherwise. */
class TrainingDataSplitTest {

    private static List<Long> heldOut(EpisodeSplit s, long episodes) {
        List<Long> out = new ArrayList<>();
        for (long e = 0; e < episodes; e++) if (s.isValidation(e)) out.add(e);
        return out;
    }

    @Test
    void split_followsSplitSeed_soAnotherTrainingSeedHoldsOutTheSameEpisodes(@TempDir Path dir) {
        TableMetadata meta = LocalGenerator.generate(new GenerationSpec("tworoom", EnvConfig.defaults().withImageSize(16),
                null, 40, 2, 3L), dir.resolve("t").toString(), false);
        ExperimentConfig base = ExperimentConfig.DEFAULT;
        ExperimentConfig seed7 = base.withTrain(base.train().withSeed(7)), seed8 = base.withTrain(base.train().withSeed(8));
        ExperimentConfig seed8split7 = base.withTrain(base.train().withSeed(8).withSplitSeed(7L));
        List<Long> h7 = heldOut(TrainingData.split(meta, seed7), 40), h8 = heldOut(TrainingData.split(meta, seed8), 40);
        assertEquals(4, h7.size(), "a tenth of 40 episodes");
        assertNotEquals(h7, h8, "another seed holds out other episodes");
        assertEquals(h7, heldOut(TrainingData.split(meta, seed8split7), 40), "splitSeed 7 holds out what seed 7 does");
    }
}
