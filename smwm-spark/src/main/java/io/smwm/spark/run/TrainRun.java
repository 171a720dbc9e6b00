package io.smwm.spark.run;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.eval.report.AtomicFiles;
import io.smwm.core.model.Normalizer;
import io.smwm.core.train.LocalTrainer;
import io.smwm.core.train.TrainResult;
import io.smwm.core.train.Trainer;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TableTransitionSource;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.ValidationReport;
import io.smwm.spark.train.AveragingConfig;
import io.smwm.spark.train.DistributedTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * One training run, as {@code smwm train}, the quickstart, the toy studies and a retraining pipeline start it: checks
 * the request and the run directory (under the run's lock), resolves the config (the request's, else the bundled
 * config of the table's env, else defaults sized to the table, then the overrides), applies the resume rules,
 * validates the table, writes {@code RUN/config.yaml}, builds the normaliser and the episode split, picks the
 * {@link Trainer} (on Spark by parameter averaging, or in this JVM) and trains. Progress goes to the console
 * consumer line by line; the result comes back as an object.
 */
public final class TrainRun {
    /** What a run produced: the config it trained, the trainer's result and the run directory. */
    public record Outcome(ExperimentConfig config, TrainResult result, Path runDir) {}

    private final TrainRequest req;
    private final Consumer<String> console;

    private TrainRun(TrainRequest req, Consumer<String> console) {
        this.req = req;
        this.console = console;
    }

    /** Runs {@code req}, creating (and stopping) its Spark session unless it trains in this JVM. */
    public static Outcome execute(TrainRequest req, Consumer<String> console) throws IOException {
        TrainRun run = new TrainRun(req, console);
        run.checkRequest();
        if (req.local()) return run.train(null, new Configuration());
        // on Spark the driver reads the table with the SparkContext's Hadoop configuration (spark.hadoop.* of a
        // submit), the same entries the training tasks receive
        SparkSession spark = SparkSessions.create("smwm train " + req.data(), req.master());
        try {
            return run.train(spark, spark.sparkContext().hadoopConfiguration());
        } finally {
            spark.stop();
        }
    }

    /** Runs {@code req} on a session the caller owns (its master wins over the request's). */
    public static Outcome execute(TrainRequest req, SparkSession spark, Consumer<String> console) throws IOException {
        TrainRun run = new TrainRun(req, console);
        run.checkRequest();
        return run.train(spark, spark.sparkContext().hadoopConfiguration());
    }

    private void checkRequest() throws IOException {
        if (req.shuffleBuffer() != null && req.shuffleBuffer() < 1)
            throw new UserError("--shuffle-buffer must be >= 1, got " + req.shuffleBuffer());
        if (req.local() && req.resume())
            throw new UserError("--resume continues a distributed run; the single-JVM trainer (--master none) "
                    + "cannot resume yet");
        if (req.allowOtherTable() && !req.resume())
            throw new UserError("--allow-other-table applies to --resume only");
        if (req.warmStart() != null && req.resume())
            throw new UserError("a warm start begins a new run from another model's parameters; --resume continues "
                    + "this run's own checkpoint: choose one");
        if (req.warmStart() != null && !Files.isDirectory(req.warmStart()))
            throw new UserError("warm start: no checkpoint at " + req.warmStart());
        Path dataDir = RunDirs.local(req.data());
        if (dataDir != null && !Files.isDirectory(dataDir))
            throw new UserError("--data " + req.data() + ": no such table directory");
        RunDirs.checkNoOverlap("--out", req.out(), "--data", dataDir);
        if (req.resume() && !Files.isDirectory(req.out()))
            throw new UserError("--resume: there is no run at " + req.out() + "; train without --resume first");
        RunDirs.checkTrainOut(req.out(), req.resume(), req.overwrite()); // fail fast; again under the run's lock
        if (Files.isDirectory(req.out()))
            RunLock.acquire(req.out(), "smwm train").close(); // fail fast if another process writes the run
    }

    /** Trains in this JVM ({@code spark} null) or on {@code spark}; every read of the table uses {@code hconf}. */
    private Outcome train(SparkSession spark, Configuration hconf) throws IOException {
        TableMetadata meta;
        TableStats stats;
        try (TrajectoryReader r = TrajectoryReader.open(hconf, req.data())) {
            meta = r.metadata();
            stats = r.stats();
        }
        RunLock lock = req.resume() ? RunLock.acquire(req.out(), "smwm train --resume") : null;
        try {
            Checkpoint from = null;
            ExperimentConfig cfg;
            if (req.resume()) {
                from = loadForResume(meta);
                cfg = from.config();
                if (req.overrides().epochs() != null)
                    cfg = cfg.withTrain(cfg.train().withEpochs(req.overrides().epochs()));
                try {
                    TrainingData.checkCompatible(meta, cfg, req.data());
                } catch (UserError e) {
                    throw new UserError("cannot resume " + req.out().resolve("checkpoint") + " on this table: "
                            + e.getMessage());
                }
                if (from.provenance().epoch() >= cfg.train().epochs())
                    throw new UserError("the checkpoint in " + req.out() + " has already completed "
                            + from.provenance().epoch() + " of " + cfg.train().epochs() + " epochs; pass --epochs N "
                            + "with N > " + from.provenance().epoch() + " to train further");
            } else {
                cfg = req.overrides().apply(resolveConfig(req.config(), meta));
                TrainingData.checkCompatible(meta, cfg, req.data());
            }
            Checkpoint warm = req.warmStart() == null ? null : loadWarmStart(cfg);
            TrainResume.Order order = spark == null ? null : order(spark, from);
            validateTable(hconf);
            if (lock == null) lock = RunLock.acquire(req.out(), "smwm train");
            RunDirs.checkTrainOut(req.out(), req.resume(), req.overwrite()); // now as the run's only writer
            return train(spark, hconf, meta, stats, cfg, from, warm, order);
        } finally {
            if (lock != null) lock.close();
        }
    }

    private TrainResume.Order order(SparkSession spark, Checkpoint from) {
        int defaultWorkers = spark.sparkContext().defaultParallelism();
        if (from != null)
            return TrainResume.order(from, req.workers(), req.averagingFrequency(), !req.averageUpdater(),
                    req.shuffleBuffer(), req.checkpointEvery(), defaultWorkers);
        return new TrainResume.Order(TrainResume.averaging(req.workers() == null ? defaultWorkers : req.workers(),
                req.averagingFrequency() == null ? AveragingConfig.DEFAULT_AVERAGING_FREQUENCY
                        : req.averagingFrequency(), req.averageUpdater(), req.checkpointEvery()),
                req.shuffleBuffer() == null ? TrainResume.DEFAULT_SHUFFLE_BUFFER : req.shuffleBuffer());
    }

    private void validateTable(Configuration hconf) {
        if (req.skipValidation()) {
            console.accept("note: --skip-validation: " + req.data() + " is not validated before training");
            return;
        }
        long t0 = System.nanoTime();
        ValidationReport v = new TableValidator(hconf).requireValid(req.data());
        console.accept(String.format("validated %s: %d episodes, %d frames OK (%.1f s)", req.data(), v.episodes(),
                v.rows(), (System.nanoTime() - t0) / 1e9));
    }

    private Outcome train(SparkSession spark, Configuration hconf, TableMetadata meta, TableStats stats,
                          ExperimentConfig cfg, Checkpoint from, Checkpoint warm, TrainResume.Order order)
            throws IOException {
        int buffer = order != null ? order.shuffleBuffer()
                : req.shuffleBuffer() == null ? TrainResume.DEFAULT_SHUFFLE_BUFFER : req.shuffleBuffer();
        Path out = req.out();
        if (req.overwrite() && !req.resume()) RunDirs.clearRun(out);
        AtomicFiles.writeString(out.resolve("config.yaml"), ConfigLoader.toYaml(cfg));
        Normalizer norm = TrainingData.normalizer(stats, cfg);
        EpisodeSplit split = TrainingData.split(meta, cfg);
        int k = cfg.model().frameskip();
        TableTransitionSource val = split.validationEpisodes() == 0 ? null
                : new TableTransitionSource(hconf, req.data(), split.validationSample(cfg.train().valEpisodes()), k,
                buffer, false, null,
                cfg.model().context(), cfg.loss().rollout() ? cfg.train().chunk() : 1); // runs: L_roll is measured
        Trainer trainer;
        String parent = warm != null ? req.warmStart().toString() : "";
        if (warm != null) console.accept("warm start from " + req.warmStart() + " (its parameters; new Adam state)");
        if (spark == null) {
            printStart(meta, split, cfg, "in this JVM");
            LocalTrainer lt = new LocalTrainer(cfg, norm, out, meta.fingerprint(), parent)
                    .failOnCollapse(req.failOnCollapse());
            if (warm != null) lt.learner().setParams(warm.modelParams());
            trainer = lt.on(new TableTransitionSource(hconf, req.data(), split::isTraining, k, buffer, false, null,
                    cfg.model().context(), cfg.train()::chunkAt));
        } else {
            printStart(meta, split, cfg, "on Spark " + spark.sparkContext().master() + ", "
                    + order.averaging().describe());
            if (from != null)
                console.accept(String.format("resuming %s from epoch %d round %d (step %d)", out.resolve("checkpoint"),
                        from.provenance().epoch() + 1, from.provenance().round(), from.provenance().step()));
            DistributedTrainer dt = new DistributedTrainer(spark, cfg, norm, order.averaging(), req.data(), meta,
                    split, out, from == null ? parent : out.toString(), buffer).onProgress(console)
                    .failOnCollapse(req.failOnCollapse());
            if (warm != null) dt.startFrom(warm.modelParams());
            trainer = dt;
        }
        return new Outcome(cfg, trainer.fit(val, from), out);
    }

    private Checkpoint loadForResume(TableMetadata meta) throws IOException {
        if (req.overwrite())
            throw new UserError("--resume and --overwrite contradict each other; choose one");
        if (req.config() != null)
            throw new UserError("--resume continues with the checkpoint's config; drop --config");
        Map<String, Object> changed = req.overrides().modelAndObjective();
        if (!changed.isEmpty())
            throw new UserError("--resume continues with the checkpoint's config; drop the options that set "
                    + changed.keySet());
        Checkpoint c = TrainResume.load(req.out());
        TrainResume.checkTable(c, meta, req.data(), req.allowOtherTable());
        return c;
    }

    /** The warm-start checkpoint, which must hold a model of the run's architecture. */
    private Checkpoint loadWarmStart(ExperimentConfig cfg) {
        Checkpoint w = io.smwm.core.checkpoint.CheckpointIO.load(req.warmStart());
        if (!w.config().model().equals(cfg.model()))
            throw new UserError("warm start from " + req.warmStart() + ": its model (" + w.config().model()
                    + ") differs from this run's (" + cfg.model() + "); a warm start needs the same architecture: "
                    + "use the same model settings or train from scratch");
        return w;
    }

    private void printStart(TableMetadata meta, EpisodeSplit split, ExperimentConfig cfg, String where) {
        console.accept(String.format("training on %s (%s, %d episodes: %d train / %d validation), λ=%s, %d epochs, "
                        + "batch %d, %s", req.data(), meta.env().id(), meta.episodes(), split.trainingEpisodes(),
                split.validationEpisodes(), cfg.loss().lambda(), cfg.train().epochs(), cfg.train().batchSize(), where));
        long sample = split.validationSampleSize(cfg.train().valEpisodes());
        if (sample < split.validationEpisodes())
            console.accept(String.format("each epoch validates on %d of the %d held-out episodes (train.valEpisodes)",
                    sample, split.validationEpisodes()));
    }

    /** A bundled config by name, a YAML file, or (null) the bundled config for the table's env, else defaults. */
    public static ExperimentConfig resolveConfig(String config, TableMetadata meta) {
        if (config != null) {
            if (ConfigLoader.BUNDLED_TASKS.contains(config)) return ConfigLoader.forTask(config);
            Path p = Path.of(config);
            if (Files.isRegularFile(p)) return ConfigLoader.load(p);
            throw new UserError("--config " + config + " is neither a bundled config " + ConfigLoader.BUNDLED_TASKS
                    + " nor a YAML file");
        }
        String byEnv = "dotworld".equals(meta.env().id()) ? "dotworld-" + meta.env().variant() : meta.env().id();
        return ConfigLoader.BUNDLED_TASKS.contains(byEnv) ? ConfigLoader.forTask(byEnv)
                : TrainingData.defaultsSizedTo(meta);
    }
}
