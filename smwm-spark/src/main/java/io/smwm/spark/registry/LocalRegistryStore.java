package io.smwm.spark.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A registry in a local directory: versions staged under {@code versions/.vN.tmp-*}, synced and published by one
 * rename; files replaced by a synced temporary renamed over them; the job lock an OS lock on {@code .retrain.lock}
 * (released when the process dies), pointer changes under an OS lock on {@code .registry.lock} and a per-JVM lock.
 */
final class LocalRegistryStore implements RegistryStore {
    static final String JOB_LOCK = ".retrain.lock", POINTER_LOCK = ".registry.lock";
    private static final Pattern STAGING = Pattern.compile("\\.v[1-9][0-9]{0,8}\\.tmp-.*");
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final Path dir;

    LocalRegistryStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override public String location() { return dir.toString(); }

    @Override public String location(String rel) { return dir.resolve(rel).toString(); }

    @Override public Path localDir() { return dir; }

    @Override public boolean isFile(String rel) { return Files.isRegularFile(dir.resolve(rel)); }

    @Override public boolean isDirectory(String rel) { return Files.isDirectory(dir.resolve(rel)); }

    @Override
    public List<String> list(String rel) throws IOException {
        Path d = dir.resolve(rel);
        if (!Files.isDirectory(d)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        out.sort(null);
        return out;
    }

    @Override
    public byte[] read(String rel, long max) throws IOException {
        Path p = dir.resolve(rel);
        if (Files.size(p) > max)
            throw new IllegalStateException(p + " is larger than " + max + " bytes; not a registry file");
        return Files.readAllBytes(p);
    }

    @Override
    public void writeAtomically(String rel, byte[] bytes) throws IOException {
        writeAtomically(dir.resolve(rel), bytes);
    }

    @Override
    public void appendLine(String rel, String line) throws IOException {
        Files.writeString(dir.resolve(rel), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public void mkdirs(String rel) throws IOException {
        Files.createDirectories(dir.resolve(rel));
    }

    @Override
    public AutoCloseable lockJob(String what) throws IOException {
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
            throw new ModelRegistry.RegistryBusyException("registry " + dir + " is in use by another retraining job ("
                    + (holder.isEmpty() ? "?" : holder) + "); run one job at a time and try again when it ends");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((what + ", pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        ch.force(false);
        FileLock held = lock;
        return () -> {
            try {
                held.release();
            } finally {
                ch.close();
            }
        };
    }

    @Override
    public AutoCloseable lockPointer() throws IOException {
        ReentrantLock jvm = IN_JVM.computeIfAbsent(dir, k -> new ReentrantLock());
        jvm.lock();
        try {
            FileChannel ch = FileChannel.open(dir.resolve(POINTER_LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                FileLock l = ch.lock();
                return () -> {
                    try {
                        l.release();
                        ch.close();
                    } finally {
                        jvm.unlock();
                    }
                };
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            jvm.unlock();
            throw e;
        }
    }

    @Override
    public Path newStaging(String name) throws IOException {
        Path d = dir.resolve(ModelRegistry.VERSIONS).resolve("." + name + ".tmp-" + UUID.randomUUID());
        Files.createDirectories(d);
        return d;
    }

    @Override
    public void removeLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(ModelRegistry.VERSIONS))) {
            for (Path p : s.toList())
                if (STAGING.matcher(p.getFileName().toString()).matches()) deleteTree(p);
        }
    }

    @Override
    public void publishVersion(Path staged, String name) throws IOException {
        syncTree(staged);
        Path target = dir.resolve(ModelRegistry.VERSIONS).resolve(name);
        if (Files.exists(target))
            throw new IllegalStateException("registry " + dir + ": " + target + " already exists");
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        syncDir(target.getParent());
    }

    @Override
    public boolean isVersion(String name) {
        return Files.isDirectory(dir.resolve(ModelRegistry.VERSIONS).resolve(name));
    }

    @Override
    public Path local(String version, String rel) {
        Path v = dir.resolve(ModelRegistry.VERSIONS).resolve(version);
        return rel.isEmpty() ? v : v.resolve(rel);
    }

    @Override
    public Path localFile(String rel) {
        Path p = dir.resolve(rel);
        return Files.exists(p) ? p : null;
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

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
