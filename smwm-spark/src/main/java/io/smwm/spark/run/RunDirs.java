package io.smwm.spark.run;

import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where commands may write. Outputs never overlap inputs (neither inside nor around them, symbolic links resolved); a
 * run directory given to train is new, empty, or a run (then only with --overwrite or --resume); a report directory is
 * new, empty, or a report (then only with --overwrite). Checks here are about the file system as it is; the
 * {@link RunLock} that a writer then takes makes it the only writer.
 */
public final class RunDirs {
    /** Entries that make a directory a run: what train writes (a checkpoint also as leftovers of a killed save). */
    public static final List<String> RUN_ENTRIES = List.of("config.yaml", "checkpoint", "metrics");

    private RunDirs() {}

    /** A command-line path (plain or file: URI) as a local path; null for other file systems (hdfs:, s3a:, ...). */
    public static Path local(String path) {
        if (path.startsWith("file:")) {
            return Path.of(URI.create(path.startsWith("file://") ? path : "file://" + path.substring(5)));
        }
        return path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") ? null : Path.of(path);
    }

    /** Absolute and normalised, with symbolic links of its longest existing prefix resolved. */
    public static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize(), existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    /** Refuses an output that is, is inside, or contains an input; {@code in} null (another file system) passes. */
    public static void checkNoOverlap(String outFlag, Path out, String inFlag, Path in) {
        if (in == null || out == null) {
            return;
        }
        Path o = real(out), i = real(in);
        if (o.equals(i) || o.startsWith(i) || i.startsWith(o)) {
            throw new UserError(outFlag + " " + out + " overlaps " + inFlag + " " + in + " ("
                    + (o.equals(i) ? "the same directory" : o.startsWith(i) ? "it is inside it" : "it contains it")
                    + "); outputs must be separate from inputs: choose another " + outFlag);
        }
    }

    /** Does not exist, or holds nothing but a lock file. */
    public static boolean isEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(RunLock.NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Has what train writes: config.yaml, checkpoint/ (or leftovers of a killed checkpoint save), metrics/. */
    public static boolean isRun(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).anyMatch(n -> RUN_ENTRIES.contains(n)
                    || n.startsWith(".checkpoint.tmp-") || n.startsWith(".checkpoint.old-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The state {@code train --out} needs: see the class comment. */
    public static void checkTrainOut(Path out, boolean resume, boolean overwrite) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + " is a file, not a run directory; choose another --out");
        }
        if (isEmpty(out)) {
            return;
        }
        boolean run = isRun(out);
        if (!run) {
            throw new UserError("--out " + out + " is a non-empty directory that is not a run (no config.yaml, "
                    + "checkpoint/ or metrics/); train writes only into a new or empty directory or a run: choose "
                    + "another --out");
        }
        if (!resume && !overwrite) {
            throw new UserError("run " + out + " already exists; pass --overwrite to retrain into it (replacing its "
                    + "checkpoint and metrics), --resume to continue it, or choose another --out");
        }
    }

    /** The state a report directory ({@code evaluate --out}, default RUN/eval) needs: see the class comment. */
    public static void checkReportOut(Path out, boolean overwrite) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("report directory " + out + " is a file; choose another --out");
        }
        if (isEmpty(out)) {
            return;
        }
        if (!Files.exists(out.resolve("report.json"))) {
            throw new UserError("report directory " + out + " is not empty and holds no report.json; evaluate "
                    + "writes only into a new or empty directory or over an earlier report: choose another --out");
        }
        if (!overwrite) {
            throw new UserError("report directory " + out + " already holds a report; pass --overwrite to replace "
                    + "it or choose another --out");
        }
    }

    /**
     * What train --overwrite replaces: the checkpoint (with leftovers of killed saves), metrics.jsonl and curves.png.
     * Other entries of the run (evaluation reports, diagnostics) stay.
     */
    public static void clearRun(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.equals("checkpoint") || n.startsWith(".checkpoint.tmp-") || n.startsWith(".checkpoint.old-")) {
                    deleteTree(p);
                }
            }
        }
        Files.deleteIfExists(out.resolve("metrics").resolve("metrics.jsonl"));
        Files.deleteIfExists(out.resolve("metrics").resolve("curves.png"));
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** The checkpoint directory of a run. */
    public static Path checkpoint(Path run) {
        return run.resolve("checkpoint");
    }

    /**
     * Under the run's lock, if free: finishes a checkpoint save that a kill interrupted ({@link CheckpointIO#recover})
     * and prints what it did. A run being written by another process is left alone.
     */
    public static void recoverCheckpoint(Path run) throws IOException {
        if (!Files.isDirectory(run)) {
            return;
        }
        try (RunLock l = RunLock.tryAcquire(run, "smwm (checkpoint recovery)")) {
            if (l != null) {
                String done = CheckpointIO.recover(checkpoint(run));
                if (done != null) {
                    System.out.println("note: " + done);
                }
            }
        }
    }
}
