package io.smwm.core.checkpoint;

/** A checkpoint cannot be written or is unusable; the message says what is wrong and where. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
