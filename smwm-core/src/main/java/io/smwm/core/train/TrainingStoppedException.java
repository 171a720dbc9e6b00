package io.smwm.core.train;

import java.nio.file.Path;

/** Training stopped early (non-finite loss); the last good checkpoint, if any, is left intact. */
public final class TrainingStoppedException extends RuntimeException {
    private final transient Path lastGoodCheckpoint;

    public TrainingStoppedException(String message, Path lastGoodCheckpoint, Throwable cause) {
        super(message, cause);
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /** The last checkpoint written before the failure, or null if none was written. */
    public Path lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
