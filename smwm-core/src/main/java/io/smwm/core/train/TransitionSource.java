package io.smwm.core.train;

import java.util.Iterator;

/**
 * Where training transitions come from: an in-memory array here, a Parquet trajectory table in smwm-data.
 * Implementations must be deterministic: the same (epoch, batchSize, seed) gives the same batches in the same order.
 */
public interface TransitionSource {

    /**
     * The batches of one epoch, each of {@code batchSize} transitions (the last may be smaller), in an order
     * shuffled from {@code seed} and {@code epoch}.
     */
    Iterator<TransitionBatch> epoch(int epoch, int batchSize, long seed);

    /**
     * Every transition once, in batches of {@code batchSize} (the last may be smaller) that keep an episode's
     * consecutive transitions together where the source can, so a batch's transitions share frames (the direct
     * engine encodes each distinct frame once): for a loss that is a mean over transitions, whose value the
     * grouping does not change. Deterministic. Default: {@link #epoch epoch(0, batchSize, 0)}.
     */
    default Iterator<TransitionBatch> inOrder(int batchSize) {
        return epoch(0, batchSize, 0L);
    }

    /** Number of transitions. */
    long size();
}
