package io.smwm.data.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.TableTransitionSource;
import io.smwm.data.testing.TestTables;
import io.smwm.data.testing.TestTables.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
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
 * Seeded random mutations of a valid table, of the kinds a table from someone else can have: meta/info.json and
 * meta/stats.json edits (numbers set to extremes, entries swapped, duplicated or removed, paths pointing elsewhere, text
 * bit flips), Parquet files bit-flipped, truncated, with their footer length edited, swapped or duplicated, and rows
 * swapped, duplicated, dropped or given NaN / wrong lengths. For each: the validator returns a report and never throws;
 * reading the table (open, stats, every episode, as inspect, train and evaluate do) either works or is refused with an
 * exception that carries a message (UserError, IllegalArgumentException, IOException), never another exception, a hang
 * or an out-of-memory error; and a table the validator passes reads completely and agrees with its metadata, also as
 * training transitions. {@code -Dsmwm.fuzz.mutations=N} (default {@value #DEFAULT_MUTATIONS}), {@code -Dsmwm.fuzz.seed=S}.
 */
class TableFuzzTest {
    static final int DEFAULT_MUTATIONS = 60;

    @TempDir
    static Path tmp;
    static Path base;
    static ExecutorService pool;

    @BeforeAll
    static void setUp() {
        base = Path.of(TestTables.makeValid(tmp.resolve("base")));
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "table-fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void seededMutations_validateWithoutThrowing_andReadCleanlyOrAreRefusedWithAMessage() throws Exception {
        int n = Integer.getInteger("smwm.fuzz.mutations", DEFAULT_MUTATIONS);
        long seed = Long.getLong("smwm.fuzz.seed", 1L);
        Map<String, int[]> outcomes = new TreeMap<>(); // kind -> {valid, invalid but readable, refused by the reader}
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + i);
            Path t = tmp.resolve("m" + i);
            copy(base, t);
            String what = mutate(t, rng);
            String kind = what.substring(0, what.indexOf(':'));
            Future<int[]> f = pool.submit(() -> check(t.toString(), what));
            try {
                int[] o = f.get(30, TimeUnit.SECONDS);
                int[] acc = outcomes.computeIfAbsent(kind, k -> new int[3]);
                for (int j = 0; j < 3; j++) acc[j] += o[j];
            } catch (TimeoutException e) {
                f.cancel(true);
                fail("mutation " + i + " (" + what + ", seed " + seed + ") hangs");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("mutation " + i + " (" + what + ", seed " + seed + "): " + e.getCause(),
                        e.getCause());
            }
            deleteTree(t);
        }
        StringBuilder sb = new StringBuilder("table fuzz: " + n + " mutations, seed " + seed
                + " (valid / invalid but readable / refused by the reader):");
        outcomes.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v[0]).append('/').append(v[1])
                .append('/').append(v[2]));
        System.out.println(sb);
        assertTrue(outcomes.values().stream().mapToInt(v -> v[0]).sum() < n, "mutations must break tables: " + sb);
    }

    /** The contract for one mutated table; returns which outcome it had. */
    private static int[] check(String t, String what) {
        ValidationReport report;
        try {
            report = new TableValidator(TestTables.CONF).validate(t);
        } catch (Throwable e) {
            throw new AssertionError("the validator threw on " + what + ": " + e, e);
        }
        long episodes = 0, frames = 0;
        TableMetadata md;
        try (TrajectoryReader r = TrajectoryReader.open(TestTables.CONF, t)) {
            md = r.metadata();
            r.stats();
            for (Iterator<Episode> it = r.episodes(); it.hasNext(); ) {
                Episode e = it.next();
                episodes++;
                frames += e.frames().length;
            }
        } catch (UserError | IllegalArgumentException | IOException | UncheckedIOException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": refused without a message");
            if (report.ok()) {
                throw new AssertionError("the validator passed " + what + " but the reader refused it: " + e, e);
            }
            return new int[]{0, 0, 1};
        } catch (Throwable e) {
            throw new AssertionError("reading " + what + " threw " + e + " instead of refusing it with a message", e);
        }
        if (!report.ok()) {
            return new int[]{0, 1, 0};
        }
        assertEquals(md.episodes(), episodes, what);
        assertEquals(md.frames(), frames, what);
        try {
            TableTransitionSource s = new TableTransitionSource(TestTables.CONF, t, e -> true, md.frameskip(), 64, false,
                    null);
            long transitions = 0;
            for (var it = s.epoch(1, 16, 3); it.hasNext(); ) transitions += it.next().size();
            assertEquals(frames - episodes * md.frameskip(), transitions, what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new int[]{1, 0, 0};
    }

    /** Applies one random mutation to table t; returns "kind: details". */
    static String mutate(Path t, SplittableRandom rng) throws IOException {
        int part = rng.nextInt(2);
        Path file = TestTables.part(t.toString(), part);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        byte[] b = Files.readAllBytes(file);
        switch (rng.nextInt(8)) {
            case 0 -> {
                int k = 1 + rng.nextInt(6);
                for (int j = 0; j < k; j++) b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
                Files.write(file, b);
                return "parquet-bitflip: " + k + " bits in part " + part;
            }
            case 1 -> {
                int len = rng.nextInt(b.length);
                Files.write(file, Arrays.copyOf(b, len));
                return "parquet-truncate: part " + part + " to " + len + " of " + b.length;
            }
            case 2 -> {
                int v = new int[]{0, -1, Integer.MAX_VALUE, b.length, b.length - 7, 1 << 20, rng.nextInt()}[rng.nextInt(7)];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 8, v);
                Files.write(file, b);
                return "parquet-footer-length: part " + part + " := " + v;
            }
            case 3 -> {
                if (rng.nextBoolean()) { // bits of the footer (Thrift file metadata: schema, row groups, chunk sizes)
                    int footer = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(b.length - 8);
                    int k = 1 + rng.nextInt(4);
                    for (int j = 0; j < k; j++) {
                        b[b.length - 8 - 1 - rng.nextInt(footer)] ^= (byte) (1 << rng.nextInt(8));
                    }
                    Files.write(file, b);
                    return "parquet-footer-bitflip: " + k + " bits in part " + part;
                }
                Path other = TestTables.part(t.toString(), 1 - part);
                Files.copy(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
                return "parquet-duplicate-file: part " + (1 - part) + " over part " + part;
            }
            case 4, 5 -> {
                return mutateRows(t, part, rng);
            }
            default -> {
                return mutateJson(t, rng);
            }
        }
    }

    private static String mutateRows(Path t, int part, SplittableRandom rng) throws IOException {
        List<Row> rows = TestTables.readRows(TestTables.part(t.toString(), part));
        int x = rng.nextInt(rows.size()), y = rng.nextInt(rows.size());
        String what;
        switch (rng.nextInt(6)) {
            case 0 -> {
                Collections.swap(rows, x, y);
                what = "swap " + x + ", " + y;
            }
            case 1 -> {
                rows.add(y, rows.get(x));
                what = "duplicate " + x;
            }
            case 2 -> {
                rows.remove(x);
                what = "drop " + x;
            }
            case 3 -> {
                rows.get(x).action = rng.nextBoolean() ? new float[]{Float.NaN, 0f} : new float[]{1, 2, 3};
                what = "action " + x;
            }
            case 4 -> {
                rows.get(x).image = Arrays.copyOf(rows.get(x).image, rng.nextInt(2 * rows.get(x).image.length));
                what = "image length " + x;
            }
            default -> {
                rows.get(x).episode = new long[]{-1, Long.MAX_VALUE, 1000, rows.get(y).episode}[rng.nextInt(4)];
                rows.get(x).frame = new int[]{-1, Integer.MAX_VALUE, 0, rows.get(y).frame}[rng.nextInt(4)];
                what = "indices " + x;
            }
        }
        TestTables.writeRows(TestTables.part(t.toString(), part), rows, TrajectorySchema.SCHEMA);
        return "rows: " + what + " in part " + part;
    }

    private static String mutateJson(Path t, SplittableRandom rng) throws IOException {
        boolean info = rng.nextInt(3) > 0;
        Path p = t.resolve(info ? TrajectorySchema.INFO_JSON : TrajectorySchema.STATS_JSON);
        Files.deleteIfExists(p.resolveSibling("." + p.getFileName() + ".crc"));
        String name = info ? "info" : "stats";
        if (rng.nextInt(5) == 0) {
            byte[] text = Files.readAllBytes(p);
            text[rng.nextInt(text.length)] ^= (byte) (1 << rng.nextInt(7));
            Files.write(p, text);
            return "json-text: bit flip in " + name;
        }
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(p));
        List<JsonNode[]> leaves = new ArrayList<>(); // {parent, key or index as text node}
        collect(root, leaves);
        JsonNode[] leaf = leaves.get(rng.nextInt(leaves.size()));
        String what;
        switch (rng.nextInt(5)) {
            case 0, 1 -> {
                JsonNode v = Json.MAPPER.valueToTree(new Object[]{0, -1, -100_000, Integer.MAX_VALUE, Long.MAX_VALUE,
                        Long.MIN_VALUE, 1e300, -0.0, 100_000, "x", null, "data/../../x.parquet", "/etc/passwd"}
                        [rng.nextInt(13)]);
                set(leaf, v);
                what = "set " + leaf[1].asText() + " := " + v;
            }
            case 2 -> {
                if (leaf[0] instanceof ObjectNode o) o.remove(leaf[1].asText());
                else ((ArrayNode) leaf[0]).remove(leaf[1].asInt());
                what = "remove " + leaf[1].asText();
            }
            case 3 -> {
                ArrayNode files = root.withArray(info ? "files" : "/action/mean");
                if (files.size() > 1) {
                    JsonNode a = files.get(0);
                    files.set(0, files.get(1));
                    files.set(1, a);
                }
                what = "swap-entries";
            }
            default -> {
                ArrayNode files = root.withArray(info ? "files" : "/observation_state/std");
                if (!files.isEmpty()) files.add(files.get(rng.nextInt(files.size())).deepCopy());
                what = "duplicate-entry";
            }
        }
        Files.writeString(p, Json.write(root));
        return "json: " + name + " " + what;
    }

    private static void collect(JsonNode n, List<JsonNode[]> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                out.add(new JsonNode[]{n, Json.MAPPER.getNodeFactory().textNode(e.getKey())});
                collect(e.getValue(), out);
            });
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                out.add(new JsonNode[]{n, Json.MAPPER.getNodeFactory().numberNode(i)});
                collect(n.get(i), out);
            }
        }
    }

    private static void set(JsonNode[] leaf, JsonNode v) {
        if (leaf[0] instanceof ObjectNode o) o.set(leaf[1].asText(), v);
        else ((ArrayNode) leaf[0]).set(leaf[1].asInt(), v);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var w = Files.walk(from)) {
            for (Path p : w.toList()) Files.copy(p, to.resolve(from.relativize(p).toString()));
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
