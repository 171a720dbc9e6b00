package io.smwm.spark.hadoop;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One holder at a time for a directory on a Hadoop path, where no OS file lock exists: a small lock file created
 * only if absent ({@link HadoopStore#createNew}: atomic on HDFS and local disks, a check then a PUT on object
 * stores), naming its holder, rewritten by a daemon thread every {@code stale / 4} and deleted on {@link #close}. A
 * lock file not rewritten for {@code stale} (its holder was killed) is taken over, with a note. On object stores two
 * jobs started within the same moment can both take it: there, the scheduler's one-run-at-a-time setting (Airflow
 * {@code max_active_runs=1}, a CronJob's {@code concurrencyPolicy: Forbid}) is what guarantees one writer.
 */
public final class LeaseLock implements AutoCloseable {
    private final HadoopStore store;
    private final String rel;
    private final String holder;
    private final ScheduledExecutorService renewer;

    private LeaseLock(HadoopStore store, String rel, String holder, Duration stale) {
        this.store = store;
        this.rel = rel;
        this.holder = holder;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smwm lease " + store.uri(rel));
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, stale.toMillis() / 4);
        renewer.scheduleWithFixedDelay(() -> {
            try {
                store.writeFile(rel, text(holder));
            } catch (IOException e) {
                // the next renewal tries again; a lease not renewed for `stale` may be taken over
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Who holds a lock: what, process id and host, since when. */
    public static String holder(String what) {
        return what + ", pid " + ProcessHandle.current().pid() + " on "
                + ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "") + ", since "
                + Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z");
    }

    private static byte[] text(String holder) {
        return (holder + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Takes the lock file {@code rel} of {@code store} for {@code what}, taking over one not renewed for
     * {@code stale}.
     *
     * @return the lock, or null when a live holder has it; {@link #heldBy} then says who
     */
    public static LeaseLock tryAcquire(HadoopStore store, String rel, String what, Duration stale,
                                       java.util.function.Consumer<String> notes) throws IOException {
        String holder = holder(what);
        for (int attempt = 0; attempt < 2; attempt++) {
            if (store.createNew(rel, text(holder))) return new LeaseLock(store, rel, holder, stale);
            long mtime = store.modificationTime(rel);
            if (mtime < 0) continue; // released meanwhile
            long age = System.currentTimeMillis() - mtime;
            if (age <= stale.toMillis()) return null;
            notes.accept("note: taking over the lock " + store.uri(rel) + " of " + heldBy(store, rel) + ", not "
                    + "renewed for " + age / 1000 + " s (its process was killed)");
            store.delete(rel);
        }
        return null;
    }

    /**
     * Takes the lock, waiting up to {@code wait} for its holder to release it.
     *
     * @return the lock, or null after {@code wait}
     */
    public static LeaseLock acquire(HadoopStore store, String rel, String what, Duration stale, Duration wait,
                                    java.util.function.Consumer<String> notes) throws IOException {
        long until = System.nanoTime() + wait.toNanos();
        long sleep = 10;
        while (true) {
            LeaseLock l = tryAcquire(store, rel, what, stale, notes);
            if (l != null || System.nanoTime() > until) return l;
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for " + store.uri(rel));
            }
            sleep = Math.min(500, sleep * 2);
        }
    }

    /** The holder line of the lock file {@code rel} ("?" when unreadable or gone), with its age. */
    public static String heldBy(HadoopStore store, String rel) {
        try {
            String h = new String(store.read(rel, 4096), StandardCharsets.UTF_8).trim();
            long mtime = store.modificationTime(rel);
            return (h.isEmpty() ? "?" : h) + (mtime < 0 ? "" : "; renewed " + Math.max(0,
                    (System.currentTimeMillis() - mtime) / 1000) + " s ago");
        } catch (FileNotFoundException e) {
            return "released";
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() throws IOException {
        renewer.shutdownNow();
        try {
            renewer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.delete(rel);
    }

    @Override
    public String toString() {
        return store.uri(rel) + " (" + holder + ")";
    }
}
