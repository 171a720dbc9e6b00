package io.smwm.data.table;

import static io.smwm.data.table.ValidationReport.Kind.METADATA_INVALID;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.data.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * meta/info.json written by someone else: sizes whose products overflow an int, file names that point outside the
 * table. The validator and the reader (what train, evaluate, diagnose and inspect use) must refuse the same things.
 */
class HostileMetadataTest {
    @TempDir
    Path dir;
    String table;

    @BeforeEach
    void makeTable() {
        table = TestTables.makeValid(dir);
    }

    private void editInfo(Consumer<ObjectNode> edit) throws Exception {
        Path p = Path.of(table, "meta/info.json");
        ObjectNode n = (ObjectNode) Json.MAPPER.readTree(Files.readString(p));
        edit.accept(n);
        Files.writeString(p, Json.write(n));
        Files.deleteIfExists(Path.of(table, "meta/.info.json.crc"));
    }

    /** Validation reports METADATA_INVALID containing {@code text}, and opening the table fails naming it too. */
    private void assertRefusedByBoth(String text) {
        ValidationReport r = new TableValidator().validate(table);
        assertTrue(r.has(METADATA_INVALID), r::format);
        assertTrue(r.problem(METADATA_INVALID).examples().stream().anyMatch(e -> e.contains(text)), r::format);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrajectoryReader.open(table).close());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void imageOf100000x100000_isInvalidInsteadOfOverflowingToANegativeByteCount() throws Exception {
        // validated OK before; inspect then said "must have -64771072 bytes"
        editInfo(n -> ((ObjectNode) n.get("image")).put("height", 100_000).put("width", 100_000));
        assertRefusedByBoth("image must have height and width in [1, 4096]");
    }

    @Test
    void fileOutsideTheTable_isRefusedAndNeverOpened() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.copy(TestTables.part(table, 0), other.resolve("part.parquet"));
        editInfo(n -> ((ObjectNode) n.withArray("files").get(0)).put("path", "data/../../other/part.parquet"));
        assertRefusedByBoth("must name a file in the table's data/ directory");
        ValidationReport r = new TableValidator().validate(table);
        assertFalse(r.format().contains("does not exist"), "not a missing file but a forbidden name: " + r.format());
    }

    @Test
    void absoluteAndForeignPaths_areRefused() throws Exception {
        for (String bad : List.of("/etc/passwd", "file:/etc/passwd", "hdfs://elsewhere/data/part-00000.parquet",
                "data/part-00000.parquet/../part-00001.parquet", "data/part-1.parquet", "meta/info.json")) {
            editInfo(n -> ((ObjectNode) n.withArray("files").get(0)).put("path", bad));
            assertRefusedByBoth("got '" + bad + "'");
        }
    }

    @Test
    void overlappingOrImpossibleEpisodeRanges_areRefused() throws Exception {
        // a range of 2^63 episodes would make the training source loop over it
        editInfo(n -> ((ObjectNode) n.withArray("files").get(1)).put("last_episode", Long.MAX_VALUE));
        assertRefusedByBoth("must hold episodes 2..");
        makeTableAgain();
        editInfo(n -> n.withArray("files").set(1, n.withArray("files").get(0).deepCopy()));
        assertRefusedByBoth("files[1]");
        makeTableAgain();
        editInfo(n -> n.put("steps_per_episode", -5));
        assertRefusedByBoth("steps_per_episode must be in [0, ");
        makeTableAgain();
        editInfo(n -> ((ObjectNode) n.get("action")).put("dim", Integer.MAX_VALUE));
        assertRefusedByBoth("action.dim must be in [1, 65536]");
    }

    @Test
    void handEditedInfoJsonWithAStaleChecksum_saysSoInsteadOfNamingAnException() throws Exception {
        Path p = Path.of(table, "meta/info.json");
        Files.writeString(p, Files.readString(p).replace("\"frameskip\"", " \"frameskip\""));
        ValidationReport r = new TableValidator().validate(table);
        assertTrue(r.format().contains("does not match its Hadoop checksum file .info.json.crc"), r::format);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrajectoryReader.open(table).close());
        assertTrue(e.getMessage().contains("delete the .crc file"), e.getMessage());
    }

    private void makeTableAgain() throws Exception {
        try (var w = Files.walk(dir)) {
            for (Path q : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!q.equals(dir)) {
                    Files.delete(q);
                }
            }
        }
        table = TestTables.makeValid(dir);
    }
}
