package io.smwm.spark.cli;

import io.smwm.core.train.EpochSummary;
import io.smwm.core.train.TrainResult;
import io.smwm.spark.hadoop.HadoopStore;
import io.smwm.spark.run.HadoopRunDirs;
import io.smwm.spark.run.TrainRequest;
import io.smwm.spark.run.TrainRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code smwm train}: train f, g, h jointly on a trajectory table, on Spark by parameter averaging (embedded
 * local[*] by default) or in this JVM with {@code --master none}. Parses the options (most of them in
 * {@link TrainOptions}, shared with {@code retrain}) into a {@link TrainRequest}; {@link TrainRun} does the rest.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a world model (encoder, forward and inverse models jointly, L = L_fwd + λ·L_inv) on a "
                + "table: on Spark by parameter averaging (embedded local[*] by default), or --master none for one JVM.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions train;

    @Option(names = "--out", required = true, description = "Run directory (metrics/, checkpoint/, config.yaml): a "
            + "local path, or a Hadoop URI (file:///..., hdfs://..., s3a://... with the s3 build profile), trained in "
            + "a local scratch directory and published as it goes, each artefact atomically (see README).")
    String out;

    @Option(names = "--overwrite", description = "Replace an existing run directory's checkpoint and metrics.")
    boolean overwrite;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint (parameters, Adam state, "
            + "epoch and round; same data order). Uses the checkpoint's config and data order (--workers, "
            + "--averaging-frequency, --shuffle-buffer, Adam averaging); --epochs may extend it.")
    boolean resume;

    @Option(names = "--allow-other-table", description = "With --resume: continue on a table whose fingerprint differs "
            + "from the checkpoint's (refused otherwise).")
    boolean allowOtherTable;

    @Option(names = "--warm-start", paramLabel = "CHECKPOINT", description = "Start from the parameters of this "
            + "checkpoint directory (e.g. runs/x/checkpoint; its parameter average where it keeps one): a new run of "
            + "the same architecture from epoch 1 with a new Adam state, under this run's config (objective, epochs, "
            + "learning rate). Not with --resume.")
    Path warmStart;

    @Override
    public Integer call() throws Exception {
        if (HadoopStore.isUri(out)) {
            TrainRequest req = train.request(null, overwrite, resume, allowOtherTable, false).withWarmStart(warmStart);
            HadoopRunDirs.Trained t = HadoopRunDirs.train(req, out, System.out::println);
            printDone(t.outcome().result(), t.checkpoint());
            return 0;
        }
        TrainRequest req = train.request(Path.of(out), overwrite, resume, allowOtherTable, false)
                .withWarmStart(warmStart);
        TrainResult r = TrainRun.execute(req, System.out::println).result();
        printDone(r);
        return 0;
    }

    /** The closing lines of a training run: steps, last validation loss, latent spread, checkpoint. */
    static void printDone(TrainResult r) {
        printDone(r, String.valueOf(r.checkpoint()));
    }

    /** {@link #printDone(TrainResult)} naming the checkpoint {@code checkpoint} (a path or URI). */
    static void printDone(TrainResult r, String checkpoint) {
        EpochSummary last = r.last();
        System.out.printf("done: %d steps; validation loss %.5f (%s); latent std %.4f, effective rank %.2f%n",
                last.step(), last.val().total(), last.val().describe(), last.collapse().latentStd(),
                last.collapse().effectiveRank());
        System.out.println("checkpoint " + checkpoint);
    }
}
