package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One run of the command line in this JVM: exit code, stdout, and what the command printed to stderr. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The error lines: stderr from the first "error: " line on, without log lines (progress bars come before). */
    List<String> errorLines() {
        List<String> lines = err.lines().filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d .*") && !l.isBlank()).toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("error: ")) {
                return lines.subList(i, lines.size());
            }
        }
        return lines;
    }

    /**
     * A user error: exit 2 with one or two lines that contain {@code text}, no stack trace and no exception class name.
     */
    CliRun assertUserError(String text) {
        List<String> lines = errorLines();
        assertEquals(CliErrors.USER_ERROR, code, "exit code; stdout:\n" + out + "\nstderr:\n" + err);
        assertTrue(lines.size() >= 1 && lines.size() <= 2, "one or two lines, got:\n" + err);
        assertTrue(err.contains(text), "should say '" + text + "':\n" + err);
        assertFalse(err.contains("\tat ") || err.matches("(?s).*\\b[A-Z]\\w*(Exception|Error)\\b.*"),
                "no stack trace or exception name:\n" + err);
        return this;
    }
}
