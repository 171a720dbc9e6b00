package io.smwm.spark.train;

/**
 * How the distributed trainer averages: {@code workers} partitions of the table train in parallel, each taking
 * {@code averagingFrequency} local Adam steps per round before parameters (and, by default, Adam's moments) are
 * averaged on the driver, weighted by the examples each partition trained on in the round.
 *
 * @param workers              N, partitions trained in parallel (the table's part files are dealt round-robin)
 * @param averagingFrequency   K, local steps per partition between averages
 * @param averageUpdaterState  average Adam's m and v like the parameters (default); when false each partition keeps
 *                             its own moments on its executor between rounds
 * @param checkpointEvery      R, rounds between checkpoints (a checkpoint is also written at the end of every epoch)
 */
public record AveragingConfig(int workers, int averagingFrequency, boolean averageUpdaterState, int checkpointEvery) {
    public static final int DEFAULT_AVERAGING_FREQUENCY = 10;
    public static final int DEFAULT_CHECKPOINT_EVERY = 50;

    public AveragingConfig {
        if (workers < 1 || workers > 10_000)
            throw new IllegalArgumentException("averaging.workers must be in [1, 10000], got " + workers);
        if (averagingFrequency < 1)
            throw new IllegalArgumentException("averaging.averagingFrequency must be >= 1, got " + averagingFrequency);
        if (checkpointEvery < 1)
            throw new IllegalArgumentException("averaging.checkpointEvery must be >= 1 (rounds), got " + checkpointEvery);
    }

    /** N workers, K = {@value #DEFAULT_AVERAGING_FREQUENCY}, Adam state averaged, checkpoint every 50 rounds. */
    public static AveragingConfig of(int workers) {
        return new AveragingConfig(workers, DEFAULT_AVERAGING_FREQUENCY, true, DEFAULT_CHECKPOINT_EVERY);
    }

    public AveragingConfig withAveragingFrequency(int k) {
        return new AveragingConfig(workers, k, averageUpdaterState, checkpointEvery);
    }

    /** "N=2 K=10 adam=averaged" for logs and provenance. */
    public String describe() {
        return "workers=" + workers + " K=" + averagingFrequency + " adam=" + (averageUpdaterState ? "averaged" : "local");
    }
}
