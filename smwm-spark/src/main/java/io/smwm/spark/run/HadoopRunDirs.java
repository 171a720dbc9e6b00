package io.smwm.spark.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.train.TrainingStoppedException;
import io.smwm.core.util.UserError;
import io.smwm.spark.hadoop.HadoopStore;
import io.smwm.spark.hadoop.LeaseLock;
import io.smwm.spark.hadoop.LocalScratch;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Run directories and report directories on Hadoop paths ({@code train --out URI}, {@code evaluate --run URI},
 * {@code evaluate --out URI}). The driver trains (or evaluates) in a local scratch directory exactly as into a local
 * run, and publishes each finished artefact through {@link HadoopStore}, so that nothing half-written is visible:
 * {@code config.yaml}, {@code metrics/metrics.jsonl} (up to its last complete line) and {@code metrics/curves.png} as
 * single files replaced atomically, {@code checkpoint/} and report directories as directories replaced atomically
 * (rename where the store renames atomically, commit markers on object stores). A publisher thread publishes the
 * newest checkpoint and the metrics every {@code smwm.publish.interval.ms} (Hadoop configuration; default 30 s),
 * taking a checkpoint only when all its files match its manifest (a save in progress is left for the next round),
 * and once more when training ends, however it ends (the last good checkpoint of a stopped run is published too).
 * Readers copy the committed checkpoint to a local scratch directory and read it there. One writer per remote run: a
 * lease file {@code RUN/.smwm.lease} ({@link LeaseLock}).
 */
public final class HadoopRunDirs {
    /** The remote run's lock file. */
    public static final String LEASE = ".smwm.lease";
    static final Duration STALE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private HadoopRunDirs() {}

    /** A training whose run directory is {@code location}. */
    public record Trained(TrainRun.Outcome outcome, String location) {
        public String checkpoint() { return location + "/checkpoint"; }
    }

    /** An evaluation whose report directory is {@code location}. */
    public record Evaluated(EvaluationRun.Outcome outcome, String location) {}

    /**
     * Trains {@code req} (its {@code out} is ignored) into the run directory {@code outUri} on a Hadoop path, with
     * {@code train --out}'s rules: a new or empty directory, or a run only with --overwrite or --resume.
     */
    public static Trained train(TrainRequest req, String outUri, Consumer<String> console) throws IOException {
        HadoopStore st = HadoopStore.open("--out", outUri);
        if (st.fs() instanceof RawLocalFileSystem)
            RunDirs.checkNoOverlap("--out", Path.of(st.root().toUri().getPath()), "--data", RunDirs.local(req.data()));
        checkTrainOut(st, req.resume(), req.overwrite());
        LeaseLock lock = LeaseLock.tryAcquire(st, LEASE, "smwm train", STALE, console);
        if (lock == null)
            throw new UserError(st.uri() + " is in use by another smwm process (" + LeaseLock.heldBy(st, LEASE)
                    + "); wait for it to finish or choose another output directory");
        Path staging = null;
        try (lock) {
            staging = LocalScratch.newDir("run");
            if (req.resume()) {
                if (!st.fetchDir("checkpoint", staging.resolve("checkpoint")))
                    throw new UserError("--resume: " + st.uri() + " has no checkpoint (expected "
                            + st.uri("checkpoint/" + CheckpointIO.MANIFEST) + "); train without --resume first");
                copyIfPresent(st, "config.yaml", staging);
                copyIfPresent(st, "metrics/metrics.jsonl", staging);
            }
            Publisher pub = new Publisher(st, staging, req.overwrite() && !req.resume(), console);
            TrainRun.Outcome o;
            try {
                pub.start();
                o = TrainRun.execute(req.withOut(staging), console);
            } catch (TrainingStoppedException e) {
                pub.finishAfterFailure(e);
                throw new TrainingStoppedException(relabel(e.getMessage(), staging, st), e.lastGoodCheckpoint(),
                        e.getCause(), e.reason());
            } catch (UserError e) {
                pub.finishAfterFailure(e);
                throw new UserError(relabel(e.getMessage(), staging, st), e);
            } catch (IOException | RuntimeException e) {
                pub.finishAfterFailure(e);
                throw e;
            }
            pub.finish();
            return new Trained(o, st.uri());
        } finally {
            LocalScratch.delete(staging);
        }
    }

    /** Local scratch paths in a message, as the remote run's. */
    private static String relabel(String message, Path staging, HadoopStore st) {
        return message == null ? null : message.replace(staging.toString(), st.uri());
    }

    private static void copyIfPresent(HadoopStore st, String rel, Path staging) throws IOException {
        try {
            byte[] b = st.read(rel, 1L << 30);
            Path f = staging.resolve(rel);
            Files.createDirectories(f.getParent());
            Files.write(f, b);
        } catch (FileNotFoundException e) {
            // not written yet
        }
    }

    /** {@link RunDirs#checkTrainOut} for a directory on a Hadoop path. */
    static void checkTrainOut(HadoopStore st, boolean resume, boolean overwrite) throws IOException {
        if (st.isFile(""))
            throw new UserError("--out " + st.uri() + " is a file, not a run directory; choose another --out");
        List<String> names = st.list("").stream().filter(n -> !n.equals(LEASE)).toList();
        boolean run = names.stream().anyMatch(n -> RunDirs.RUN_ENTRIES.contains(n) || n.startsWith(".checkpoint."));
        if (resume && !run)
            throw new UserError("--resume: there is no run at " + st.uri() + "; train without --resume first");
        if (names.isEmpty()) return;
        if (!run)
            throw new UserError("--out " + st.uri() + " is a non-empty directory that is not a run (no config.yaml, "
                    + "checkpoint/ or metrics/); train writes only into a new or empty directory or a run: choose "
                    + "another --out");
        if (!resume && !overwrite)
            throw new UserError("run " + st.uri() + " already exists; pass --overwrite to retrain into it (replacing "
                    + "its checkpoint and metrics), --resume to continue it, or choose another --out");
    }

    /**
     * Evaluates with {@code evaluate}'s rules, reading the run {@code run} and writing the report to {@code out}
     * (null: RUN/eval), either of which may be a Hadoop URI; {@code req}'s run and out are ignored.
     */
    public static Evaluated evaluate(EvaluationRequest req, String run, String out, Consumer<String> console)
            throws IOException {
        Path copy = null, staging = null;
        try {
            Path runDir;
            String label = null;
            HadoopStore runStore = null;
            if (HadoopStore.isUri(run)) {
                runStore = HadoopStore.open("--run", run);
                copy = LocalScratch.newDir("run-copy");
                runDir = copy;
                if (!runStore.fetchDir("checkpoint", copy.resolve("checkpoint")))
                    throw new UserError("no checkpoint at " + runStore.uri("checkpoint") + "; train first (smwm train "
                            + "--out " + run + ")");
                label = runStore.uri("checkpoint");
            } else {
                runDir = Path.of(run);
            }
            HadoopStore outStore = out != null && HadoopStore.isUri(out) ? HadoopStore.open("--out", out)
                    : out == null && runStore != null ? openChild(runStore, "eval") : null;
            if (outStore == null) { // a local report directory
                Path dir = out != null ? Path.of(out) : null;
                EvaluationRun.Outcome o = EvaluationRun.execute(withDirs(req, runDir, dir, req.overwrite()), label,
                        console);
                return new Evaluated(o, o.reportDir().toString());
            }
            HadoopStore parent = outStore.parent();
            String name = outStore.name();
            checkReportOut(parent, name, req.overwrite());
            staging = LocalScratch.newDir("report");
            EvaluationRun.Outcome o = EvaluationRun.execute(withDirs(req, runDir, staging, false), label, console);
            parent.publishDir(name, staging);
            return new Evaluated(o, outStore.uri());
        } catch (UserError e) {
            String m = e.getMessage();
            if (copy != null) m = m.replace(copy.toString(), run);
            throw m.equals(e.getMessage()) ? e : new UserError(m, e);
        } finally {
            LocalScratch.delete(copy);
            LocalScratch.delete(staging);
        }
    }

    private static HadoopStore openChild(HadoopStore st, String name) {
        return HadoopStore.open(st.flag(), st.uri(name), st.conf());
    }

    private static EvaluationRequest withDirs(EvaluationRequest r, Path run, Path out, boolean overwrite) {
        return new EvaluationRequest(run, r.data(), out, r.episodes(), r.goalOffsets(), r.budget(), r.executeSteps(),
                r.seed(), r.planner(), r.master(), r.slices(), overwrite, r.skipValidation(), r.minGoalDistance(),
                r.clipSamples(), r.costWhitening(), r.inverseWeight(), r.ensemble(), r.recordStates(), r.taskParams());
    }

    /** {@link RunDirs#checkReportOut} for the report directory {@code name} in {@code parent}. */
    static void checkReportOut(HadoopStore parent, String name, boolean overwrite) throws IOException {
        String uri = parent.uri(name);
        if (parent.isFile(name))
            throw new UserError("report directory " + uri + " is a file; choose another --out");
        boolean report = parent.committed(name) && parent.isFile(name + "/report.json");
        if (!report && !parent.list(name).isEmpty())
            throw new UserError("report directory " + uri + " is not empty and holds no report.json; evaluate "
                    + "writes only into a new or empty directory or over an earlier report: choose another --out");
        if (report && !overwrite)
            throw new UserError("report directory " + uri + " already holds a report; pass --overwrite to replace "
                    + "it or choose another --out");
    }

    /** Publishes a local run as it is written: see the class comment. */
    static final class Publisher {
        private final HadoopStore st;
        private final Path staging;
        private final boolean overwrite;
        private final Consumer<String> console;
        private final long intervalMs;
        private ScheduledExecutorService timer;
        private Path snapshot;
        private boolean started;
        private byte[] lastConfig, lastManifest;
        private long lastMetrics = -1;

        Publisher(HadoopStore st, Path staging, boolean overwrite, Consumer<String> console) {
            this.st = st;
            this.staging = staging;
            this.overwrite = overwrite;
            this.console = console;
            this.intervalMs = Math.max(10, st.conf().getLong("smwm.publish.interval.ms", 30_000));
        }

        void start() {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "smwm publish " + st.uri());
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(() -> {
                try {
                    publish(false);
                } catch (IOException | RuntimeException e) {
                    console.accept("warning: publishing to " + st.uri() + " failed (" + e.getMessage() + "); trying "
                            + "again in " + intervalMs / 1000 + " s");
                }
            }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }

        /** Stops the thread and publishes what training left. */
        void finish() throws IOException {
            stop();
            try {
                publish(true);
            } finally {
                LocalScratch.delete(snapshot);
            }
        }

        void finishAfterFailure(Exception e) {
            try {
                finish();
            } catch (IOException | RuntimeException f) {
                e.addSuppressed(f);
            }
        }

        private void stop() {
            if (timer == null) return;
            timer.shutdown();
            try {
                if (!timer.awaitTermination(10, TimeUnit.MINUTES)) timer.shutdownNow();
            } catch (InterruptedException ie) {
                timer.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }

        synchronized void publish(boolean last) throws IOException {
            Path cfg = staging.resolve("config.yaml");
            if (!started) {
                if (!Files.exists(cfg)) return; // training has not begun (its checks come first)
                if (overwrite) { // what train --overwrite replaces, as RunDirs.clearRun does locally
                    st.deleteDir("checkpoint");
                    st.delete("metrics/metrics.jsonl");
                    st.delete("metrics/curves.png");
                }
                started = true;
            }
            byte[] c = Files.readAllBytes(cfg);
            if (!Arrays.equals(c, lastConfig)) {
                st.writeFile("config.yaml", c);
                lastConfig = c;
            }
            publishCheckpoint();
            Path m = staging.resolve("metrics").resolve("metrics.jsonl");
            if (Files.exists(m)) {
                byte[] b = Files.readAllBytes(m);
                int end = b.length;
                while (end > 0 && b[end - 1] != '\n') end--; // a row being written is left for the next round
                if (end != lastMetrics) {
                    st.writeFile("metrics/metrics.jsonl", Arrays.copyOf(b, end));
                    lastMetrics = end;
                }
            }
            Path curves = staging.resolve("metrics").resolve("curves.png");
            if (last && Files.exists(curves)) st.writeFile("metrics/curves.png", Files.readAllBytes(curves));
        }

        /** Publishes the staged checkpoint if it is new and complete (all files match its manifest). */
        private void publishCheckpoint() throws IOException {
            Path ck = staging.resolve("checkpoint");
            byte[] man;
            try {
                man = Files.readAllBytes(ck.resolve(CheckpointIO.MANIFEST));
            } catch (NoSuchFileException e) {
                return; // none yet, or a save is swapping it in
            }
            if (Arrays.equals(man, lastManifest)) return;
            if (snapshot == null) snapshot = LocalScratch.newDir("checkpoint-snapshot");
            Path snap = snapshot.resolve("checkpoint");
            deleteTree(snap);
            Files.createDirectories(snap);
            try (Stream<Path> s = Files.list(ck)) {
                for (Path f : s.toList()) Files.copy(f, snap.resolve(f.getFileName().toString()));
            } catch (NoSuchFileException e) {
                return; // replaced while copied: next round
            }
            byte[] copied = Files.readAllBytes(snap.resolve(CheckpointIO.MANIFEST));
            if (!complete(snap, copied)) return;
            st.publishDir("checkpoint", snap);
            lastManifest = copied;
        }

        private static boolean complete(Path dir, byte[] manifest) throws IOException {
            JsonNode files;
            try {
                files = JSON.readTree(manifest).path("files");
            } catch (IOException e) {
                return false;
            }
            if (!files.isObject() || files.isEmpty()) return false;
            for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Path f = dir.resolve(e.getKey());
                if (!Files.isRegularFile(f) || Files.size(f) != e.getValue().path("bytes").asLong(-1)) return false;
                if (!CheckpointIO.sha256(f).equals(e.getValue().path("sha256").asText())) return false;
            }
            return true;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
