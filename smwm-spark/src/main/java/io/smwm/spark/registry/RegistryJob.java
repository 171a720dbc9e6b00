package io.smwm.spark.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.spark.registry.ModelRegistry.Decider;
import io.smwm.spark.registry.ModelRegistry.Decision;
import io.smwm.spark.registry.ModelRegistry.Staging;
import io.smwm.spark.registry.ModelRegistry.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's one retraining job ({@link ModelRegistry#startJob}): stages the next version and commits it. Closing
 * releases the job lock.
 */
public final class RegistryJob implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ModelRegistry registry;
    private final RegistryStore store; // the registry's
    private final AutoCloseable lock;

    /** The job of {@code registry}, holding its job {@code lock}. */
    RegistryJob(ModelRegistry registry, AutoCloseable lock) {
        this.registry = registry;
        this.store = registry.store();
        this.lock = lock;
    }

    /** A local directory for the next version (number = the highest so far + 1). */
    public Staging stage() throws IOException {
        int n = registry.versions().stream().mapToInt(Version::number).max().orElse(0) + 1;
        String name = "v" + n;
        return new Staging(name, n, store.newStaging(name));
    }

    /**
     * Under the pointer lock: asks {@code decider} for the decision given the version current now, writes
     * decision.json into the staged directory and publishes it as {@code vN} (now complete), then, if promoted,
     * points {@code current} at it.
     *
     * @return the committed version
     */
    public Version commit(Staging s, Decider decider) throws IOException {
        if (!Files.isDirectory(s.dir())) throw new IllegalStateException("no staged version at " + s.dir());
        try (AutoCloseable l = store.lockPointer()) {
            Optional<Version> cur = registry.current();
            Decision d = decider.decide(cur);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("schema", ModelRegistry.DECISION_SCHEMA);
            json.put("schema_version", 1);
            json.put("version", s.name());
            json.put("decision", d.promote() ? "promoted" : "rejected");
            json.put("baseline_version", cur.map(Version::name).orElse(null));
            json.put("decided_utc", Instant.now().toString());
            json.putAll(d.json());
            Files.write(s.dir().resolve(ModelRegistry.DECISION), JSON.writeValueAsBytes(json));
            store.publishVersion(s.dir(), s.name());
            Version v = new Version(s.name(), s.number(), store);
            faultPause(v.name(), d.promote());
            if (d.promote())
                store.writeAtomically(ModelRegistry.CURRENT, (v.name() + "\n").getBytes(StandardCharsets.UTF_8));
            registry.history(d.promote() ? "promote" : "reject", cur.map(Version::name).orElse(null), v.name());
            return v;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * For fault-injection checks only (the cluster check's kill -9 during promotion): with the system property
     * {@value ModelRegistry#FAULT_PAUSE_PROPERTY} = N &gt; 0, prints a line and sleeps N ms between publishing a version and
     * moving {@code current}, so a killed driver can be shown to leave the registry consistent.
     */
    private void faultPause(String version, boolean promote) {
        long ms = Long.getLong(ModelRegistry.FAULT_PAUSE_PROPERTY, 0L);
        if (ms <= 0) return;
        System.out.println("registry fault pause: " + version + " published (" + (promote ? "promoted" : "rejected")
                + "), current not yet moved; sleeping " + ms + " ms");
        System.out.flush();
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stores the benchmark pairs, once: refused when the registry already has them. */
    public void saveBenchmark(Benchmark b) throws IOException {
        try (AutoCloseable l = store.lockPointer()) {
            if (store.isFile(ModelRegistry.BENCHMARK))
                throw new IllegalStateException("registry " + registry.location() + " already has its benchmark");
            store.writeAtomically(ModelRegistry.BENCHMARK, b.toJsonBytes());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
