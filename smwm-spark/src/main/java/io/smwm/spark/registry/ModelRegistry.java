package io.smwm.spark.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.core.util.UserError;
import io.smwm.spark.hadoop.HadoopStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model registry in a directory, local or on any Hadoop path ({@code file:}, {@code hdfs:}, {@code s3a:}, ...):
 * <pre>
 *   REG/registry.json        marks the directory as a registry (schema, created_utc)
 *   REG/benchmark.json       the fixed benchmark pairs every version is evaluated on ({@link Benchmark}), written once
 *   REG/versions/vN/         complete versions, never changed once they appear: a run directory (config.yaml,
 *                            checkpoint/, metrics/), eval/ (report on the benchmark pairs), provenance.json and
 *                            decision.json (the gate's checks; "decision": "promoted" or "rejected")
 *   REG/versions/.vN.tmp-*   a version being built or uploaded (invisible: not a version name)
 *   REG/current              the promoted version's name ("vN"); absent until the first promotion
 *   REG/history.jsonl        one line per promotion, rejection and rollback (an audit log)
 * </pre>
 * <b>Atomicity.</b> A version is built in a staging directory and appears as {@code vN} only complete, after its files
 * (decision.json last) are written: locally and on stores with atomic rename (file:, hdfs:) by one rename of a
 * hidden directory; on object stores (s3a:) by its commit marker {@code versions/vN/_COMMITTED}, written after every
 * file, without which readers do not see the version ({@link io.smwm.spark.hadoop.HadoopStore}). {@code current} is
 * replaced by writing a temporary file and renaming it over the pointer (rename(2) locally and on file:, HDFS's
 * rename with OVERWRITE), or on object stores by one PUT of the small object (visible whole, old or new, under S3's
 * strong read-after-write consistency), and only ever after the version it names is complete. A reader
 * ({@link #current()}) sees the old or the new version, never none (once one was promoted) and never a partial one.
 * Versions are never deleted.
 *
 * <p><b>Writers.</b> One retraining job at a time ({@link #startJob}): locally an OS lock on {@code REG/.retrain.lock},
 * held for the whole job, released when the process ends or dies; on a Hadoop path a lease file
 * {@code REG/.retrain.lease}, renewed while the job runs and taken over once a killed job's lease is 5 minutes old.
 * Pointer changes (a commit's promotion, a rollback) also take a short lock ({@code REG/.registry.lock}, or the lease
 * {@code REG/.registry.lease}), so a rollback may run while a job trains and the job's gate then compares with
 * whatever is current at its commit.
 */
public final class ModelRegistry {
    public static final String MARKER = "registry.json", BENCHMARK = "benchmark.json", VERSIONS = "versions",
            CURRENT = "current", HISTORY = "history.jsonl", DECISION = "decision.json",
            PROVENANCE = "provenance.json";
    public static final String SCHEMA = "smwm.registry", DECISION_SCHEMA = "smwm.registry.decision";
    /** System property (ms) of a pause between publishing a version and moving {@code current}: fault checks only. */
    public static final String FAULT_PAUSE_PROPERTY = "smwm.registry.faultPauseMs";
    /** decision.json, registry.json and the pointer are small; anything larger is refused before parsing. */
    static final long MAX_SMALL_FILE = 4 << 20;
    private static final Pattern VERSION = Pattern.compile("v([1-9][0-9]{0,8})");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINE = new ObjectMapper();

    private final RegistryStore store;

    private ModelRegistry(RegistryStore store) {
        this.store = store;
    }

    /** One complete version: its name ("v3") and number, read through its registry. */
    public static final class Version {
        private final String name;
        private final int number;
        private final RegistryStore store;

        Version(String name, int number, RegistryStore store) {
            this.name = name;
            this.number = number;
            this.store = store;
        }

        public String name() { return name; }

        public int number() { return number; }

        /** Where the version is: its directory's path or URI. */
        public String location() { return store.location(VERSIONS + "/" + name); }

        /** A local directory with the whole version (itself, or a copy of a version on a Hadoop path). */
        public Path dir() { return local(""); }

        /** A local checkpoint directory of the version. */
        public Path checkpoint() { return local("checkpoint"); }

        /** The evaluation report on the benchmark pairs (absent for a candidate whose training stopped), locally. */
        public Path report() { return local("eval/report.json"); }

        /** decision.json as a tree. */
        public JsonNode decision() {
            return readJson(store, VERSIONS + "/" + name + "/" + DECISION);
        }

        /** provenance.json as a tree (an empty object when absent). */
        public JsonNode provenance() {
            String p = VERSIONS + "/" + name + "/" + PROVENANCE;
            try {
                if (!store.isFile(p)) return LINE.createObjectNode();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + store.location(p) + ": " + e.getMessage(), e);
            }
            return readJson(store, p);
        }

        /** Passed the gate when it was committed (only such versions may be made current). */
        public boolean promoted() {
            return "promoted".equals(decision().path("decision").asText());
        }

        private Path local(String rel) {
            try {
                return store.local(name, rel);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + location() + (rel.isEmpty() ? "" : "/" + rel) + ": "
                        + e.getMessage(), e);
            }
        }

        @Override
        public String toString() { return name + " (" + location() + ")"; }
    }

    /** A version being built: its future name and number and the local directory to write it in. */
    public record Staging(String name, int number, Path dir) {}

    /** What a job's gate decided for its staged version: promote or not, and the rest of decision.json. */
    public record Decision(boolean promote, Map<String, Object> json) {}

    /** Decides, under the pointer lock at commit time, given the version that is current then (if any). */
    @FunctionalInterface
    public interface Decider {
        Decision decide(Optional<Version> current) throws IOException;
    }

    /** Opens an existing local registry. */
    public static ModelRegistry open(Path dir) {
        return open(new LocalRegistryStore(dir));
    }

    /** Opens an existing registry: a local path, or a URI (file:, hdfs:, s3a:, ...) opened as a Hadoop path. */
    public static ModelRegistry open(String location) {
        return open(store(location));
    }

    private static ModelRegistry open(RegistryStore store) {
        boolean marked;
        try {
            marked = store.isFile(MARKER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.location(MARKER) + ": " + e.getMessage(), e);
        }
        if (!marked)
            throw new UserError("--registry " + store.location() + " is not a model registry (no " + MARKER + "); a "
                    + "first `smwm retrain --registry " + store.location() + " ...` creates one");
        return new ModelRegistry(store);
    }

    /** Opens a local registry, or makes one of a new or empty directory. */
    public static ModelRegistry openOrCreate(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new UserError("--registry " + dir + " is a file; choose a new or empty directory");
        return openOrCreate(new LocalRegistryStore(dir));
    }

    /** {@link #openOrCreate(Path)} for a local path or a URI (a Hadoop path). */
    public static ModelRegistry openOrCreate(String location) throws IOException {
        if (!HadoopStore.isUri(location)) return openOrCreate(Path.of(location));
        RegistryStore s = store(location);
        if (s.isFile(""))
            throw new UserError("--registry " + location + " is a file; choose a new or empty directory");
        return openOrCreate(s);
    }

    private static ModelRegistry openOrCreate(RegistryStore s) throws IOException {
        if (s.isFile(MARKER)) return open(s);
        if (s.list("").stream().anyMatch(n -> !n.startsWith(".")))
            throw new UserError("--registry " + s.location() + " is a non-empty directory that is not a model registry "
                    + "(no " + MARKER + "); choose a new or empty directory");
        s.mkdirs(VERSIONS);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("schema_version", 1);
        m.put("created_utc", Instant.now().toString());
        s.writeAtomically(MARKER, JSON.writeValueAsBytes(m));
        return new ModelRegistry(s);
    }

    private static RegistryStore store(String location) {
        return HadoopStore.isUri(location) ? new HadoopRegistryStore(HadoopStore.open("--registry", location))
                : new LocalRegistryStore(Path.of(location));
    }

    /** Where the registry's files are read and written. */
    RegistryStore store() { return store; }

    /** The directory of a local registry; null for one on a Hadoop path (see {@link #location()}). */
    public Path dir() { return store.localDir(); }

    /** Where the registry is: an absolute path or a URI. */
    public String location() { return store.location(); }

    /** Where the benchmark pairs are stored (they may not exist yet), as a path or URI. */
    public String benchmarkLocation() { return store.location(BENCHMARK); }

    /** The stored benchmark, or empty before the first retrain drew it. */
    public Optional<Benchmark> benchmark() {
        try {
            Path f = store.localFile(BENCHMARK);
            return f == null ? Optional.empty() : Optional.of(Benchmark.read(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + benchmarkLocation() + ": " + e.getMessage(), e);
        }
    }

    /** Complete versions, oldest first. */
    public List<Version> versions() {
        List<Version> out = new ArrayList<>();
        try {
            for (String n : store.list(VERSIONS)) {
                Matcher m = VERSION.matcher(n);
                if (m.matches() && store.isVersion(n)) out.add(new Version(n, Integer.parseInt(m.group(1)), store));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + store.location(VERSIONS) + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(Version::number));
        return out;
    }

    /** A version by name ("v3", or "3"). */
    public Version version(String name) {
        String n = name.startsWith("v") ? name : "v" + name;
        Matcher m = VERSION.matcher(n);
        boolean complete;
        try {
            complete = m.matches() && store.isVersion(n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.location(VERSIONS) + ": " + e.getMessage(), e);
        }
        if (!complete)
            throw new UserError("no version " + name + " in registry " + location() + "; versions: "
                    + versions().stream().map(Version::name).toList());
        return new Version(n, Integer.parseInt(m.group(1)), store);
    }

    /** The promoted version, or empty before the first promotion. */
    public Optional<Version> current() {
        String text;
        try {
            text = new String(store.read(CURRENT, 64), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException | FileNotFoundException e) {
            return Optional.empty();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("registry " + location() + ": " + CURRENT + " is not a version name ("
                    + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.location(CURRENT) + ": " + e.getMessage(), e);
        }
        Matcher m = VERSION.matcher(text);
        boolean complete;
        try {
            complete = m.matches() && store.isVersion(text) && store.isFile(VERSIONS + "/" + text + "/" + DECISION);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.location(VERSIONS) + ": " + e.getMessage(), e);
        }
        if (!complete)
            throw new IllegalStateException("registry " + location() + ": " + CURRENT + " names '" + text + "', which "
                    + "is not a complete version");
        return Optional.of(new Version(text, Integer.parseInt(m.group(1)), store));
    }

    /**
     * The version that was current before {@code v} was promoted (its decision's baseline), or empty when {@code v}
     * was the first promotion.
     */
    public Optional<Version> previous(Version v) {
        JsonNode b = v.decision().path("baseline_version");
        return b.isTextual() ? Optional.of(version(b.asText())) : Optional.empty();
    }

    /**
     * Makes {@code target} current, or (null) the version that was current before the current one was promoted.
     * Only versions that passed the gate can be made current.
     *
     * @return the version now current (the same as before when it already was)
     */
    public Version rollback(String target) throws IOException {
        try (AutoCloseable l = store.lockPointer()) {
            Version cur = current().orElseThrow(() -> new UserError("registry " + location() + " has no promoted "
                    + "version yet; nothing to roll back"));
            Version to;
            if (target == null) {
                to = previous(cur).orElseThrow(() -> new UserError(cur.name() + " was the registry's first promoted "
                        + "version; there is no earlier one to roll back to (name one with --to)"));
            } else {
                to = version(target);
            }
            if (!to.promoted())
                throw new UserError(to.name() + " was rejected by the gate (see " + to.location() + "/" + DECISION
                        + "); only versions that passed it can be made current");
            if (to.name().equals(cur.name())) return cur;
            store.writeAtomically(CURRENT, (to.name() + "\n").getBytes(StandardCharsets.UTF_8));
            history("rollback", cur.name(), to.name());
            return to;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The audit log, oldest first (empty when none was written). */
    public List<JsonNode> history() {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (!store.isFile(HISTORY)) return List.of();
            for (String line : new String(store.read(HISTORY, Long.MAX_VALUE), StandardCharsets.UTF_8).split("\n"))
                if (!line.isBlank()) out.add(LINE.readTree(line));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.location(HISTORY) + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Starts the registry's one retraining job: takes the job lock (refused, naming the holder, when another job
     * holds it) and removes what killed jobs left (hidden staging directories, unfinished uploads).
     */
    public RegistryJob startJob(String what) throws IOException {
        AutoCloseable lock = store.lockJob(what);
        RegistryJob job = new RegistryJob(this, lock);
        try (AutoCloseable l = store.lockPointer()) {
            store.removeLeftovers();
        } catch (Exception e) {
            job.close();
            if (e instanceof IOException io) throw io;
            if (e instanceof RuntimeException re) throw re;
            throw new IOException(e.getMessage(), e);
        }
        return job;
    }

    /** A registry whose job lock another process holds. */
    public static final class RegistryBusyException extends RuntimeException {
        public RegistryBusyException(String message) {
            super(message);
        }
    }

    void history(String action, String from, String to) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("utc", Instant.now().toString());
        m.put("action", action);
        m.put("from", from);
        m.put("to", to);
        store.appendLine(HISTORY, LINE.writeValueAsString(m));
    }

    static JsonNode readJson(RegistryStore store, String rel) {
        try {
            return LINE.readTree(store.read(rel, MAX_SMALL_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.location(rel) + ": " + e.getMessage(), e);
        }
    }
}
