package io.smwm.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.model.ParamSpec;
import io.smwm.core.model.WorldModelGraph;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations of a saved checkpoint (bit flips, truncations, length-field and shape edits, swapped and
 * duplicated arrays and manifest entries, files swapped, manifest edits), most of them re-signed (size and SHA-256
 * updated in the manifest) so that they reach the array parser. Every mutation must either load a checkpoint that
 * passes every check or be refused with a {@link CheckpointException} and a message: never another exception, a hang
 * or an out-of-memory error. {@code -Dsmwm.fuzz.mutations=N} (default {@value #DEFAULT_MUTATIONS}) and
 * {@code -Dsmwm.fuzz.seed=S} run more or other mutations.
 */
class CheckpointFuzzTest {
    static final int DEFAULT_MUTATIONS = 300;
    static final String[] BINS = {CheckpointIO.PARAMS, CheckpointIO.NORMALIZER, CheckpointIO.UPDATER};

    @TempDir
    static Path tmp;
    static Path base;
    static ExecutorService pool;

    @BeforeAll
    static void setUp() {
        base = CheckpointIOTest.saved(tmp);
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "checkpoint-fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void seededMutations_loadCleanlyOrAreRefusedWithAMessage() throws Exception {
        int n = Integer.getInteger("smwm.fuzz.mutations", DEFAULT_MUTATIONS);
        long seed = Long.getLong("smwm.fuzz.seed", 1L);
        Map<String, int[]> outcomes = new TreeMap<>(); // kind -> {loaded, refused}
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + i);
            Path dir = tmp.resolve("m" + i);
            CheckpointFiles.copy(base, dir);
            String what = mutate(dir, rng);
            Future<Checkpoint> f = pool.submit(() -> CheckpointIO.load(dir));
            String kind = what.substring(0, what.indexOf(':'));
            try {
                Checkpoint c = f.get(20, TimeUnit.SECONDS);
                assertPassesEveryCheck(c, what);
                outcomes.computeIfAbsent(kind, k -> new int[2])[0]++;
            } catch (TimeoutException e) {
                f.cancel(true);
                fail("mutation " + i + " (" + what + ") hangs the loader");
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable t = e.getCause();
                if (!(t instanceof CheckpointException) || t.getMessage() == null || t.getMessage().isBlank())
                    throw new AssertionError("mutation " + i + " (" + what + ", seed " + seed + ") was not refused "
                            + "with a message but threw " + t, t);
                outcomes.computeIfAbsent(kind, k -> new int[2])[1]++;
            }
            deleteTree(dir);
        }
        StringBuilder sb = new StringBuilder("checkpoint fuzz: " + n + " mutations, seed " + seed + " (loaded/refused):");
        outcomes.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v[0]).append('/').append(v[1]));
        System.out.println(sb);
        assertTrue(outcomes.values().stream().mapToInt(v -> v[1]).sum() > n / 2, "most mutations must be refused: " + sb);
    }

    /** A loaded checkpoint must be usable: every shape the config implies, finite values, a valid normalizer. */
    private static void assertPassesEveryCheck(Checkpoint c, String what) {
        List<ParamSpec> specs = WorldModelGraph.paramSpecs(c.config().model());
        long n = specs.stream().mapToLong(ParamSpec::length).sum();
        assertEquals(n, c.params().length(), what);
        for (float v : c.params().toFloatVector()) assertTrue(Float.isFinite(v), what);
        for (float s : c.normalizer().std()) assertTrue(s > 0 && Float.isFinite(s), what);
        assertEquals(c.config().model().modelActionDim(), c.normalizer().dim(), what);
        if (c.updater() != null) {
            assertEquals(n, c.updater().m().length(), what);
            for (float v : c.updater().v().toFloatVector()) assertTrue(v >= 0 && Float.isFinite(v), what);
        }
    }

    /** Applies one random mutation to dir; returns "kind: details". */
    static String mutate(Path dir, SplittableRandom rng) throws IOException {
        String file = BINS[rng.nextInt(BINS.length)];
        byte[] b = Files.readAllBytes(dir.resolve(file));
        switch (rng.nextInt(9)) {
            case 0 -> {
                int k = 1 + rng.nextInt(8);
                for (int j = 0; j < k; j++) {
                    int at = rng.nextInt(b.length);
                    b[at] ^= (byte) (1 << rng.nextInt(8));
                }
                CheckpointFiles.replaceSigned(dir, file, b);
                return "bitflip: " + k + " bits in " + file;
            }
            case 1 -> {
                int len = rng.nextInt(b.length);
                CheckpointFiles.replaceSigned(dir, file, Arrays.copyOf(b, len));
                return "truncate: " + file + " to " + len + " of " + b.length + " bytes";
            }
            case 2 -> {
                List<Integer> offs = headerLongs(b);
                int at = offs.get(rng.nextInt(offs.size()));
                long[] values = {0, -1, 1, 2, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 31, 1L << 32, (1L << 31) - 1,
                        ByteBuffer.wrap(b).getLong(at) + 1, ByteBuffer.wrap(b).getLong(at) * 2, rng.nextLong()};
                long v = values[rng.nextInt(values.length)];
                ByteBuffer.wrap(b).putLong(at, v);
                CheckpointFiles.replaceSigned(dir, file, b);
                return "header: " + file + " int64 at " + at + " := " + v;
            }
            case 3, 4 -> {
                List<int[]> arrays = arrays(b);
                int x = rng.nextInt(arrays.size()), y = rng.nextInt(arrays.size());
                List<byte[]> parts = new ArrayList<>();
                for (int[] a : arrays) parts.add(Arrays.copyOfRange(b, a[0], a[1]));
                boolean swap = rng.nextBoolean();
                if (swap) java.util.Collections.swap(parts, x, y);
                else parts.add(y, parts.get(x));
                CheckpointFiles.replaceSigned(dir, file, concat(parts));
                return (swap ? "swap-arrays: " : "duplicate-array: ") + file + " " + x + ", " + y;
            }
            case 5 -> {
                String other = BINS[rng.nextInt(BINS.length)];
                CheckpointFiles.replaceSigned(dir, file, Files.readAllBytes(dir.resolve(other)));
                return "swap-files: " + file + " := " + other;
            }
            case 6 -> {
                b[rng.nextInt(b.length)] ^= 1;
                Files.write(dir.resolve(file), b);
                return "unsigned-bitflip: " + file;
            }
            default -> {
                return mutateManifest(dir, rng);
            }
        }
    }

    private static String mutateManifest(Path dir, SplittableRandom rng) throws IOException {
        Path mf = dir.resolve(CheckpointIO.MANIFEST);
        ObjectNode m = (ObjectNode) CheckpointFiles.JSON.readTree(mf.toFile());
        ArrayNode ps = (ArrayNode) m.get("parameters");
        String what;
        switch (rng.nextInt(9)) {
            case 0 -> {
                int x = rng.nextInt(ps.size()), y = rng.nextInt(ps.size());
                JsonNode t = ps.get(x);
                ps.set(x, ps.get(y));
                ps.set(y, t);
                what = "swap-entries " + x + ", " + y;
            }
            case 1 -> {
                ps.insert(rng.nextInt(ps.size()), ps.get(rng.nextInt(ps.size())).deepCopy());
                what = "duplicate-entry";
            }
            case 2 -> {
                ArrayNode sh = (ArrayNode) ps.get(rng.nextInt(ps.size())).get("shape");
                int d = rng.nextInt(sh.size());
                long v = new long[]{0, -3, 1L << 40, sh.get(d).asLong() + 1}[rng.nextInt(4)];
                sh.set(d, v);
                what = "shape-edit " + v;
            }
            case 3 -> {
                String key = new String[]{"hidden", "latentDim", "imageSize", "actionDim", "frameskip"}[rng.nextInt(5)];
                long v = new long[]{0, -1, 1_000_000, Integer.MAX_VALUE, 65_536, 17}[rng.nextInt(6)];
                ((ObjectNode) m.get("config").get("model")).put(key, v);
                what = "config model." + key + " := " + v;
            }
            case 4 -> {
                ObjectNode f = (ObjectNode) m.get("files").get(BINS[rng.nextInt(BINS.length)]);
                f.put("bytes", new long[]{-1, Long.MAX_VALUE, 0}[rng.nextInt(3)]);
                what = "file-size";
            }
            case 5 -> {
                String key = new String[]{"config", "provenance", "parameters", "files", "normalizer", "updater",
                        "format_version"}[rng.nextInt(7)];
                m.remove(key);
                what = "remove " + key;
            }
            case 6 -> {
                ((ObjectNode) m.get("updater")).put("step", rng.nextBoolean() ? -5 : Long.MAX_VALUE);
                what = "updater-step";
            }
            case 7 -> {
                ((ObjectNode) m.get("normalizer")).put(rng.nextBoolean() ? "primitive_dim" : "frameskip",
                        new int[]{0, -1, 65_536, 1 << 30}[rng.nextInt(4)]);
                what = "normalizer-dims";
            }
            default -> {
                byte[] text = CheckpointFiles.JSON.writeValueAsString(m).getBytes(StandardCharsets.UTF_8);
                text[rng.nextInt(text.length)] ^= (byte) (1 << rng.nextInt(7));
                Files.write(mf, text);
                return "manifest: bitflip in text";
            }
        }
        CheckpointFiles.JSON.writeValue(mf.toFile(), m);
        return "manifest: " + what;
    }

    /** Offsets of every int64 header field (buffer lengths and shape information) in a valid array file. */
    private static List<Integer> headerLongs(byte[] b) {
        List<Integer> out = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b);
        int p = 0;
        while (p < b.length) {
            for (int buf = 0; buf < 2; buf++) {
                p += 2 + bb.getShort(p);
                long n = bb.getLong(p);
                out.add(p);
                p += 8;
                int t = bb.getShort(p);
                String type = new String(b, p + 2, t, StandardCharsets.UTF_8);
                p += 2 + t;
                if (buf == 0) for (int j = 0; j < n; j++) out.add(p + 8 * j);
                p += (int) (n * ("LONG".equals(type) ? 8 : 4));
            }
        }
        return out;
    }

    /** [start, end) of every array (shape information + data) in a valid array file. */
    private static List<int[]> arrays(byte[] b) {
        List<int[]> out = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b);
        int p = 0;
        while (p < b.length) {
            int start = p;
            for (int buf = 0; buf < 2; buf++) {
                p += 2 + bb.getShort(p);
                long n = bb.getLong(p);
                p += 8;
                int t = bb.getShort(p);
                String type = new String(b, p + 2, t, StandardCharsets.UTF_8);
                p += 2 + t + (int) (n * ("LONG".equals(type) ? 8 : 4));
            }
            out.add(new int[]{start, p});
        }
        return out;
    }

    private static byte[] concat(List<byte[]> parts) {
        int n = parts.stream().mapToInt(x -> x.length).sum(), off = 0;
        byte[] out = new byte[n];
        for (byte[] x : parts) {
            System.arraycopy(x, 0, out, off, x.length);
            off += x.length;
        }
        return out;
    }

    private static void deleteTree(Path p) throws IOException {
        try (var w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
