package io.smwm.data.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.util.UserError;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.Episode;
import io.smwm.data.table.Fingerprint;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.ValidationReport;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** table finalize on Spark-named part files, and table append. */
class TableMaintenanceTest {

    private static String generate(Path dir, String name, long seed, int size) {
        String out = dir.resolve(name).toString();
        GenerationSpec spec = new GenerationSpec("disc", DiscEnv.config(size, Map.of("distractor", "dot")), "random",
                4, 6, seed, 3, 2);
        LocalGenerator.generate(spec, DiscEnv.source(spec.envConfig()), out, false);
        return out;
    }

    private static TableMetadata meta(String table) throws Exception {
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            return r.metadata();
        }
    }

    /** Turns a generated table into what df.write.parquet leaves: Spark's names, _SUCCESS, no meta/. */
    private static void asSparkOutput(String table, boolean reverseOrder) throws Exception {
        Path data = Path.of(table, "data");
        TestTables.deleteTree(Path.of(table, "meta"));
        List<Path> parts = new ArrayList<>();
        try (var s = Files.list(data)) {
            s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().forEach(parts::add);
        }
        for (int i = 0; i < parts.size(); i++) {
            int n = reverseOrder ? parts.size() - 1 - i : i;
            Files.move(parts.get(i), data.resolve(String.format(
                    "part-%05d-5b1c6f0e-8a7d-4e6b-9c1f-2d3e4f5a6b7c-c000.snappy.parquet", n)));
        }
        try (var s = Files.list(data)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(data.resolve("_SUCCESS"), "");
    }

    @Test
    void finalize_sparkNamedParts_givesAValidTableWithTheGeneratedFingerprint(@TempDir Path dir) throws Exception {
        String t = generate(dir, "t", 42, 16);
        String fingerprint = meta(t).fingerprint();
        asSparkOutput(t, false);
        assertFalse(new TableValidator().validate(t).ok(), "precondition: no metadata");

        TableMetadata md = TableFinalizer.finalizeTable(TestTables.CONF, t,
                new TableFinalizer.Options("disc", "default", 3, null, null, false));
        ValidationReport r = new TableValidator().validate(t);
        assertTrue(r.ok(), r.format());
        assertEquals(fingerprint, md.fingerprint());
        assertEquals(4, md.episodes());
        assertEquals(6, md.stepsPerEpisode());
        assertEquals(16, md.image().height());
        assertTrue(md.files().get(0).path().startsWith("data/part-00000-"), md.files().toString());
        assertEquals(fingerprint, meta(t).fingerprint());
    }

    @Test
    void finalize_filesOutOfEpisodeOrder_isRefusedAndLeavesNoMetadata(@TempDir Path dir) throws Exception {
        String t = generate(dir, "t", 42, 16);
        asSparkOutput(t, true);
        UserError e = assertThrows(UserError.class, () -> TableFinalizer.finalizeTable(TestTables.CONF, t,
                TableFinalizer.Options.defaults()));
        assertTrue(e.getMessage().contains("EPISODES_NOT_ASCENDING") && e.getMessage().contains("repartitionByRange"),
                e.getMessage());
        assertFalse(Files.exists(Path.of(t, "meta", "info.json")));
        assertFalse(Files.exists(Path.of(t, "meta", "stats.json")));
    }

    @Test
    void append_renumbersTheSourceEpisodesAfterTheTablesAndUpdatesFingerprintAndStats(@TempDir Path dir)
            throws Exception {
        String a = generate(dir, "a", 42, 16), b = generate(dir, "b", 7, 16);
        List<byte[]> hashes = new ArrayList<>();
        try (TrajectoryReader ra = TrajectoryReader.open(a); TrajectoryReader rb = TrajectoryReader.open(b)) {
            ra.readAll().forEach(e -> hashes.add(e.contentHash()));
            for (Episode e : rb.readAll()) {
                hashes.add(new Episode(e.episodeIndex() + 4, e.imageWidth(), e.imageHeight(), e.frames(), e.states(),
                        e.distractorStates(), e.actions(), e.terminal()).contentHash());
            }
        }
        TableAppender.Result res = TableAppender.append(TestTables.CONF, b, a);
        assertEquals(4, res.first());
        assertEquals(7, res.last());
        assertEquals(List.of("data/part-00002.parquet", "data/part-00003.parquet"), res.newFiles());
        ValidationReport r = new TableValidator().validate(a);
        assertTrue(r.ok(), r.format());
        TableMetadata md = meta(a);
        assertEquals(8, md.episodes());
        assertEquals(Fingerprint.of(hashes), md.fingerprint());
        try (TrajectoryReader ra = TrajectoryReader.open(a)) {
            assertEquals(8 * 6, ra.stats().action().count());
        }
    }

    @Test
    void append_disagreeingImageSize_isRefusedNamingItAndLeavesTheTableAsItWas(@TempDir Path dir) throws Exception {
        String a = generate(dir, "a", 42, 16), b = generate(dir, "b", 7, 24);
        TableMetadata before = meta(a);
        UserError e = assertThrows(UserError.class, () -> TableAppender.append(TestTables.CONF, b, a));
        assertTrue(e.getMessage().contains("image 24x24 (table: 16x16)"), e.getMessage());
        assertEquals(before.fingerprint(), meta(a).fingerprint());
        try (var s = Files.list(Path.of(a, "data"))) {
            assertEquals(2, s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count());
        }
        assertTrue(new TableValidator().validate(a).ok());
    }

    /**
     * A Push-T table with a heavier block is another task: appending it is refused naming the param; a table that
     * states the default agrees with one written before the param existed (no block_mass in its metadata).
     */
    @Test
    void append_disagreeingTaskParam_isRefused_theDefaultMatchesATableThatDoesNotStateIt(@TempDir Path dir)
            throws Exception {
        String a = dir.resolve("a").toString(), b = dir.resolve("b").toString(), c = dir.resolve("c").toString();
        for (String[] t : new String[][] {{a, "1"}, {b, "30"}, {c, "1"}}) {
            GenerationSpec spec = new GenerationSpec("pusht", new io.smwm.core.env.EnvConfig("default", 16, List.of(),
                    Map.of("block_mass", t[1])), "random", 2, 3, 9L, 1, 1);
            LocalGenerator.generate(spec, t[0], false);
        }
        TableMetadata before = meta(a);
        UserError e = assertThrows(UserError.class, () -> TableAppender.append(TestTables.CONF, b, a));
        assertTrue(e.getMessage().contains("env params {block_mass=30.0} (table: {block_mass=1.0})"), e.getMessage());
        assertEquals(before.fingerprint(), meta(a).fingerprint());
        Map<String, String> old = new java.util.LinkedHashMap<>(before.env().params());
        old.remove("block_mass"); // as tables written before the param existed
        TableMetadata legacy = new TableMetadata(before.format(), before.formatVersion(), new TableMetadata.Env(before.env().id(),
                before.env().variant(), old, before.env().distractors()), before.image(), before.action(),
                before.state(), before.distractorState(), before.frameskip(), before.episodes(), before.frames(),
                before.stepsPerEpisode(), before.generator(), before.fingerprint(), before.files());
        assertTrue(TableAppender.differences(legacy, meta(c)).isEmpty(), TableAppender.differences(legacy, meta(c)).toString());
        assertFalse(TableAppender.differences(legacy, meta(b)).isEmpty());
    }
}
