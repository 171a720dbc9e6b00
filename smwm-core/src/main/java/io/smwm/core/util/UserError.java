package io.smwm.core.util;

/**
 * An error caused by the user's input (a path, a flag, a table, a config), with a message that says what was
 * expected, what was found and how to fix it. The command line prints only the message for these.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
