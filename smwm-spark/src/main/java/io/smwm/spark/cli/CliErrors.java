package io.smwm.spark.cli;

import io.smwm.core.util.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns exceptions into one or two lines for people, exit 2 for bad input and 1 for failures: user errors
 * ({@link UserError}, IllegalArgumentException, a full disk) print their message, which names the fix; a failure prints
 * its message and its root cause's and points at --verbose. Exception class names appear only when an exception has
 * no message at all (a bug). With --verbose the stack trace follows.
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
            err.println("error: " + firstLines(user.getMessage()));
        } else if (noSpaceLeft(ex)) {
            user = ex;
            err.println("error: no space left on the device (" + firstLines(text(root(ex))) + "); free space or "
                    + "choose another output path");
        } else {
            Throwable root = root(ex);
            err.println("error: " + firstLines(text(ex)) + (root != ex && root.getMessage() != null
                    && !text(ex).contains(root.getMessage()) ? " (caused by: " + firstLines(text(root)) + ")" : ""));
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

    /**
     * A UserError, IllegalArgumentException or missing file (a path the user gave) anywhere in the cause chain (Spark
     * wraps task failures).
     */
    private static Throwable findUserError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UserError || c instanceof IllegalArgumentException
                    || c instanceof java.io.FileNotFoundException || c instanceof java.nio.file.NoSuchFileException) {
                return c;
            }
            if (c.getCause() == null && c.getMessage() != null && c.getMessage().contains("UserError: ")) {
                return new UserError(c.getMessage().substring(c.getMessage().indexOf("UserError: ") + 11)
                        .lines().findFirst().orElse(""));
            }
        }
        return null;
    }

    private static boolean noSpaceLeft(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable root(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    /** The message, or the class name for an exception without one. */
    private static String text(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** At most the first two lines of a message (Spark's carry a whole remote stack trace). */
    private static String firstLines(String m) {
        if (m == null) {
            return "";
        }
        String[] lines = m.strip().split("\n", 3);
        String s = lines[0].strip();
        if (lines.length > 1 && !lines[1].isBlank() && !lines[1].startsWith("\tat ") && !lines[1].startsWith("Caused by")
                && !lines[1].startsWith("Driver stacktrace")) {
            s += "\n  " + lines[1].strip();
        }
        return s;
    }
}
