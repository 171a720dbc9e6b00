package io.smwm.spark.run;

import io.smwm.core.config.ConfigOverrides;
import java.nio.file.Path;

/**
 * What to train, where, and how: everything {@code smwm train} takes, as one value a pipeline can build.
 *
 * @param data               the trajectory table (local path or any Hadoop URI)
 * @param out                the run directory (config.yaml, metrics/, checkpoint/)
 * @param config             a bundled config name or a YAML file; null: the bundled config of the table's env
 * @param overrides          values set on top of the config
 * @param master             Spark master URL; null: from spark-submit, else local[*]; "none": one JVM, no Spark
 * @param workers            partitions trained in parallel; null: Spark's default parallelism
 * @param averagingFrequency local steps between parameter averages; null: the default (or the checkpoint's)
 * @param averageUpdater     average Adam's moments with the parameters (else each partition keeps its own)
 * @param checkpointEvery    rounds between checkpoints (also at every epoch end)
 * @param shuffleBuffer      transitions held for shuffling; null: the default (or the checkpoint's)
 * @param overwrite          replace an existing run's checkpoint and metrics
 * @param resume             continue the run in {@code out} from its checkpoint
 * @param allowOtherTable    with resume: accept a table whose fingerprint differs from the checkpoint's
 * @param skipValidation     do not validate the table first
 * @param failOnCollapse     stop training (exit 1) when the collapse monitor flags an epoch, keeping the last good
 *                           checkpoint
 * @param warmStart          a checkpoint directory whose parameters start this run (a fresh run of the same model
 *                           architecture: epoch 1, new Adam state); null: the seeded initialisation
 */
public record TrainRequest(String data, Path out, String config, ConfigOverrides overrides, String master,
                           Integer workers, Integer averagingFrequency, boolean averageUpdater, int checkpointEvery,
                           Integer shuffleBuffer, boolean overwrite, boolean resume, boolean allowOtherTable,
                           boolean skipValidation, boolean failOnCollapse, Path warmStart) {
    public TrainRequest {
        if (overrides == null) overrides = ConfigOverrides.NONE;
    }

    /** A request without fail-on-collapse and without a warm start. */
    public TrainRequest(String data, Path out, String config, ConfigOverrides overrides, String master,
                        Integer workers, Integer averagingFrequency, boolean averageUpdater, int checkpointEvery,
                        Integer shuffleBuffer, boolean overwrite, boolean resume, boolean allowOtherTable,
                        boolean skipValidation) {
        this(data, out, config, overrides, master, workers, averagingFrequency, averageUpdater, checkpointEvery,
                shuffleBuffer, overwrite, resume, allowOtherTable, skipValidation, false, null);
    }

    /** This request writing into the run directory {@code dir}. */
    public TrainRequest withOut(Path dir) {
        return new TrainRequest(data, dir, config, overrides, master, workers, averagingFrequency, averageUpdater,
                checkpointEvery, shuffleBuffer, overwrite, resume, allowOtherTable, skipValidation, failOnCollapse,
                warmStart);
    }

    /** This request started from the checkpoint in {@code checkpointDir} (null: from the seeded initialisation). */
    public TrainRequest withWarmStart(Path checkpointDir) {
        return new TrainRequest(data, out, config, overrides, master, workers, averagingFrequency, averageUpdater,
                checkpointEvery, shuffleBuffer, overwrite, resume, allowOtherTable, skipValidation, failOnCollapse,
                checkpointDir);
    }

    /** True when training runs in this JVM without Spark ({@code master} "none"). */
    public boolean local() {
        return "none".equalsIgnoreCase(master);
    }
}
