package io.smwm.spark.registry;

import io.smwm.spark.hadoop.HadoopStore;
import io.smwm.spark.hadoop.LeaseLock;
import io.smwm.spark.hadoop.LocalScratch;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A registry on a Hadoop path ({@link HadoopStore}). Versions are staged in a local scratch directory and published
 * by {@link HadoopStore#publishDir}: on a store with atomic rename (file:, hdfs:) uploaded to
 * {@code versions/.vN.tmp-*} and renamed to {@code vN} (the local layout, so either kind of reader reads it); on an
 * object store (s3a:) uploaded to {@code versions/vN/} and marked with {@value HadoopStore#COMMITTED}, which readers
 * require. {@code current} and the other small files are replaced by {@link HadoopStore#writeFile} (rename over, or
 * one PUT). The locks are lease files ({@link LeaseLock}): {@code .retrain.lease} for the job, {@code .registry.lease}
 * around pointer changes. What a reader needs locally (a checkpoint to warm-start from, a report, a whole version) is
 * copied to a scratch directory once per version: versions never change once complete.
 */
final class HadoopRegistryStore implements RegistryStore {
    static final String JOB_LEASE = ".retrain.lease", POINTER_LEASE = ".registry.lease";
    /** A job renews its lease every 1/4 of this; a lease older than this is a killed job's and is taken over. */
    static final Duration JOB_STALE = Duration.ofMinutes(5), POINTER_STALE = Duration.ofMinutes(2);
    private static final Duration POINTER_WAIT = Duration.ofMinutes(2);
    private static final Pattern STAGING = Pattern.compile("\\.v[1-9][0-9]{0,8}\\.(tmp|next|old)-.*");
    private static final Pattern VERSION = Pattern.compile("v[1-9][0-9]{0,8}");
    private static final Pattern TEMP_FILE = Pattern.compile("\\..+\\.tmp-.*");

    private final HadoopStore store;
    private final Map<String, Path> cache = new ConcurrentHashMap<>();
    private Path cacheDir;

    HadoopRegistryStore(HadoopStore store) {
        this.store = store;
    }

    HadoopStore store() { return store; }

    @Override public String location() { return store.uri(); }

    @Override public String location(String rel) { return store.uri(rel); }

    @Override public Path localDir() { return null; }

    @Override public boolean isFile(String rel) throws IOException { return store.isFile(rel); }

    @Override public boolean isDirectory(String rel) throws IOException { return store.isDirectory(rel); }

    @Override public List<String> list(String rel) throws IOException { return store.list(rel); }

    @Override
    public byte[] read(String rel, long max) throws IOException {
        long len = store.fs().getFileStatus(store.path(rel)).getLen(); // FileNotFoundException when absent
        if (len > max)
            throw new IllegalStateException(store.uri(rel) + " is larger than " + max + " bytes; not a registry file");
        return store.read(rel, max);
    }

    @Override
    public void writeAtomically(String rel, byte[] bytes) throws IOException {
        store.writeFile(rel, bytes);
    }

    @Override
    public void appendLine(String rel, String line) throws IOException {
        byte[] old;
        try {
            old = store.read(rel, 256L << 20);
        } catch (FileNotFoundException e) {
            old = new byte[0];
        }
        byte[] add = (line + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[old.length + add.length];
        System.arraycopy(old, 0, all, 0, old.length);
        System.arraycopy(add, 0, all, old.length, add.length);
        store.writeFile(rel, all);
    }

    @Override
    public void mkdirs(String rel) throws IOException {
        store.mkdirs(rel);
    }

    @Override
    public AutoCloseable lockJob(String what) throws IOException {
        LeaseLock l = LeaseLock.tryAcquire(store, JOB_LEASE, what, JOB_STALE, System.out::println);
        if (l == null)
            throw new ModelRegistry.RegistryBusyException("registry " + location() + " is in use by another "
                    + "retraining job (" + LeaseLock.heldBy(store, JOB_LEASE) + "); run one job at a time and try "
                    + "again when it ends (a killed job's lease is taken over " + JOB_STALE.toMinutes() + " min after "
                    + "its last renewal)");
        return l;
    }

    @Override
    public AutoCloseable lockPointer() throws IOException {
        LeaseLock l = LeaseLock.acquire(store, POINTER_LEASE, "smwm registry pointer change", POINTER_STALE,
                POINTER_WAIT, System.out::println);
        if (l == null)
            throw new ModelRegistry.RegistryBusyException("registry " + location() + ": the pointer lock "
                    + store.uri(POINTER_LEASE) + " stayed held for " + POINTER_WAIT.toMinutes() + " min ("
                    + LeaseLock.heldBy(store, POINTER_LEASE) + "); try again");
        return l;
    }

    @Override
    public Path newStaging(String name) throws IOException {
        return LocalScratch.newDir("registry-" + name);
    }

    @Override
    public void removeLeftovers() throws IOException {
        for (String n : store.list(ModelRegistry.VERSIONS)) {
            String rel = ModelRegistry.VERSIONS + "/" + n;
            if (STAGING.matcher(n).matches() || (VERSION.matcher(n).matches() && !store.committed(rel)))
                store.delete(rel);
        }
        for (String n : store.list(""))
            if (TEMP_FILE.matcher(n).matches()) store.delete(n);
    }

    @Override
    public void publishVersion(Path staged, String name) throws IOException {
        String rel = ModelRegistry.VERSIONS + "/" + name;
        if (store.committed(rel) || (store.mode() == HadoopStore.Commit.RENAME && store.exists(rel)))
            throw new IllegalStateException("registry " + location() + ": " + store.uri(rel) + " already exists");
        store.publishDir(rel, staged);
        LocalScratch.delete(staged);
    }

    @Override
    public boolean isVersion(String name) throws IOException {
        return store.committed(ModelRegistry.VERSIONS + "/" + name);
    }

    @Override
    public Path local(String version, String rel) throws IOException {
        String key = version + "/" + rel;
        Path hit = cache.get(key);
        if (hit != null) return hit;
        Path target = cacheDir().resolve(version).resolve(rel.isEmpty() ? "_all" : rel.replace('/', '_'));
        String vrel = ModelRegistry.VERSIONS + "/" + version;
        if (!rel.isEmpty() && store.isFile(vrel + "/" + rel)) {
            Files.createDirectories(target);
            Path f = target.resolve(Path.of(rel).getFileName().toString());
            store.downloadFile(vrel, rel, f);
            target = f;
        } else if (!rel.isEmpty() && !store.isDirectory(vrel + "/" + rel)) {
            return target.resolve("absent"); // e.g. the report of a candidate that was not evaluated
        } else {
            store.download(vrel, target, rel);
        }
        cache.put(key, target);
        return target;
    }

    @Override
    public Path localFile(String rel) throws IOException {
        byte[] b;
        try {
            b = store.read(rel, 1L << 30);
        } catch (FileNotFoundException e) {
            return null;
        }
        Path f = cacheDir().resolve("_registry").resolve(rel);
        Files.createDirectories(f.getParent());
        Files.write(f, b);
        return f;
    }

    private synchronized Path cacheDir() throws IOException {
        if (cacheDir == null) cacheDir = LocalScratch.newDir("registry-cache");
        return cacheDir;
    }

}
