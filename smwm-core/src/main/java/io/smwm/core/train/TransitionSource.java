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

    /** Number of transitions. */
    long size();
}
