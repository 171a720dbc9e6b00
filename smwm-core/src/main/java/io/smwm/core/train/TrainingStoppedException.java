package io.smwm.core.train;

import java.nio.file.Path;

/**
 * Training stopped early (a non-finite loss, collapse with fail-on-collapse, a failed job); the last good
 * checkpoint, if any, is left intact. {@link #reason()} says which kind of stop it was, so that a caller (a
 * retraining gate) can tell a model that went bad from a run that could not proceed.
 */
public final class TrainingStoppedException extends RuntimeException {
    /** Why training stopped. */
    public enum Reason {
        /** A loss term or the gradient became NaN or infinite, in a step or in an epoch's validation. */
        NON_FINITE_LOSS,
        /** The collapse monitor flagged the epoch and training was asked to fail on collapse. */
        COLLAPSE,
        /** Anything else: a failed Spark job, an epoch without data. */
        FAILURE
    }

    private final transient Path lastGoodCheckpoint;
    private final Reason reason;

    /** A stop for {@link Reason#FAILURE}. */
    public TrainingStoppedException(String message, Path lastGoodCheckpoint, Throwable cause) {
        this(message, lastGoodCheckpoint, cause, Reason.FAILURE);
    }

    public TrainingStoppedException(String message, Path lastGoodCheckpoint, Throwable cause, Reason reason) {
        super(message, cause);
        this.lastGoodCheckpoint = lastGoodCheckpoint;
        this.reason = reason == null ? Reason.FAILURE : reason;
    }

    /** The last checkpoint written before the failure, or null if none was written. */
    public Path lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }

    /** Why training stopped. */
    public Reason reason() {
        return reason;
    }
}
