package io.smwm.core.train;

import io.smwm.core.checkpoint.Checkpoint;

/**
 * Something that turns training data into a world model: the local trainer in one JVM ({@link LocalTrainer#on}) or
 * the distributed one on Spark (smwm-spark). A trainer is built for one configuration, normaliser, run directory
 * and training set; {@link #fit} trains it to {@code train.epochs} epochs, closing every epoch the same way
 * ({@link EpochEnd}: validation, the collapse check, the metrics row) and checkpointing into the run directory
 * when there is one.
 */
public interface Trainer {
    /**
     * @param validation held-out transitions validated after every epoch, or null for none
     * @param resume     a checkpoint to continue from (its parameters, Adam state and position), or null to start
     *                   from the seeded initial parameters
     * @throws TrainingStoppedException when a loss turns non-finite or the data run out; the last good checkpoint
     *                                  stays
     * @throws UnsupportedOperationException when this trainer cannot continue {@code resume}
     */
    TrainResult fit(TransitionSource validation, Checkpoint resume);
}
