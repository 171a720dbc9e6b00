package io.smwm.spark.cli;

import io.smwm.core.config.ConfigOverrides;
import io.smwm.spark.run.TrainRequest;
import io.smwm.spark.run.TrainResume;
import io.smwm.spark.train.AveragingConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The training options {@code train} and {@code retrain} share (a picocli mixin): the table, the config and its
 * overrides, where and how to train (Spark master, workers, averaging), validation and the collapse rule. Each
 * command adds its own (train: --out, --overwrite, --resume; retrain: the registry, the gate, the benchmark).
 */
final class TrainOptions {
    @Option(names = "--data", required = true, description = "Trajectory table directory.")
    String data;

    @Option(names = "--config", description = "Bundled config name (tworoom, pusht, cube, dotworld-single, ...) or a YAML file; default: chosen from the table's env.")
    String config;

    @Option(names = "--lambda", description = "Inverse-loss weight λ (0 = forward-only baseline).")
    Double lambda;

    @Option(names = "--method", description = "Training objective (loss.method): smwm (L_fwd + λ·L_inv, the default), "
            + "forward (λ = 0), sigreg (L_fwd + w·SIGReg, LeWorldModel's), vicreg-idm (L_fwd + λ·L_inv + VICReg "
            + "variance and covariance terms, PLDM-style).")
    String method;

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

    @Option(names = "--skip-validation", description = "Do not validate the table before training (for a table "
            + "validated since it last changed); the reader still checks row shapes and indices, not values: a NaN in "
            + "the data then stops training at its first non-finite loss (exit 1).")
    boolean skipValidation;

    @Option(names = "--fail-on-collapse", negatable = true, description = "Stop training (exit 1, a clear message, "
            + "the last good checkpoint kept) when the collapse monitor flags an epoch: latent std below 1e-3, or the "
            + "std or effective rank fallen below half its best. Default: off for train, on for retrain "
            + "(--no-fail-on-collapse turns it off).")
    Boolean failOnCollapse;

    /** The config overrides these options set. */
    ConfigOverrides overrides() {
        return new ConfigOverrides(lambda, epochs, batchSize, seed, latentDim, context, method);
    }

    /** --fail-on-collapse as given, else the command's default. */
    boolean failOnCollapse(boolean byDefault) {
        return failOnCollapse == null ? byDefault : failOnCollapse;
    }

    /** A train request with these options and the command's own. */
    TrainRequest request(Path out, boolean overwrite, boolean resume, boolean allowOtherTable,
                         boolean failOnCollapseByDefault) {
        return new TrainRequest(data, out, config, overrides(), master, workers, averagingFrequency, !noAverageUpdater,
                checkpointEvery, shuffleBuffer, overwrite, resume, allowOtherTable, skipValidation,
                failOnCollapse(failOnCollapseByDefault), null);
    }
}
