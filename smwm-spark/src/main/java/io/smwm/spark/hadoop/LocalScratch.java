package io.smwm.spark.hadoop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The driver's local scratch directories for work on Hadoop paths (a run staged before it is published, a version or
 * checkpoint copied to be read): under {@code java.io.tmpdir} (set {@code -Djava.io.tmpdir} to move them, e.g. with
 * {@code spark.driver.extraJavaOptions}), deleted by {@link #delete} or, at the latest, when the JVM exits.
 */
public final class LocalScratch {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(LocalScratch::deleteQuietly),
                "smwm scratch clean-up"));
    }

    private LocalScratch() {}

    /** A new empty directory named {@code smwm-PREFIX-*}. */
    public static Path newDir(String prefix) throws IOException {
        Path d = Files.createTempDirectory("smwm-" + prefix + "-");
        LIVE.add(d);
        return d;
    }

    /** Deletes a directory made by {@link #newDir} (and everything in it). */
    public static void delete(Path dir) {
        if (dir == null) return;
        deleteQuietly(dir);
        LIVE.remove(dir);
    }

    private static void deleteQuietly(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        } catch (IOException e) {
            // scratch space; the system's tmp cleaning removes what is left
        }
    }
}
