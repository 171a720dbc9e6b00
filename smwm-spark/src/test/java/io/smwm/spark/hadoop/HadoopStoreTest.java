package io.smwm.spark.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.smwm.core.util.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HadoopStore}'s atomicity on both kinds of store: Hadoop's local file system under {@code file:} (rename
 * mode) and {@link ObjectStoreFileSystem} (marker mode: objects appear whole on close, rename throws). A reader
 * thread during repeated replacements must always see a complete old or new copy, never none and never a mix.
 */
@Tag("spark")
class HadoopStoreTest {

    private static Configuration conf() {
        Configuration c = new Configuration();
        ObjectStoreFileSystem.register(c);
        return c;
    }

    private static HadoopStore file(Path dir) {
        return HadoopStore.open("--out", "file://" + dir.toAbsolutePath(), conf());
    }

    private static HadoopStore objstore(Path dir) {
        return HadoopStore.open("--out", ObjectStoreFileSystem.uri(dir.toAbsolutePath().toString()), conf());
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A local directory holding generation g: a payload, its SHA, and a nested file naming g. */
    private static Path generation(Path scratch, int g) throws Exception {
        Path d = scratch.resolve("gen" + g);
        Files.createDirectories(d.resolve("sub"));
        byte[] payload = new byte[1 << 15];
        new Random(g).nextBytes(payload);
        Files.write(d.resolve("params.bin"), payload);
        Files.writeString(d.resolve("sha256"), sha(payload));
        Files.writeString(d.resolve("sub/generation"), Integer.toString(g));
        return d;
    }

    /** Null when the copy is one complete generation, else what is wrong. */
    private static String problem(Path copy) throws Exception {
        byte[] payload = Files.readAllBytes(copy.resolve("params.bin"));
        if (!sha(payload).equals(Files.readString(copy.resolve("sha256")))) return "a mixed or partial copy";
        if (!Files.exists(copy.resolve("sub/generation"))) return "no sub/generation";
        return null;
    }

    @Test
    void modes_byScheme_andSettable() {
        assertEquals(HadoopStore.Commit.RENAME, HadoopStore.open("--out", "file:///tmp/x", new Configuration()).mode());
        assertEquals(HadoopStore.Commit.MARKER, HadoopStore.open("--out", ObjectStoreFileSystem.uri("/tmp/x"), conf())
                .mode());
        Configuration c = new Configuration();
        c.set("smwm.fs.file.commit", "marker");
        assertEquals(HadoopStore.Commit.MARKER, HadoopStore.open("--out", "file:///tmp/x", c).mode());
        c.set("smwm.fs.file.commit", "sometimes");
        assertTrue(assertThrows(UserError.class, () -> HadoopStore.open("--out", "file:///tmp/x", c)).getMessage()
                .contains("valid: rename, marker"));
        assertTrue(HadoopStore.OBJECT_STORES.contains("s3a"));
        assertTrue(HadoopStore.isUri("file:///x") && HadoopStore.isUri("s3a://b/x") && HadoopStore.isUri("hdfs://nn/x"));
        assertFalse(HadoopStore.isUri("runs/x") || HadoopStore.isUri("/abs/x") || HadoopStore.isUri("C:\\runs"));
    }

    @Test
    void badUris_areUserErrorsThatNameTheFix() {
        Configuration c = new Configuration();
        assertTrue(assertThrows(UserError.class, () -> HadoopStore.open("--out", "nosuchfs://host/x", c)).getMessage()
                .contains("no Hadoop file system for scheme 'nosuchfs'"));
        assertTrue(assertThrows(UserError.class, () -> HadoopStore.open("--out", "file:relative/x", c)).getMessage()
                .contains("not an absolute URI"));
        assertTrue(assertThrows(UserError.class, () -> HadoopStore.open("--registry", "s3a:///x", c)).getMessage()
                .contains("names no bucket"));
        assertTrue(assertThrows(UserError.class, () -> HadoopStore.open("--out", "file:///a b^", c)).getMessage()
                .contains("not a valid URI"));
        boolean s3a;
        try {
            Class.forName("org.apache.hadoop.fs.s3a.S3AFileSystem");
            s3a = true;
        } catch (ClassNotFoundException e) {
            s3a = false;
        }
        assumeFalse(s3a, "built with -Ps3: s3a resolves");
        UserError e = assertThrows(UserError.class, () -> HadoopStore.open("--out", "s3a://bucket/x", c));
        assertTrue(e.getMessage().contains("no S3 connector") && e.getMessage().contains("-Ps3"), e.getMessage());
    }

    @Test
    void files_writeReadReplace_onBothModes(@TempDir Path dir) throws Exception {
        for (HadoopStore st : List.of(file(dir.resolve("f")), objstore(dir.resolve("o")))) {
            st.writeFile("a/current", "v1\n".getBytes(StandardCharsets.UTF_8));
            st.writeFile("a/current", "v2\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("v2\n", new String(st.read("a/current", 64), StandardCharsets.UTF_8));
            assertEquals(List.of("current"), st.list("a"), "no temporary file left: " + st);
            assertThrows(java.io.IOException.class, () -> st.read("a/current", 2));
            assertThrows(java.io.FileNotFoundException.class, () -> st.read("a/none", 2));
            assertTrue(st.createNew("lock", new byte[] {1}));
            assertFalse(st.createNew("lock", new byte[] {2}));
        }
        assertFalse(Files.exists(dir.resolve("f/a/current.crc")) || Files.exists(dir.resolve("f/a/.current.crc")),
                "file: goes through the raw local file system: no checksum side files");
    }

    @Test
    void directories_publishReplaceFetch_andTheMarker(@TempDir Path dir) throws Exception {
        long renamesBefore = ObjectStoreFileSystem.RENAMES.get();
        for (HadoopStore st : List.of(file(dir.resolve("f")), objstore(dir.resolve("o")))) {
            Path scratch = Files.createDirectories(dir.resolve("scratch-" + st.mode()));
            assertFalse(st.fetchDir("run/checkpoint", scratch.resolve("none")));
            st.publishDir("run/checkpoint", generation(scratch, 1));
            st.publishDir("run/checkpoint", generation(scratch, 2));
            assertEquals(List.of("checkpoint"), st.list("run"), "no temporary siblings left: " + st);
            CommitMarker m = st.marker("run/checkpoint");
            assertNotNull(m);
            assertEquals(2, m.generation());
            assertEquals(List.of("params.bin", "sha256", "sub/generation"), new ArrayList<>(m.files().keySet()));
            Path copy = scratch.resolve("copy");
            assertTrue(st.fetchDir("run/checkpoint", copy));
            assertNull(problem(copy));
            assertEquals("2", Files.readString(copy.resolve("sub/generation")));
            assertFalse(Files.exists(copy.resolve(HadoopStore.COMMITTED)), "the marker is not part of the copy");
            st.deleteDir("run/checkpoint");
            assertFalse(st.fetchDir("run/checkpoint", copy));
        }
        assertEquals(renamesBefore, ObjectStoreFileSystem.RENAMES.get(), "marker mode never renames");
    }

    @Test
    void markerMode_aDirectoryWithoutItsMarkerIsNotThere_andAKilledReplaceLeavesTheNewCopy(@TempDir Path dir)
            throws Exception {
        HadoopStore st = objstore(dir.resolve("o"));
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        // an upload killed before its marker: invisible
        Files.createDirectories(dir.resolve("o/run/checkpoint"));
        Files.write(dir.resolve("o/run/checkpoint/params.bin"), new byte[] {1, 2, 3});
        assertFalse(st.committed("run/checkpoint"));
        assertFalse(st.fetchDir("run/checkpoint", scratch.resolve("c0")));
        st.publishDir("run/checkpoint", generation(scratch, 1)); // replaces the leftover
        // a replacement killed after the old marker was deleted: the committed .next copy (new) is read
        st.publishDir("run/.checkpoint.next-killed", generation(scratch, 2));
        Files.writeString(dir.resolve("o/run/.checkpoint.next-killed/" + HadoopStore.COMMITTED),
                Files.readString(dir.resolve("o/run/.checkpoint.next-killed/" + HadoopStore.COMMITTED))
                        .replace("\"generation\" : 1", "\"generation\" : 2"));
        Files.delete(dir.resolve("o/run/checkpoint/" + HadoopStore.COMMITTED));
        Path copy = scratch.resolve("c1");
        assertTrue(st.fetchDir("run/checkpoint", copy));
        assertEquals("2", Files.readString(copy.resolve("sub/generation")));
        st.publishDir("run/checkpoint", generation(scratch, 3));
        assertEquals(List.of("checkpoint"), st.list("run"), "the next publish removes the .next copy");
        assertTrue(st.fetchDir("run/checkpoint", copy));
        assertEquals("3", Files.readString(copy.resolve("sub/generation")));
    }

    @Test
    void renameMode_betweenTheTwoRenames_readersTakeTheNewCopy_elseTheOld(@TempDir Path dir) throws Exception {
        HadoopStore st = file(dir.resolve("f"));
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        st.publishDir("run/checkpoint", generation(scratch, 1));
        // killed after renaming the old copy aside, before renaming the new one into place
        st.publishDir("run/.checkpoint.tmp-killed", generation(scratch, 2));
        Files.writeString(dir.resolve("f/run/.checkpoint.tmp-killed/" + HadoopStore.COMMITTED),
                Files.readString(dir.resolve("f/run/.checkpoint.tmp-killed/" + HadoopStore.COMMITTED))
                        .replace("\"generation\" : 1", "\"generation\" : 2"));
        Files.move(dir.resolve("f/run/checkpoint"), dir.resolve("f/run/.checkpoint.old-killed"));
        Path copy = scratch.resolve("c");
        assertTrue(st.fetchDir("run/checkpoint", copy));
        assertEquals("2", Files.readString(copy.resolve("sub/generation")));
        // killed before the new copy was complete (no marker): the old one
        Files.delete(dir.resolve("f/run/.checkpoint.tmp-killed/" + HadoopStore.COMMITTED));
        assertTrue(st.fetchDir("run/checkpoint", copy));
        assertEquals("1", Files.readString(copy.resolve("sub/generation")));
        st.publishDir("run/checkpoint", generation(scratch, 3));
        assertEquals(List.of("checkpoint"), st.list("run"), "the next publish removes the leftovers");
    }

    @Test
    void readerDuringRepeatedReplacements_seesOldOrNew_onBothModes(@TempDir Path dir) throws Exception {
        for (HadoopStore st : List.of(file(dir.resolve("f")), objstore(dir.resolve("o")))) {
            Path scratch = Files.createDirectories(dir.resolve("scratch-" + st.mode()));
            st.publishDir("run/checkpoint", generation(scratch, 0));
            st.writeFile("current", "0\n".getBytes(StandardCharsets.UTF_8));
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                Path copy = scratch.resolve("reader");
                int lastGen = 0, lastPointer = 0;
                while (!done.get() && problems.size() < 5) {
                    try {
                        if (!st.fetchDir("run/checkpoint", copy)) problems.add("no checkpoint");
                        else {
                            String p = problem(copy);
                            if (p != null) problems.add(p);
                            int g = Integer.parseInt(Files.readString(copy.resolve("sub/generation")));
                            if (g < lastGen) problems.add("went back from " + lastGen + " to " + g);
                            lastGen = g;
                        }
                        String ptr = new String(st.read("current", 64), StandardCharsets.UTF_8);
                        if (!ptr.endsWith("\n")) problems.add("a partial pointer '" + ptr + "'");
                        int v = Integer.parseInt(ptr.trim());
                        if (v < lastPointer) problems.add("pointer went back");
                        lastPointer = v;
                        reads.incrementAndGet();
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }
            });
            reader.start();
            // at least 25 replacements, and on until the reader has read 6 times meanwhile (a busy machine may
            // starve it), at most 2000
            for (int g = 1; g <= 2000 && (g <= 25 || reads.get() <= 5) && problems.isEmpty(); g++) {
                st.publishDir("run/checkpoint", generation(scratch, g));
                st.writeFile("current", (g + "\n").getBytes(StandardCharsets.UTF_8));
            }
            done.set(true);
            reader.join();
            assertEquals(List.of(), problems, st.toString());
            assertTrue(reads.get() > 5, "the reader ran during the replacements: " + reads.get());
        }
    }

    @Test
    void leaseLock_oneHolder_releasedOnClose_staleOneTakenOver(@TempDir Path dir) throws Exception {
        HadoopStore st = file(dir);
        List<String> notes = new ArrayList<>();
        try (LeaseLock l = LeaseLock.tryAcquire(st, ".lease", "first", Duration.ofMinutes(5), notes::add)) {
            assertNotNull(l);
            assertNull(LeaseLock.tryAcquire(st, ".lease", "second", Duration.ofMinutes(5), notes::add));
            assertTrue(LeaseLock.heldBy(st, ".lease").startsWith("first, pid "), LeaseLock.heldBy(st, ".lease"));
        }
        assertFalse(Files.exists(dir.resolve(".lease")));
        Files.writeString(dir.resolve(".lease"), "killed job, pid 1\n");
        Files.setLastModifiedTime(dir.resolve(".lease"), FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        try (LeaseLock l = LeaseLock.tryAcquire(st, ".lease", "third", Duration.ofMinutes(5), notes::add)) {
            assertNotNull(l);
        }
        assertTrue(notes.stream().anyMatch(n -> n.contains("taking over") && n.contains("killed job")), notes.toString());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void parentAndName(@TempDir Path dir) {
        HadoopStore st = file(dir.resolve("run/eval"));
        assertEquals("eval", st.name());
        assertTrue(st.parent().uri().endsWith("/run"), st.parent().uri());
        assertArrayEquals(new byte[0], new byte[0]);
    }
}
