package io.smwm.spark.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** What the registry tests share, on local paths and Hadoop URIs alike: versions with a checkable payload. */
final class RegistryFixtures {
    private RegistryFixtures() {}

    /** Stages a version with a payload file (and its SHA in a second file) and commits it with {@code promote}. */
    static ModelRegistry.Version commit(RegistryJob job, boolean promote, int payloadBytes) throws Exception {
        ModelRegistry.Staging s = job.stage();
        byte[] payload = new byte[payloadBytes];
        new Random(s.number()).nextBytes(payload);
        Files.createDirectories(s.dir().resolve("checkpoint"));
        Files.write(s.dir().resolve("checkpoint/params.bin"), payload);
        Files.writeString(s.dir().resolve("checkpoint/sha256"), sha(payload));
        return job.commit(s, cur -> new ModelRegistry.Decision(promote, Map.of("summary", promote ? "ok" : "no")));
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** What a reader checks: the version is complete (decision promoted, payload matching its SHA); null if so. */
    static String completeness(ModelRegistry.Version v) throws Exception {
        if (!v.promoted()) return v.name() + " is current but not promoted";
        Path ck = v.checkpoint();
        byte[] payload = Files.readAllBytes(ck.resolve("params.bin"));
        return sha(payload).equals(Files.readString(ck.resolve("sha256"))) ? null : v.name() + " is partial";
    }

    /** What {@link #promoteWhileReading} saw: the reader's problems and how many reads it made. */
    record Reading(List<String> problems, int reads) {}

    /**
     * Commits {@code promotions} versions (every 4th rejected) through {@code job} while a second registry handle
     * reads {@code current()} in a loop and checks each version it sees; after each commit the writer waits (up to 5
     * s) until the reader has read again, so reads and promotions interleave even on a busy machine.
     */
    static Reading promoteWhileReading(RegistryJob job, ModelRegistry reader, int promotions, int payloadBytes)
            throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Thread t = new Thread(() -> {
            while (!done.get() && problems.size() < 5) {
                try {
                    Optional<ModelRegistry.Version> v = reader.current();
                    if (v.isEmpty()) problems.add("no current version after the first promotion");
                    else {
                        String p = completeness(v.get());
                        if (p != null) problems.add(p);
                    }
                    reads.incrementAndGet();
                } catch (Exception e) {
                    problems.add(e.toString());
                }
            }
        });
        t.start();
        try {
            for (int i = 0; i < promotions; i++) {
                int before = reads.get();
                commit(job, i % 4 != 3, payloadBytes);
                long until = System.nanoTime() + 5_000_000_000L;
                while (reads.get() <= before && problems.isEmpty() && System.nanoTime() < until) Thread.sleep(1);
            }
        } finally {
            done.set(true);
            t.join();
        }
        return new Reading(new ArrayList<>(problems), reads.get());
    }
}
