package io.smwm.core.checkpoint;

import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a checkpoint came from.
 *
 * @param tableFingerprint fingerprint of the trajectory table trained on ("" when none, e.g. synthetic data)
 * @param seed             the run's root seed
 * @param parentRun        run id / path this one continued from ("" when trained from scratch)
 * @param step             Adam steps applied
 * @param epoch            completed epochs
 * @param createdAt        ISO-8601 instant
 * @param libraryVersions  e.g. {java: 17.0.x, nd4j: 1.0.0-M2.1, smwm-checkpoint-format: 1}
 * @param round            averaging rounds completed in epoch {@code epoch + 1} when the checkpoint was taken
 *                         mid-epoch by the distributed trainer; 0 at an epoch boundary (and in manifests written
 *                         before this field existed)
 * @param dataOrder        the trainer's settings that decide the order in which it sees the data (e.g. workers,
 *                         averaging_frequency, average_updater, shuffle_buffer), so that a resume continues with the
 *                         same order; empty when the trainer records none (and in manifests written before this field)
 */
public record Provenance(String tableFingerprint, long seed, String parentRun, long step, int epoch, String createdAt,
                        Map<String, String> libraryVersions, int round, Map<String, String> dataOrder) {

    public Provenance {
        tableFingerprint = tableFingerprint == null ? "" : tableFingerprint;
        parentRun = parentRun == null ? "" : parentRun;
        libraryVersions = Map.copyOf(libraryVersions == null ? Map.of() : libraryVersions);
        dataOrder = dataOrder == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(dataOrder));
        if (round < 0) throw new IllegalArgumentException("provenance.round must be >= 0, got " + round);
        if (step < 0 || epoch < 0)
            throw new IllegalArgumentException("provenance.step and provenance.epoch must be >= 0, got " + step + ", " + epoch);
    }

    /** This provenance with the trainer's data-order settings recorded. */
    public Provenance withDataOrder(Map<String, String> order) {
        return new Provenance(tableFingerprint, seed, parentRun, step, epoch, createdAt, libraryVersions, round, order);
    }

    /** Provenance stamped now with this JVM's library versions. */
    public static Provenance of(String tableFingerprint, long seed, String parentRun, long step, int epoch) {
        return of(tableFingerprint, seed, parentRun, step, epoch, 0);
    }

    /** As {@link #of(String, long, String, long, int)}, taken after {@code round} rounds of epoch {@code epoch + 1}. */
    public static Provenance of(String tableFingerprint, long seed, String parentRun, long step, int epoch, int round) {
        return new Provenance(tableFingerprint, seed, parentRun, step, epoch, Instant.now().toString(), currentVersions(),
                round, Map.of());
    }

    public static Map<String, String> currentVersions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("java", System.getProperty("java.version"));
        v.put("nd4j", pomVersion("/META-INF/maven/org.nd4j/nd4j-api/pom.properties"));
        v.put("smwm", io.smwm.core.util.Version.current());
        v.put("smwm-checkpoint-format", String.valueOf(CheckpointIO.FORMAT_VERSION));
        return v;
    }

    private static String pomVersion(String resource) {
        try (InputStream in = Provenance.class.getResourceAsStream(resource)) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
