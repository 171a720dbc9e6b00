package io.smwm.spark.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.core.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model registry on a local file system:
 * <pre>
 *   REG/registry.json        marks the directory as a registry (schema, created_utc)
 *   REG/benchmark.json       the fixed benchmark pairs every version is evaluated on ({@link Benchmark}), written once
 *   REG/versions/vN/         complete versions, never changed once they appear: a run directory (config.yaml,
 *                            checkpoint/, metrics/), eval/ (report on the benchmark pairs), provenance.json and
 *                            decision.json (the gate's checks; "decision": "promoted" or "rejected")
 *   REG/versions/.vN.tmp-*   a version being built (invisible: not a version name)
 *   REG/current              the promoted version's name ("vN"); absent until the first promotion
 *   REG/history.jsonl        one line per promotion, rejection and rollback (an audit log)
 * </pre>
 * <b>Atomicity.</b> A version is built under a hidden temporary name and appears as {@code vN} only by one atomic
 * rename, after its files (decision.json last) are written and synced; {@code current} is replaced by writing a
 * temporary file, syncing it and renaming it over the pointer (rename(2) replaces atomically), and only ever after
 * the version it names is complete. A reader ({@link #current()}) sees the old or the new version, never none
 * (once one was promoted) and never a partial one. Versions are never deleted.
 *
 * <p><b>Writers.</b> One retraining job at a time ({@link #startJob}: an OS lock on {@code REG/.retrain.lock}, held
 * for the whole job, released when the process ends or dies); pointer changes (a commit's promotion, a rollback)
 * also take the short lock {@code REG/.registry.lock}, so a rollback may run while a job trains and the job's gate
 * then compares with whatever is current at its commit.
 */
public final class ModelRegistry {
    public static final String MARKER = "registry.json", BENCHMARK = "benchmark.json", VERSIONS = "versions",
            CURRENT = "current", HISTORY = "history.jsonl", DECISION = "decision.json",
            PROVENANCE = "provenance.json";
    public static final String SCHEMA = "smwm.registry", DECISION_SCHEMA = "smwm.registry.decision";
    static final String JOB_LOCK = ".retrain.lock", POINTER_LOCK = ".registry.lock";
    /** decision.json, registry.json and the pointer are small; anything larger is refused before parsing. */
    static final long MAX_SMALL_FILE = 4 << 20;
    private static final Pattern VERSION = Pattern.compile("v([1-9][0-9]{0,8})");
    private static final Pattern STAGING = Pattern.compile("\\.v[1-9][0-9]{0,8}\\.tmp-.*");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINE = new ObjectMapper();
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final Path dir;

    private ModelRegistry(Path dir) {
        this.dir = dir;
    }

    /** One complete version: its name ("v3"), number and directory. */
    public record Version(String name, int number, Path dir) {
        public Path checkpoint() { return dir.resolve("checkpoint"); }

        /** The evaluation report on the benchmark pairs (absent for a candidate whose training stopped). */
        public Path report() { return dir.resolve("eval").resolve("report.json"); }

        /** decision.json as a tree. */
        public JsonNode decision() {
            return readJson(dir.resolve(DECISION));
        }

        /** provenance.json as a tree (an empty object when absent). */
        public JsonNode provenance() {
            Path p = dir.resolve(PROVENANCE);
            return Files.exists(p) ? readJson(p) : LINE.createObjectNode();
        }

        /** Passed the gate when it was committed (only such versions may be made current). */
        public boolean promoted() {
            return "promoted".equals(decision().path("decision").asText());
        }
    }

    /** A version being built: its future name and number and the hidden directory to write it in. */
    public record Staging(String name, int number, Path dir) {}

    /** What a job's gate decided for its staged version: promote or not, and the rest of decision.json. */
    public record Decision(boolean promote, Map<String, Object> json) {}

    /** Decides, under the pointer lock at commit time, given the version that is current then (if any). */
    @FunctionalInterface
    public interface Decider {
        Decision decide(Optional<Version> current) throws IOException;
    }

    /** Opens an existing registry. */
    public static ModelRegistry open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MARKER)))
            throw new UserError("--registry " + dir + " is not a model registry (no " + MARKER + "); a first "
                    + "`smwm retrain --registry " + dir + " ...` creates one");
        return new ModelRegistry(dir.toAbsolutePath().normalize());
    }

    /** Opens a registry, or makes one of a new or empty directory. */
    public static ModelRegistry openOrCreate(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(MARKER))) return open(dir);
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new UserError("--registry " + dir + " is a file; choose a new or empty directory");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(p -> !p.getFileName().toString().startsWith(".")))
                    throw new UserError("--registry " + dir + " is a non-empty directory that is not a model registry "
                            + "(no " + MARKER + "); choose a new or empty directory");
            }
        }
        Files.createDirectories(dir.resolve(VERSIONS));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("schema_version", 1);
        m.put("created_utc", Instant.now().toString());
        writeAtomically(dir.resolve(MARKER), JSON.writeValueAsBytes(m));
        return new ModelRegistry(dir.toAbsolutePath().normalize());
    }

    public Path dir() { return dir; }

    /** Where the benchmark pairs are stored (it may not exist yet). */
    public Path benchmarkFile() { return dir.resolve(BENCHMARK); }

    /** The stored benchmark, or empty before the first retrain drew it. */
    public Optional<Benchmark> benchmark() {
        return Files.exists(benchmarkFile()) ? Optional.of(Benchmark.read(benchmarkFile())) : Optional.empty();
    }

    /** Complete versions, oldest first. */
    public List<Version> versions() {
        Path v = dir.resolve(VERSIONS);
        if (!Files.isDirectory(v)) return List.of();
        List<Version> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(v)) {
            for (Path p : s.toList()) {
                Matcher m = VERSION.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p))
                    out.add(new Version(p.getFileName().toString(), Integer.parseInt(m.group(1)), p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + v + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(Version::number));
        return out;
    }

    /** A version by name ("v3", or "3"). */
    public Version version(String name) {
        String n = name.startsWith("v") ? name : "v" + name;
        Matcher m = VERSION.matcher(n);
        Path p = dir.resolve(VERSIONS).resolve(n);
        if (!m.matches() || !Files.isDirectory(p))
            throw new UserError("no version " + name + " in registry " + dir + "; versions: "
                    + versions().stream().map(Version::name).toList());
        return new Version(n, Integer.parseInt(m.group(1)), p);
    }

    /** The promoted version, or empty before the first promotion. */
    public Optional<Version> current() {
        Path c = dir.resolve(CURRENT);
        String text;
        try {
            if (Files.size(c) > 64) throw new IllegalStateException("registry " + dir + ": " + CURRENT + " is not a "
                    + "version name (" + Files.size(c) + " bytes)");
            text = Files.readString(c, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + c + ": " + e.getMessage(), e);
        }
        Matcher m = VERSION.matcher(text);
        Path p = dir.resolve(VERSIONS).resolve(text);
        if (!m.matches() || !Files.isRegularFile(p.resolve(DECISION)))
            throw new IllegalStateException("registry " + dir + ": " + CURRENT + " names '" + text + "', which is not "
                    + "a complete version");
        return Optional.of(new Version(text, Integer.parseInt(m.group(1)), p));
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
        try (PointerLock l = pointerLock()) {
            Version cur = current().orElseThrow(() -> new UserError("registry " + dir + " has no promoted version "
                    + "yet; nothing to roll back"));
            Version to;
            if (target == null) {
                to = previous(cur).orElseThrow(() -> new UserError(cur.name() + " was the registry's first promoted "
                        + "version; there is no earlier one to roll back to (name one with --to)"));
            } else {
                to = version(target);
            }
            if (!to.promoted())
                throw new UserError(to.name() + " was rejected by the gate (see " + to.dir().resolve(DECISION)
                        + "); only versions that passed it can be made current");
            if (to.name().equals(cur.name())) return cur;
            writeAtomically(dir.resolve(CURRENT), (to.name() + "\n").getBytes(StandardCharsets.UTF_8));
            history("rollback", cur.name(), to.name());
            return to;
        }
    }

    /** The audit log, oldest first (empty when none was written). */
    public List<JsonNode> history() {
        Path h = dir.resolve(HISTORY);
        if (!Files.exists(h)) return List.of();
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(h, StandardCharsets.UTF_8))
                if (!line.isBlank()) out.add(LINE.readTree(line));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + h + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Starts the registry's one retraining job: takes the job lock (refused, naming the holder, when another job
     * holds it) and removes what killed jobs left (hidden staging directories, temporary pointer files).
     */
    public Job startJob(String what) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(JOB_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            String holder;
            try {
                holder = Files.readString(dir.resolve(JOB_LOCK), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                holder = "?";
            }
            throw new RegistryBusyException("registry " + dir + " is in use by another retraining job ("
                    + (holder.isEmpty() ? "?" : holder) + "); run one job at a time and try again when it ends");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((what + ", pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        ch.force(false);
        Job job = new Job(ch, lock);
        try (PointerLock l = pointerLock(); Stream<Path> s = Files.list(dir.resolve(VERSIONS))) {
            for (Path p : s.toList())
                if (STAGING.matcher(p.getFileName().toString()).matches()) deleteTree(p);
        } catch (IOException | RuntimeException e) {
            job.close();
            throw e;
        }
        return job;
    }

    /** The one retraining job: stages the next version and commits it. Closing releases the job lock. */
    public final class Job implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Job(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        /** A hidden directory for the next version (number = the highest so far + 1). */
        public Staging stage() throws IOException {
            int n = versions().stream().mapToInt(Version::number).max().orElse(0) + 1;
            String name = "v" + n;
            Path d = dir.resolve(VERSIONS).resolve("." + name + ".tmp-" + UUID.randomUUID());
            Files.createDirectories(d);
            return new Staging(name, n, d);
        }

        /**
         * Under the pointer lock: asks {@code decider} for the decision given the version current now, writes
         * decision.json into the staged directory, syncs it and renames it to {@code vN} (now complete), then, if
         * promoted, points {@code current} at it.
         *
         * @return the committed version
         */
        public Version commit(Staging s, Decider decider) throws IOException {
            if (!Files.isDirectory(s.dir())) throw new IllegalStateException("no staged version at " + s.dir());
            try (PointerLock l = pointerLock()) {
                Optional<Version> cur = current();
                Decision d = decider.decide(cur);
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("schema", DECISION_SCHEMA);
                json.put("schema_version", 1);
                json.put("version", s.name());
                json.put("decision", d.promote() ? "promoted" : "rejected");
                json.put("baseline_version", cur.map(Version::name).orElse(null));
                json.put("decided_utc", Instant.now().toString());
                json.putAll(d.json());
                Files.write(s.dir().resolve(DECISION), JSON.writeValueAsBytes(json));
                syncTree(s.dir());
                Path target = dir.resolve(VERSIONS).resolve(s.name());
                if (Files.exists(target))
                    throw new IllegalStateException("registry " + dir + ": " + target + " already exists");
                Files.move(s.dir(), target, StandardCopyOption.ATOMIC_MOVE);
                syncDir(target.getParent());
                Version v = new Version(s.name(), s.number(), target);
                if (d.promote())
                    writeAtomically(dir.resolve(CURRENT), (v.name() + "\n").getBytes(StandardCharsets.UTF_8));
                history(d.promote() ? "promote" : "reject", cur.map(Version::name).orElse(null), v.name());
                return v;
            }
        }

        /** Stores the benchmark pairs, once: refused when the registry already has them. */
        public void saveBenchmark(Benchmark b) throws IOException {
            try (PointerLock l = pointerLock()) {
                if (Files.exists(benchmarkFile()))
                    throw new IllegalStateException("registry " + dir + " already has its benchmark");
                writeAtomically(benchmarkFile(), b.toJsonBytes());
            }
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** A registry whose job lock another process holds. */
    public static final class RegistryBusyException extends RuntimeException {
        public RegistryBusyException(String message) {
            super(message);
        }
    }

    private void history(String action, String from, String to) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("utc", Instant.now().toString());
        m.put("action", action);
        m.put("from", from);
        m.put("to", to);
        Files.writeString(dir.resolve(HISTORY), LINE.writeValueAsString(m) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The short lock around pointer changes: one per JVM (threads) and per process (an OS file lock). */
    private PointerLock pointerLock() throws IOException {
        ReentrantLock jvm = IN_JVM.computeIfAbsent(dir, k -> new ReentrantLock());
        jvm.lock();
        try {
            FileChannel ch = FileChannel.open(dir.resolve(POINTER_LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                return new PointerLock(jvm, ch, ch.lock());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            jvm.unlock();
            throw e;
        }
    }

    private record PointerLock(ReentrantLock jvm, FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                lock.release();
                channel.close();
            } finally {
                jvm.unlock();
            }
        }
    }

    /** Writes {@code file} completely or not at all: a synced temporary sibling renamed over it atomically. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDir(file.getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Syncs every regular file under {@code root} and its directories, so that a rename publishes their content. */
    private static void syncTree(Path root) throws IOException {
        try (Stream<Path> w = Files.walk(root)) {
            for (Path p : w.toList()) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(p)) {
                    syncDir(p);
                }
            }
        }
    }

    /** Syncs a directory's entries where the platform allows it (Linux does; elsewhere this does nothing). */
    private static void syncDir(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported on this platform or file system: the rename is still atomic, only its durability waits
        }
    }

    static JsonNode readJson(Path p) {
        try {
            if (Files.size(p) > MAX_SMALL_FILE)
                throw new IllegalStateException(p + " is larger than " + MAX_SMALL_FILE + " bytes; not a registry file");
            return LINE.readTree(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
