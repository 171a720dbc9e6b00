package io.smwm.spark.cli;

import io.smwm.core.util.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns exceptions into one or two lines for people: user errors print their message (which names the fix);
 * anything else prints its type and message and points at --verbose for the stack trace.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
    static final int USER_ERROR = 2;
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = Main.verbose;
        Throwable user = findUserError(ex);
        if (user != null) {
            err.println("error: " + user.getMessage());
        } else {
            Throwable root = ex;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            err.println("error: " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                    + (root != ex ? " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")"
                    : ""));
            if (!verbose) {
                err.println("(run with --verbose for the stack trace)");
            }
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return user != null ? USER_ERROR : FAILURE;
    }

    /** A UserError or IllegalArgumentException anywhere in the cause chain (Spark wraps task failures). */
    private static Throwable findUserError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UserError || c instanceof IllegalArgumentException) {
                return c;
            }
            if (c.getCause() == null && c.getMessage() != null && c.getMessage().contains("UserError: ")) {
                return new UserError(c.getMessage().substring(c.getMessage().indexOf("UserError: ") + 11)
                        .lines().findFirst().orElse(""));
            }
        }
        return null;
    }
}
