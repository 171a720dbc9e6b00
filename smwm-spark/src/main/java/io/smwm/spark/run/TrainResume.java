package io.smwm.spark.run;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.checkpoint.CheckpointException;
import io.smwm.core.util.UserError;
import io.smwm.data.table.TableMetadata;
import io.smwm.spark.train.AveragingConfig;
import io.smwm.spark.train.DistributedTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code train --resume} continues from and with: the run's checkpoint (recovered first if a kill interrupted its
 * last save), the checkpoint's config, its data order ({@link DistributedTrainer#dataOrder}: workers, averaging
 * frequency, Adam averaging, shuffle buffer) and its table. Flags that would change the data order are refused, since
 * the resumed rounds would skip other batches than the interrupted run's; so is another table, unless asked for.
 */
public final class TrainResume {
    public static final int DEFAULT_SHUFFLE_BUFFER = 4096;

    private TrainResume() {}

    /** The settings a distributed training runs with. */
    public record Order(AveragingConfig averaging, int shuffleBuffer) {}

    /** Recovers (see {@link CheckpointIO#recover}) and loads RUN/checkpoint; the caller holds the run's lock. */
    public static Checkpoint load(Path out) throws IOException {
        Path ckpt = RunDirs.checkpoint(out);
        String done = CheckpointIO.recover(ckpt);
        if (done != null) {
            System.out.println("note: " + done);
        }
        if (!Files.exists(ckpt.resolve(CheckpointIO.MANIFEST))) {
            throw new UserError("--resume: " + out + " has no checkpoint (expected " + ckpt.resolve(CheckpointIO.MANIFEST)
                    + "); train without --resume first");
        }
        try {
            return CheckpointIO.load(ckpt);
        } catch (CheckpointException e) {
            throw new UserError("--resume: " + e.getMessage(), e);
        }
    }

    /** Refuses a table whose fingerprint differs from the checkpoint's, unless {@code allow}. */
    public static void checkTable(Checkpoint from, TableMetadata meta, String data, boolean allow) {
        String was = from.provenance().tableFingerprint();
        if (was.equals(meta.fingerprint())) {
            return;
        }
        if (!allow) {
            throw new UserError("--resume: the checkpoint was trained on table " + (was.isEmpty() ? "(unrecorded)" : was)
                    + ", but " + data + " is " + meta.fingerprint() + "; resume on the same table, or pass "
                    + "--allow-other-table to continue on this one");
        }
        System.out.println("note: continuing on another table than the checkpoint's (" + was + " -> "
                + meta.fingerprint() + "), as --allow-other-table asks");
    }

    /**
     * The data order a resume trains with: the checkpoint's, where it records one; flags given must agree with it.
     * Checkpoints without a record (written before it existed) take the flags or defaults, with a warning when they
     * were taken mid-epoch.
     */
    public static Order order(Checkpoint from, Integer workers, Integer k, boolean noAverageUpdater, Integer shuffleBuffer,
                       int checkpointEvery, int defaultWorkers) {
        Map<String, String> rec = from.provenance().dataOrder();
        if (rec.isEmpty()) {
            Order o = new Order(averaging(workers == null ? defaultWorkers : workers,
                    k == null ? AveragingConfig.DEFAULT_AVERAGING_FREQUENCY : k, !noAverageUpdater, checkpointEvery),
                    shuffleBuffer == null ? DEFAULT_SHUFFLE_BUFFER : shuffleBuffer);
            if (from.provenance().round() > 0) {
                System.out.println("warning: the checkpoint was taken mid-epoch and does not record its data order "
                        + "(an older build); resuming with " + o.averaging().describe() + ", shuffle buffer "
                        + o.shuffleBuffer() + ": these must be the interrupted run's, or batches are skipped");
            }
            return o;
        }
        int rw = recorded(rec, "workers"), rk = recorded(rec, "averaging_frequency"),
                rs = recorded(rec, "shuffle_buffer");
        boolean ravg = Boolean.parseBoolean(rec.get("average_updater"));
        List<String> conflicts = new ArrayList<>();
        if (workers != null && workers != rw) {
            conflicts.add("--workers " + workers + " (the checkpoint's: " + rw + ")");
        }
        if (k != null && k != rk) {
            conflicts.add("--averaging-frequency " + k + " (the checkpoint's: " + rk + ")");
        }
        if (noAverageUpdater && ravg) {
            conflicts.add("--no-average-updater (the checkpoint averaged Adam's state)");
        }
        if (shuffleBuffer != null && shuffleBuffer != rs) {
            conflicts.add("--shuffle-buffer " + shuffleBuffer + " (the checkpoint's: " + rs + ")");
        }
        if (!conflicts.isEmpty()) {
            throw new UserError("--resume continues with the checkpoint's data order; drop " + String.join(", ", conflicts)
                    + ", or start a new run (--overwrite or another --out) to train with other settings");
        }
        return new Order(averaging(rw, rk, ravg, checkpointEvery), rs);
    }

    /** The averaging config from flags, with the flags' names in its messages. */
    public static AveragingConfig averaging(int workers, int k, boolean averageUpdater, int checkpointEvery) {
        try {
            return new AveragingConfig(workers, k, averageUpdater, checkpointEvery);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage().replace("averaging.workers", "--workers")
                    .replace("averaging.averagingFrequency", "--averaging-frequency")
                    .replace("averaging.checkpointEvery", "--checkpoint-every"));
        }
    }

    private static int recorded(Map<String, String> rec, String key) {
        try {
            return Integer.parseInt(rec.getOrDefault(key, ""));
        } catch (NumberFormatException e) {
            throw new UserError("--resume: the checkpoint's provenance.dataOrder has no valid " + key + " (" + rec
                    + "); the checkpoint was edited or written by another tool");
        }
    }
}
