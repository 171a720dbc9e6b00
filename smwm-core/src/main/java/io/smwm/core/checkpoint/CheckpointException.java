package io.smwm.core.checkpoint;

import io.smwm.core.util.UserError;

/**
 * A checkpoint cannot be written or is unusable; the message says what is wrong and where. A {@link UserError}: the
 * command line prints the message and exits 2.
 */
public final class CheckpointException extends UserError {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
