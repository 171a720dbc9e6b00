package io.smwm.data.table;

import static org.junit.jupiter.api.Assertions.*;

import io.smwm.data.generate.EpisodeGenerator;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
    @TempDir
    Path dir;

    @Test
    void writeThenRead_everyColumnEqualsTheGeneratedEpisodes() throws Exception {
        GenerationSpec spec = new GenerationSpec("disc", DiscEnv.config(16, Map.of("distractor", "dot")), "random",
                5, 12, 7L, 5, 2);
        String out = dir.resolve("t").toString();
        TableMetadata md = LocalGenerator.generate(spec, DiscEnv.source(spec.envConfig()), out, false);
        EpisodeGenerator gen = new EpisodeGenerator(spec, DiscEnv.source(spec.envConfig()));
        try (TrajectoryReader r = TrajectoryReader.open(out)) {
            List<Episode> eps = r.readAll();
            assertEquals(5, eps.size());
            for (int e = 0; e < 5; e++) {
                Episode want = gen.generate(e);
                Episode got = eps.get(e);
                assertEquals(want, got, "episode " + e);
                assertArrayEquals(want.contentHash(), got.contentHash());
                assertEquals(13, got.frameCount());
                assertEquals(2, got.distractorStateDim());
                assertArrayEquals(new float[2], got.actions()[12]);
                assertFalse(got.terminal());
            }
            assertEquals(3, r.fileCount());
            assertEquals(md, r.metadata());
            Iterator<Episode> f2 = r.episodes(2);
            assertEquals(4, f2.next().episodeIndex());
            assertFalse(f2.hasNext());
            TableStats s = r.stats();
            assertEquals(5 * 13, s.observationState().count());
            assertEquals(5 * 12, s.action().count());
            assertTrue(s.action().min()[0] >= -1 && s.action().max()[0] <= 1);
        }
        assertEquals(5, md.episodes());
        assertEquals(65, md.frames());
        assertEquals(16, md.image().height());
        assertEquals(2, md.action().dim());
        assertEquals(List.of("x", "y"), md.state().names());
        assertEquals(2, md.distractorState().dim());
        assertEquals(5, md.frameskip());
        assertEquals("data/part-00002.parquet", md.files().get(2).path());
        assertEquals(4, md.files().get(2).firstEpisode());
        assertTrue(md.fingerprint().startsWith("sha256:"));
        assertTrue(new TableValidator().validate(out).ok(), () -> new TableValidator().validate(out).format());
    }

    @Test
    void terminatingEpisodes_areShorterAndMarkedTerminal() throws Exception {
        GenerationSpec spec = new GenerationSpec("disc", DiscEnv.config(16, Map.of("terminate_after", "4")),
                "random", 3, 10, 1L, 2, 50);
        String out = dir.resolve("term").toString();
        LocalGenerator.generate(spec, DiscEnv.source(spec.envConfig()), out, false);
        try (TrajectoryReader r = TrajectoryReader.open(out)) {
            for (Episode e : r.readAll()) {
                assertEquals(5, e.frameCount());
                assertTrue(e.terminal());
                assertEquals(0, e.distractorStateDim());
            }
            assertEquals(15, r.metadata().frames());
        }
        ValidationReport rep = new TableValidator().validate(out);
        assertTrue(rep.ok(), rep::format);
    }

    @Test
    void dataFiles_useTheFormatSchemaWithStandardThreeLevelLists() throws Exception {
        String out = TestTables.makeValid(dir);
        var schema = FrameRow.fileSchema(TestTables.CONF,
                new org.apache.hadoop.fs.Path(TestTables.part(out, 0).toUri()));
        assertEquals(TrajectorySchema.SCHEMA, schema);
        String s = schema.toString();
        assertTrue(s.contains("required group action (LIST) {\n    repeated group list {\n      required float element;"),
                s);
        assertFalse(s.contains("."), "column names must not contain dots: " + s);
    }

    @Test
    void open_directoryWithoutInfoJson_saysItIsNotATable() throws Exception {
        Files.createDirectories(dir.resolve("x/data"));
        var e = assertThrows(IllegalArgumentException.class, () -> TrajectoryReader.open(dir.resolve("x").toString()));
        assertTrue(e.getMessage().contains("not a trajectory table"), e.getMessage());
        assertThrows(java.io.FileNotFoundException.class, () -> TrajectoryReader.open(dir.resolve("nope").toString()));
    }

    @Test
    void fileUris_workForWriteReadAndValidate() throws Exception {
        GenerationSpec spec = TestTables.smallSpec();
        String uri = dir.resolve("u").toUri().toString();
        assertTrue(uri.startsWith("file:"), uri);
        TableMetadata md = LocalGenerator.generate(spec, DiscEnv.source(spec.envConfig()), uri, false);
        try (TrajectoryReader r = TrajectoryReader.open(TestTables.CONF, uri)) {
            assertEquals(md.fingerprint(), Fingerprint.of(r.readAll().stream().map(Episode::contentHash).toList()));
        }
        assertTrue(new TableValidator(TestTables.CONF).validate(uri).ok());
    }

    @Test
    void open_tableFromANewerFormatVersion_asksToUpgrade() throws Exception {
        String out = TestTables.makeValid(dir);
        Path info = Path.of(out, "meta/info.json");
        Files.writeString(info, Files.readString(info).replace("\"format_version\" : 1", "\"format_version\" : 2"));
        Files.deleteIfExists(Path.of(out, "meta/.info.json.crc"));
        var e = assertThrows(IllegalArgumentException.class, () -> TrajectoryReader.open(out));
        assertTrue(e.getMessage().contains("format_version must be in [1, 1]") && e.getMessage().contains("upgrade"),
                e.getMessage());
    }

    @Test
    void metadataJson_usesSnakeCaseKeysAndRoundTrips() throws Exception {
        String out = TestTables.makeValid(dir);
        String json = Files.readString(Path.of(out, "meta/info.json"));
        for (String k : List.of("\"format_version\"", "\"steps_per_episode\"", "\"distractor_state\"",
                "\"first_episode\"", "\"tool_version\"", "\"created_at\"", "\"raw-uint8-hwc\"")) {
            assertTrue(json.contains(k), k + " in " + json);
        }
        TableMetadata md = TableMetadata.fromJson(json);
        assertEquals(json, md.toJson());
        assertEquals(io.smwm.core.util.Version.current(), md.generator().toolVersion(), "tables record the project version");
        String stats = Files.readString(Path.of(out, "meta/stats.json"));
        assertTrue(stats.contains("\"observation_state\"") && stats.contains("\"std\""), stats);
    }
}
