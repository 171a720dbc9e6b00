package io.smwm.spark.train;

import io.smwm.core.train.TrainResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.train.Learner;
import io.smwm.core.train.TrainingStoppedException;
import io.smwm.core.train.TransitionBatch;
import io.smwm.core.util.Seeds;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TableTransitionSource;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.spark.hadoop.DriverOnlyFileSystem;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter averaging on local[2,2] (2 cores, 2 attempts per task) over a tiny dot world table: 12 episodes of 10
 * steps in 4 part files, 16x16 frames, the tiny model of tiny-dotworld.yaml.
 */
@Tag("spark")
class DistributedTrainerTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static String table;
    static TableMetadata meta;
    static ExperimentConfig cfg;
    static Normalizer norm;
    static EpisodeSplit split;

    @BeforeAll
    static void setUp() throws Exception {
        table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("dotworld", new EnvConfig("single", 16, List.of(), Map.of()),
                null, 12, 10, 3, 1, 3), table, false);
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            meta = r.metadata();
            cfg = ConfigLoader.load(Path.of(new File(DistributedTrainerTest.class.getResource("/tiny-dotworld.yaml")
                    .toURI()).getPath()));
            cfg = cfg.withTrain(cfg.train().withSeed(7));
            norm = TrainingData.normalizer(r.stats(), cfg);
        }
        split = TrainingData.split(meta, cfg);
        spark = SparkSession.builder().master("local[2,2]").appName("DistributedTrainerTest")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        System.clearProperty(PartitionTrainer.FAULT_PROPERTY);
        if (spark != null) spark.stop();
    }

    private static DistributedTrainer trainer(ExperimentConfig c, AveragingConfig a, Path run) {
        return new DistributedTrainer(spark, c, norm, a, table, meta, split, run, "", 64);
    }

    private static TableTransitionSource val() throws Exception {
        return new TableTransitionSource(table, split::isValidation, 1, 64, false);
    }

    @Test
    void oneWorkerOneStep_matchesTheSingleJvmLearnerStepForStep() throws Exception {
        ExperimentConfig c = cfg.withTrain(cfg.train().withEpochs(2));
        DistributedTrainer t = trainer(c, new AveragingConfig(1, 1, true, 100), null);
        TrainResult dist = t.fit(null, null);

        Learner local = new Learner(c.model(), c.loss(), c.train(), norm, Seeds.derive(c.train().seed(), "init"));
        TableTransitionSource src = new TableTransitionSource(table, split::isTraining, 1, 64, false);
        List<Double> localLoss = new ArrayList<>();
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (Iterator<TransitionBatch> it = src.epoch(epoch, c.train().batchSize(),
                    Seeds.derive(c.train().seed(), "shuffle")); it.hasNext(); ) {
                localLoss.add(local.step(it.next()).loss().total());
            }
        }
        List<DistributedTrainer.RoundSummary> rounds = t.rounds();
        assertEquals(localLoss.size(), rounds.size(), "one round per local step");
        for (int i = 0; i < rounds.size(); i++) {
            assertEquals(localLoss.get(i), rounds.get(i).loss().total(), 1e-6 * Math.abs(localLoss.get(i)),
                    "loss of step " + (i + 1));
        }
        assertEquals(local.stepCount(), dist.last().step());
        assertArrayEquals(local.params().toFloatVector(), dist.model().flatParams().toFloatVector(), 1e-6f);
    }

    /**
     * Trains {@code c} on one worker averaging every step, and steps a single-JVM learner through the same batches
     * (the config's context and run length of each epoch, {@code train.chunkAt}) for the first {@code epochs}
     * epochs: the rounds' loss terms must equal the learner's, term for term. Returns the learner's terms.
     */
    private static List<io.smwm.core.loss.LossTerms> assertAsInOneJvm(ExperimentConfig c, int epochs)
            throws Exception {
        DistributedTrainer t = trainer(c, new AveragingConfig(1, 1, true, 100), null);
        t.fit(val(), null);
        Learner local = new Learner(c.model(), c.loss(), c.train(), norm, Seeds.derive(c.train().seed(), "init"));
        TableTransitionSource src = new TableTransitionSource(new org.apache.hadoop.conf.Configuration(), table,
                split::isTraining, 1, 64, false, null, c.model().context(), c.train()::chunkAt);
        List<io.smwm.core.loss.LossTerms> localLoss = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            local.setEpoch(epoch);
            for (Iterator<TransitionBatch> it = src.epoch(epoch, c.train().batchSize(),
                    Seeds.derive(c.train().seed(), "shuffle")); it.hasNext(); ) {
                localLoss.add(local.step(it.next()).loss());
            }
        }
        List<DistributedTrainer.RoundSummary> rounds = t.rounds();
        assertTrue(localLoss.size() > 1);
        for (int i = 0; i < localLoss.size(); i++) {
            io.smwm.core.loss.LossTerms want = localLoss.get(i), got = rounds.get(i).loss();
            assertEquals(want.names(), got.names());
            for (String term : want.names())
                assertEquals(want.asMap().get(term), got.asMap().get(term), 1e-6 * Math.abs(want.asMap().get(term)),
                        term + " of step " + (i + 1));
        }
        return localLoss;
    }

    @Test
    void oneWorkerOneStep_sigreg_matchesTheSingleJvmLearnerTermForTerm() throws Exception {
        // SIGReg's directions are drawn per Adam step from train.seed: a partition draws the driver-side learner's
        ExperimentConfig c = cfg.withLoss(cfg.loss().withMethod(io.smwm.core.config.LossConfig.METHOD_SIGREG));
        assertTrue(assertAsInOneJvm(c, 1).get(0).term(io.smwm.core.loss.LossTerms.SIGREG) > 0);
    }

    @Test
    void rolloutTerm_onThePartitionsRuns_matchesTheSingleJvmLearnerTermForTerm() throws Exception {
        // batches of runs (train.chunk 4) carry the rollout term to the tasks: the same steps as one JVM's learner
        ExperimentConfig c = cfg.withTrain(cfg.train().withChunk(4)).withLoss(cfg.loss().withRollout(4, 1.0));
        assertTrue(assertAsInOneJvm(c, 1).get(0).term(io.smwm.core.loss.LossTerms.ROLL) > 0,
                "the batches hold runs");
    }

    @Test
    void chunkFromEpoch_singleTransitionsFirst_thenRunsWithTheRolloutTerm_asInOneJvm() throws Exception {
        // train.chunkFromEpoch 2: the partitions cut epoch 1 into single transitions and epoch 2 into runs of 4, where
        // the rollout term (trained from epoch 2) finds them
        ExperimentConfig c = cfg.withTrain(cfg.train().withEpochs(2).withChunk(4).withChunkFromEpoch(2))
                .withLoss(cfg.loss().withRollout(4, 1.0).withRolloutFromEpoch(2));
        List<io.smwm.core.loss.LossTerms> terms = assertAsInOneJvm(c, 2);
        int epochOne = terms.size() / 2; // both epochs visit every training transition once, in batches of the same size
        long runsOne = terms.subList(0, epochOne).stream()
                .filter(x -> x.term(io.smwm.core.loss.LossTerms.ROLL) > 0).count();
        long runsTwo = terms.subList(epochOne, terms.size()).stream()
                .filter(x -> x.term(io.smwm.core.loss.LossTerms.ROLL) > 0).count();
        // a shuffle of single transitions puts two consecutive ones side by side only by chance
        assertTrue(runsTwo >= epochOne - 1 && runsOne < epochOne / 2,
                "steps whose batch holds runs: epoch 1 " + runsOne + ", epoch 2 " + runsTwo + " of " + epochOne);
    }

    @Test
    void twoWorkers_reduceTheTrainingLoss(@TempDir Path run) throws Exception {
        TrainConfig tc = cfg.train();
        ExperimentConfig c = cfg.withTrain(new TrainConfig(3e-3, tc.batchSize(), 5, tc.seed(), tc.valFraction(),
                tc.gradClip(), tc.beta1(), tc.beta2(), tc.epsilon(), tc.lrDecay(), tc.engine(), tc.chunk(), 0));
        DistributedTrainer t = trainer(c, new AveragingConfig(2, 2, true, 100), run);
        TrainResult r = t.fit(val(), null);
        double first = t.rounds().get(0).loss().total();
        double last = r.last().train().total();
        assertTrue(last < 0.9 * first, "training loss should fall: first round " + first + ", last epoch " + last);
        assertTrue(r.last().val().total() < r.epochs().get(0).val().total(), "validation loss should fall: "
                + r.epochs().get(0).val() + " -> " + r.last().val());
        assertEquals(2, t.rounds().get(0).activePartitions());
        Checkpoint ck = CheckpointIO.load(run.resolve("checkpoint"));
        assertEquals(5, ck.provenance().epoch());
        assertEquals(0, ck.provenance().round());
        assertEquals(r.last().step(), ck.updater().step());
    }

    @Test
    void aPartitionThatRunsOutFirst_isNotReReadInTheEpochsLaterRounds() throws Exception {
        // files round-robin over 2 partitions: 2 files against 1, so with one batch per round partition 1 runs out first
        DistributedTrainer t = trainer(cfg.withTrain(cfg.train().withEpochs(2).withBatchSize(8)),
                new AveragingConfig(2, 1, true, 100), null);
        long rebuilt = PartitionTrainer.RECREATED.get();
        t.fit(null, null);
        assertTrue(t.rounds().stream().anyMatch(x -> x.activePartitions() == 1), "one partition ran out first");
        assertEquals(rebuilt, PartitionTrainer.RECREATED.get(), "no stream rebuilt by re-reading the partition");
    }

    @Test
    void tasksOpenTheTableWithTheDriversHadoopConfiguration() throws Exception {
        // the table under a scheme that only the driver's (SparkContext's) Hadoop configuration resolves
        Configuration h = spark.sparkContext().hadoopConfiguration();
        String viaDriverFs = DriverOnlyFileSystem.uri(new File(table).getAbsolutePath());
        DriverOnlyFileSystem.register(h);
        try {
            assertThrows(IOException.class, () -> TrajectoryReader.open(viaDriverFs).close(),
                    "precondition: a default Hadoop configuration cannot open the table");
            long opensBefore = DriverOnlyFileSystem.OPENS.get();
            ExperimentConfig c = cfg.withTrain(cfg.train().withEpochs(1));
            DistributedTrainer t = new DistributedTrainer(spark, c, norm, new AveragingConfig(2, 2, true, 100),
                    viaDriverFs, meta, split, null, "", 64);
            TrainResult r = t.fit(null, null);
            assertEquals(2, t.rounds().get(0).activePartitions(), "both partitions read their files");
            assertTrue(r.last().step() > 0 && Double.isFinite(r.last().train().total()), "trained: " + r.last());
            assertTrue(DriverOnlyFileSystem.OPENS.get() > opensBefore, "the tasks read through the driver's file system");
        } finally {
            DriverOnlyFileSystem.unregister(h);
        }
    }

    @Test
    void injectedTaskFailure_isRetriedAndGivesTheUndisturbedResult() throws Exception {
        ExperimentConfig c = cfg.withTrain(cfg.train().withEpochs(1));
        AveragingConfig a = new AveragingConfig(2, 2, true, 100);
        TrainResult undisturbed = trainer(c, a, null).fit(null, null);
        System.setProperty(PartitionTrainer.FAULT_PROPERTY, "1:1:1");
        TrainResult retried;
        try {
            retried = trainer(c, a, null).fit(null, null);
        } finally {
            System.clearProperty(PartitionTrainer.FAULT_PROPERTY);
        }
        assertEquals(undisturbed.last().step(), retried.last().step());
        double u = undisturbed.last().train().total(), d = retried.last().train().total();
        assertEquals(u, d, 0.01 * u, "final training loss within 1% of the undisturbed run");
    }

    @Test
    void stoppedMidEpoch_resumeContinuesFromTheCheckpointRoundToTheSameStepCount(@TempDir Path tmp) throws Exception {
        ExperimentConfig c = cfg.withTrain(cfg.train().withEpochs(2));
        AveragingConfig a = new AveragingConfig(2, 1, true, 2);
        TrainResult whole = trainer(c, a, tmp.resolve("whole")).fit(null, null);

        Path run = tmp.resolve("cut");
        System.setProperty(PartitionTrainer.FAULT_PROPERTY, "2:3:0!"); // every attempt fails: the job is lost
        try {
            TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                    () -> trainer(c, a, run).fit(null, null));
            assertEquals(run.resolve("checkpoint"), e.lastGoodCheckpoint());
        } finally {
            System.clearProperty(PartitionTrainer.FAULT_PROPERTY);
        }
        Checkpoint ck = CheckpointIO.load(run.resolve("checkpoint"));
        assertEquals(1, ck.provenance().epoch(), "epoch 1 completed");
        assertEquals(2, ck.provenance().round(), "checkpoint after round 2 of epoch 2 (every 2 rounds)");

        DistributedTrainer resumed = trainer(c, a, run);
        TrainResult r = resumed.fit(null, ck);
        assertEquals(2, resumed.rounds().get(0).round(), "continues at round 2 of epoch 2");
        assertEquals(whole.last().step(), r.last().step(), "same total steps as the uninterrupted run");
        assertArrayEquals(whole.model().flatParams().toFloatVector(), r.model().flatParams().toFloatVector(), 1e-4f);
    }

    /**
     * train.averageEpochs: the rounds are unchanged (the last iterate equals a run without averaging), the model is
     * the mean of the last epoch's iterates, and a run stopped inside the window resumes to the same average.
     */
    @Test
    void averagedLastEpoch_leavesTheIteratesAlone_andResumesToTheSameAverage(@TempDir Path tmp) throws Exception {
        ExperimentConfig plain = cfg.withTrain(cfg.train().withEpochs(2));
        ExperimentConfig c = plain.withTrain(plain.train().withAverageEpochs(1));
        AveragingConfig a = new AveragingConfig(2, 1, true, 2);
        TrainResult reference = trainer(plain, a, tmp.resolve("plain")).fit(null, null);
        DistributedTrainer wt = trainer(c, a, tmp.resolve("whole"));
        TrainResult whole = wt.fit(null, null);
        Checkpoint done = CheckpointIO.load(tmp.resolve("whole").resolve("checkpoint"));
        long epoch2Rounds = wt.rounds().stream().filter(r -> r.epoch() == 2 && r.examples() > 0).count();
        assertNotNull(done.average(), "the final checkpoint carries the average");
        assertEquals(epoch2Rounds, done.average().count(), "one iterate per round of the last epoch");
        assertArrayEquals(reference.model().flatParams().toFloatVector(), done.params().toFloatVector(), 1e-6f,
                "the iterates are those of a run without averaging");
        float[] avg = whole.model().flatParams().toFloatVector(), last = done.params().toFloatVector();
        assertArrayEquals(done.average().mean().toFloatVector(), avg, 0f, "the model is the average");
        double diff = 0;
        for (int i = 0; i < avg.length; i++) diff = Math.max(diff, Math.abs(avg[i] - last[i]));
        assertTrue(diff > 1e-4, "the average differs from the last iterate (max difference " + diff + ")");

        Path run = tmp.resolve("cut");
        System.setProperty(PartitionTrainer.FAULT_PROPERTY, "2:3:0!");
        try {
            assertThrows(TrainingStoppedException.class, () -> trainer(c, a, run).fit(null, null));
        } finally {
            System.clearProperty(PartitionTrainer.FAULT_PROPERTY);
        }
        Checkpoint ck = CheckpointIO.load(run.resolve("checkpoint"));
        assertEquals(2, ck.provenance().round());
        assertNotNull(ck.average(), "a checkpoint inside the window carries the average so far");
        assertEquals(2, ck.average().count());
        TrainResult r = trainer(c, a, run).fit(null, ck);
        assertArrayEquals(avg, r.model().flatParams().toFloatVector(), 1e-5f, "the resumed run's average");
        assertEquals(epoch2Rounds, CheckpointIO.load(run.resolve("checkpoint")).average().count());
    }
}
