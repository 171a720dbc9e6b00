package io.smwm.spark.cli;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.eval.report.AtomicFiles;
import io.smwm.core.model.Normalizer;
import io.smwm.core.train.LocalTrainer;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TableTransitionSource;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.ValidationReport;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.spark.train.AveragingConfig;
import io.smwm.spark.train.DistributedTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code smwm train}: train f, g, h jointly on a trajectory table, on Spark by parameter averaging
 * ({@link DistributedTrainer}; embedded local[*] by default) or in this JVM with {@code --master none}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a world model (encoder, forward and inverse models jointly, L = L_fwd + λ·L_inv) on a "
                + "table: on Spark by parameter averaging (embedded local[*] by default), or --master none for one JVM.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Trajectory table directory.")
    String data;

    @Option(names = "--out", required = true, description = "Run directory (metrics/, checkpoint/, config.yaml).")
    Path out;

    @Option(names = "--config", description = "Bundled config name (tworoom, pusht, cube, dotworld-single, ...) or a YAML file; default: chosen from the table's env.")
    String config;

    @Option(names = "--lambda", description = "Inverse-loss weight λ (0 = forward-only baseline).")
    Double lambda;

    @Option(names = "--epochs", description = "Epochs.")
    Integer epochs;

    @Option(names = "--batch-size", description = "Minibatch size.")
    Integer batchSize;

    @Option(names = "--seed", description = "Root seed (init, split, shuffles).")
    Long seed;

    @Option(names = "--latent-dim", description = "Latent dimension.")
    Integer latentDim;

    @Option(names = "--context", description = "Latents the forward and inverse models see (model.context): z_t and "
            + "the latents of the frames one model step, two, ... before it, so they can tell how the scene moves; "
            + "1 = z_t alone (the paper's setting).")
    Integer context;

    @Option(names = "--shuffle-buffer", description = "Transitions held for shuffling (default: "
            + TrainResume.DEFAULT_SHUFFLE_BUFFER + "; with --resume the checkpoint's).")
    Integer shuffleBuffer;

    @Option(names = "--overwrite", description = "Replace an existing run directory's checkpoint and metrics.")
    boolean overwrite;

    @Option(names = "--master", description = "Spark master URL (default: from spark-submit, else local[*]); "
            + "'none' trains in this JVM without Spark.")
    String master;

    @Option(names = "--workers", description = "Partitions trained in parallel (default: Spark's default parallelism).")
    Integer workers;

    @Option(names = "--averaging-frequency", description = "K, local steps per partition between parameter averages "
            + "(default: " + AveragingConfig.DEFAULT_AVERAGING_FREQUENCY + "; with --resume the checkpoint's).")
    Integer averagingFrequency;

    @Option(names = "--no-average-updater", description = "Keep each partition's own Adam moments instead of "
            + "averaging them with the parameters.")
    boolean noAverageUpdater;

    @Option(names = "--checkpoint-every", defaultValue = "" + AveragingConfig.DEFAULT_CHECKPOINT_EVERY,
            description = "Rounds between checkpoints (also at every epoch end) (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint (parameters, Adam state, "
            + "epoch and round; same data order). Uses the checkpoint's config and data order (--workers, "
            + "--averaging-frequency, --shuffle-buffer, Adam averaging); --epochs may extend it.")
    boolean resume;

    @Option(names = "--allow-other-table", description = "With --resume: continue on a table whose fingerprint differs "
            + "from the checkpoint's (refused otherwise).")
    boolean allowOtherTable;

    @Option(names = "--skip-validation", description = "Do not validate the table before training (for a table "
            + "validated since it last changed); the reader still checks row shapes and indices, not values: a NaN in "
            + "the data then stops training at its first non-finite loss (exit 1).")
    boolean skipValidation;

    @Override
    public Integer call() throws Exception {
        boolean local = "none".equalsIgnoreCase(master);
        if (shuffleBuffer != null && shuffleBuffer < 1) {
            throw new UserError("--shuffle-buffer must be >= 1, got " + shuffleBuffer);
        }
        if (local && resume) {
            throw new UserError("--resume continues a distributed run; the single-JVM trainer (--master none) "
                    + "cannot resume yet");
        }
        if (allowOtherTable && !resume) {
            throw new UserError("--allow-other-table applies to --resume only");
        }
        Path dataDir = RunDirs.local(data);
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new UserError("--data " + data + ": no such table directory");
        }
        RunDirs.checkNoOverlap("--out", out, "--data", dataDir);
        if (resume && !Files.isDirectory(out)) {
            throw new UserError("--resume: there is no run at " + out + "; train without --resume first");
        }
        RunDirs.checkTrainOut(out, resume, overwrite); // fail fast; checked again under the run's lock
        if (Files.isDirectory(out)) {
            RunLock.acquire(out, "smwm train").close(); // fail fast if another process writes the run
        }
        if (local) {
            return train(null, new Configuration());
        }
        // on Spark the driver reads the table with the SparkContext's Hadoop configuration (spark.hadoop.* of a
        // submit), the same entries the training tasks receive
        SparkSession spark = SparkSessions.create("smwm train " + data, master);
        try {
            return train(spark, spark.sparkContext().hadoopConfiguration());
        } finally {
            spark.stop();
        }
    }

    /** Trains in this JVM ({@code spark} null) or on {@code spark}; every read of the table uses {@code hconf}. */
    private int train(SparkSession spark, Configuration hconf) throws Exception {
        boolean local = spark == null;
        TableMetadata meta;
        TableStats stats;
        try (TrajectoryReader r = TrajectoryReader.open(hconf, data)) {
            meta = r.metadata();
            stats = r.stats();
        }
        RunLock lock = resume ? RunLock.acquire(out, "smwm train --resume") : null;
        try {
            Checkpoint from = null;
            ExperimentConfig cfg;
            if (resume) {
                from = loadForResume(meta);
                cfg = from.config();
                if (epochs != null) {
                    cfg = cfg.withTrain(cfg.train().withEpochs(epochs));
                }
                try {
                    TrainingData.checkCompatible(meta, cfg, data);
                } catch (UserError e) {
                    throw new UserError("cannot resume " + out.resolve("checkpoint") + " on this table: " + e.getMessage());
                }
                if (from.provenance().epoch() >= cfg.train().epochs()) {
                    throw new UserError("the checkpoint in " + out + " has already completed " + from.provenance().epoch()
                            + " of " + cfg.train().epochs() + " epochs; pass --epochs N with N > "
                            + from.provenance().epoch() + " to train further");
                }
            } else {
                cfg = configure(meta);
                TrainingData.checkCompatible(meta, cfg, data);
            }
            TrainResume.Order order = null;
            if (!local) {
                int defaultWorkers = spark.sparkContext().defaultParallelism();
                order = from != null ? TrainResume.order(from, workers, averagingFrequency, noAverageUpdater,
                        shuffleBuffer, checkpointEvery, defaultWorkers)
                        : new TrainResume.Order(TrainResume.averaging(workers == null ? defaultWorkers : workers,
                        averagingFrequency == null ? AveragingConfig.DEFAULT_AVERAGING_FREQUENCY : averagingFrequency,
                        !noAverageUpdater, checkpointEvery),
                        shuffleBuffer == null ? TrainResume.DEFAULT_SHUFFLE_BUFFER : shuffleBuffer);
            }
            validateTable(hconf);
            if (lock == null) {
                lock = RunLock.acquire(out, "smwm train");
            }
            RunDirs.checkTrainOut(out, resume, overwrite); // now as the run's only writer
            return train(spark, hconf, meta, stats, cfg, from, order);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    private void validateTable(Configuration hconf) {
        if (skipValidation) {
            System.out.println("note: --skip-validation: " + data + " is not validated before training");
            return;
        }
        long t0 = System.nanoTime();
        ValidationReport v = new TableValidator(hconf).requireValid(data);
        System.out.printf("validated %s: %d episodes, %d frames OK (%.1f s)%n", data, v.episodes(), v.rows(),
                (System.nanoTime() - t0) / 1e9);
    }

    private int train(SparkSession spark, Configuration hconf, TableMetadata meta, TableStats stats,
                      ExperimentConfig cfg, Checkpoint from, TrainResume.Order order) throws Exception {
        int buffer = order != null ? order.shuffleBuffer()
                : shuffleBuffer == null ? TrainResume.DEFAULT_SHUFFLE_BUFFER : shuffleBuffer;
        if (overwrite && !resume) {
            RunDirs.clearRun(out);
        }
        AtomicFiles.writeString(out.resolve("config.yaml"), ConfigLoader.toYaml(cfg));
        Normalizer norm = TrainingData.normalizer(stats, cfg);
        EpisodeSplit split = TrainingData.split(meta, cfg);
        int k = cfg.model().frameskip();
        TableTransitionSource val = split.validationEpisodes() == 0 ? null
                : new TableTransitionSource(hconf, data, split::isValidation, k, buffer, false, null,
                        cfg.model().context());
        LocalTrainer.Result r;
        if (spark == null) {
            printStart(meta, split, cfg, "in this JVM");
            TableTransitionSource train = new TableTransitionSource(hconf, data, split::isTraining, k, buffer,
                    false, null, cfg.model().context());
            r = new LocalTrainer(cfg, norm, out, meta.fingerprint(), "").fit(train, val);
        } else {
            printStart(meta, split, cfg, "on Spark " + spark.sparkContext().master() + ", "
                    + order.averaging().describe());
            if (from != null) {
                System.out.printf("resuming %s from epoch %d round %d (step %d)%n", out.resolve("checkpoint"),
                        from.provenance().epoch() + 1, from.provenance().round(), from.provenance().step());
            }
            DistributedTrainer t = new DistributedTrainer(spark, cfg, norm, order.averaging(), data, meta, split, out,
                    from == null ? "" : out.toString(), buffer).onProgress(System.out::println);
            r = t.fit(val, from);
        }
        LocalTrainer.EpochSummary last = r.last();
        System.out.printf("done: %d steps; validation loss %.5f (fwd %.5f, inv %.5f); latent std %.4f, effective rank %.2f%n",
                last.step(), last.val().total(), last.val().fwd(), last.val().inv(), last.collapse().latentStd(),
                last.collapse().effectiveRank());
        System.out.println("checkpoint " + r.checkpoint());
        return 0;
    }

    private Checkpoint loadForResume(TableMetadata meta) throws java.io.IOException {
        if (overwrite) {
            throw new UserError("--resume and --overwrite contradict each other; choose one");
        }
        for (Object[] o : new Object[][] {{"--config", config}, {"--lambda", lambda}, {"--batch-size", batchSize},
                {"--seed", seed}, {"--latent-dim", latentDim}, {"--context", context}}) {
            if (o[1] != null) {
                throw new UserError("--resume continues with the checkpoint's config; drop " + o[0]);
            }
        }
        Checkpoint c = TrainResume.load(out);
        TrainResume.checkTable(c, meta, data, allowOtherTable);
        return c;
    }

    private ExperimentConfig configure(TableMetadata meta) {
        ExperimentConfig cfg = resolve(config, meta);
        if (lambda != null) {
            cfg = cfg.withLoss(new LossConfig(lambda));
        }
        if (epochs != null) {
            cfg = cfg.withTrain(cfg.train().withEpochs(epochs));
        }
        if (batchSize != null) {
            cfg = cfg.withTrain(cfg.train().withBatchSize(batchSize));
        }
        if (seed != null) {
            cfg = cfg.withTrain(cfg.train().withSeed(seed));
        }
        if (latentDim != null) {
            ModelConfig m = cfg.model();
            cfg = cfg.withModel(new ModelConfig(m.imageSize(), m.channels(), m.convChannels(), latentDim, m.hidden(),
                    m.actionDim(), m.frameskip(), m.context(), m.centerFrames(), m.coordChannels()));
        }
        if (context != null) {
            try {
                cfg = cfg.withModel(cfg.model().withContext(context));
            } catch (IllegalArgumentException e) {
                throw new UserError("--context: " + e.getMessage());
            }
        }
        return cfg;
    }

    private void printStart(TableMetadata meta, EpisodeSplit split, ExperimentConfig cfg, String where) {
        System.out.printf("training on %s (%s, %d episodes: %d train / %d validation), λ=%s, %d epochs, batch %d, %s%n",
                data, meta.env().id(), meta.episodes(), split.trainingEpisodes(), split.validationEpisodes(),
                cfg.loss().lambda(), cfg.train().epochs(), cfg.train().batchSize(), where);
    }

    /** A bundled config by name, a YAML file, or (default) the bundled config for the table's env. */
    static ExperimentConfig resolve(String config, TableMetadata meta) {
        if (config != null) {
            if (ConfigLoader.BUNDLED_TASKS.contains(config)) {
                return ConfigLoader.forTask(config);
            }
            Path p = Path.of(config);
            if (Files.isRegularFile(p)) {
                return ConfigLoader.load(p);
            }
            throw new UserError("--config " + config + " is neither a bundled config " + ConfigLoader.BUNDLED_TASKS
                    + " nor a YAML file");
        }
        String byEnv = "dotworld".equals(meta.env().id()) ? "dotworld-" + meta.env().variant() : meta.env().id();
        if (ConfigLoader.BUNDLED_TASKS.contains(byEnv)) {
            return ConfigLoader.forTask(byEnv);
        }
        ModelConfig d = ExperimentConfig.DEFAULT.model();
        return ExperimentConfig.DEFAULT.withModel(new ModelConfig(meta.image().height(), d.channels(),
                d.convChannels(), d.latentDim(), d.hidden(), meta.action().dim(), d.frameskip(), d.context(),
                d.centerFrames(), d.coordChannels()));
    }
}
