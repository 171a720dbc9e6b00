package io.smwm.spark.cli;

import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.train.LocalTrainer;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TableTransitionSource;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import io.smwm.data.table.TrajectoryReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code smwm train}: train f, g, h jointly on a trajectory table (single JVM). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a world model (encoder, forward and inverse models jointly, L = L_fwd + λ·L_inv) on a table.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Trajectory table directory.")
    String data;

    @Option(names = "--out", required = true, description = "Run directory (metrics/, checkpoint/, config.yaml).")
    Path out;

    @Option(names = "--config", description = "Bundled config name (" + "tworoom, dotworld-single, ...) or a YAML file; default: chosen from the table's env.")
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

    @Option(names = "--shuffle-buffer", defaultValue = "4096", description = "Transitions held for shuffling (default: ${DEFAULT-VALUE}).")
    int shuffleBuffer;

    @Option(names = "--overwrite", description = "Replace an existing run directory's checkpoint and metrics.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        TableMetadata meta;
        TableStats stats;
        try (TrajectoryReader r = TrajectoryReader.open(data)) {
            meta = r.metadata();
            stats = r.stats();
        }
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
                    m.actionDim(), m.frameskip()));
        }
        TrainingData.checkCompatible(meta, cfg, data);
        if (Files.exists(out.resolve("checkpoint")) && !overwrite) {
            throw new UserError("run " + out + " already has a checkpoint; pass --overwrite to retrain into it, "
                    + "or choose another --out");
        }
        Files.createDirectories(out);
        if (overwrite) {
            Files.deleteIfExists(out.resolve("metrics").resolve("metrics.jsonl"));
        }
        Files.writeString(out.resolve("config.yaml"), ConfigLoader.toYaml(cfg));
        Normalizer norm = TrainingData.normalizer(stats, cfg);
        EpisodeSplit split = TrainingData.split(meta, cfg);
        int k = cfg.model().frameskip();
        TableTransitionSource train = new TableTransitionSource(data, split::isTraining, k, shuffleBuffer, false);
        TableTransitionSource val = split.validationEpisodes() == 0 ? null
                : new TableTransitionSource(data, split::isValidation, k, shuffleBuffer, false);
        System.out.printf("training on %s (%s, %d episodes: %d train / %d validation), λ=%s, %d epochs, batch %d%n",
                data, meta.env().id(), meta.episodes(), split.trainingEpisodes(), split.validationEpisodes(),
                cfg.loss().lambda(), cfg.train().epochs(), cfg.train().batchSize());
        LocalTrainer trainer = new LocalTrainer(cfg, norm, out, meta.fingerprint(), "");
        LocalTrainer.Result r = trainer.fit(train, val);
        LocalTrainer.EpochSummary last = r.last();
        System.out.printf("done: %d steps; validation loss %.5f (fwd %.5f, inv %.5f); latent std %.4f, effective rank %.2f%n",
                last.step(), last.val().total(), last.val().fwd(), last.val().inv(), last.collapse().latentStd(),
                last.collapse().effectiveRank());
        System.out.println("checkpoint " + r.checkpoint());
        return 0;
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
                d.convChannels(), d.latentDim(), d.hidden(), meta.action().dim(), d.frameskip()));
    }
}
