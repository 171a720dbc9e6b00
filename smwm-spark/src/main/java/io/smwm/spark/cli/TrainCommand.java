package io.smwm.spark.cli;

import io.smwm.core.config.ConfigOverrides;
import io.smwm.core.train.EpochSummary;
import io.smwm.core.train.TrainResult;
import io.smwm.spark.run.TrainRequest;
import io.smwm.spark.run.TrainResume;
import io.smwm.spark.run.TrainRun;
import io.smwm.spark.train.AveragingConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code smwm train}: train f, g, h jointly on a trajectory table, on Spark by parameter averaging (embedded
 * local[*] by default) or in this JVM with {@code --master none}. Parses the options into a {@link TrainRequest};
 * {@link TrainRun} does the rest.
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
        TrainRequest req = new TrainRequest(data, out, config,
                new ConfigOverrides(lambda, epochs, batchSize, seed, latentDim, context), master, workers,
                averagingFrequency, !noAverageUpdater, checkpointEvery, shuffleBuffer, overwrite, resume,
                allowOtherTable, skipValidation);
        printDone(TrainRun.execute(req, System.out::println).result());
        return 0;
    }

    /** The closing lines of a training run: steps, last validation loss, latent spread, checkpoint. */
    static void printDone(TrainResult r) {
        EpochSummary last = r.last();
        System.out.printf("done: %d steps; validation loss %.5f (fwd %.5f, inv %.5f); latent std %.4f, effective rank %.2f%n",
                last.step(), last.val().total(), last.val().fwd(), last.val().inv(), last.collapse().latentStd(),
                last.collapse().effectiveRank());
        System.out.println("checkpoint " + r.checkpoint());
    }
}
