package io.smwm.data.table;

import static io.smwm.data.table.ValidationReport.Kind.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.data.table.ValidationReport.Kind;
import io.smwm.data.testing.TestTables;
import io.smwm.data.testing.TestTables.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each test breaks a valid 2-file table (episodes 0,1 | 2,3; 7 frames each) in one way. */
class TableValidatorTest {
    @TempDir
    Path dir;
    String table;

    @BeforeEach
    void makeTable() {
        table = TestTables.makeValid(dir);
    }

    private ValidationReport validate() {
        return new TableValidator().validate(table);
    }

    private ValidationReport assertDetects(Kind kind) {
        ValidationReport r = validate();
        assertFalse(r.ok());
        assertTrue(r.has(kind), () -> "expected " + kind + " in\n" + r.format());
        assertFalse(r.problem(kind).examples().isEmpty());
        return r;
    }

    private void editPart0(Consumer<List<Row>> edit) throws Exception {
        TestTables.editPart(table, 0, edit);
    }

    private void editInfo(Consumer<ObjectNode> edit) throws Exception {
        Path p = Path.of(table, "meta/info.json");
        ObjectNode n = (ObjectNode) Json.MAPPER.readTree(Files.readString(p));
        edit.accept(n);
        Files.writeString(p, Json.write(n));
        Files.deleteIfExists(Path.of(table, "meta/.info.json.crc"));
    }

    @Test
    void validTable_isOk() {
        ValidationReport r = validate();
        assertTrue(r.ok(), r::format);
        assertEquals(28, r.rows());
        assertEquals(4, r.episodes());
        assertEquals(2, r.files());
        assertTrue(r.format().endsWith("OK"));
    }

    @Test
    void droppedColumn_isMissingColumn() throws Exception {
        Path p = TestTables.part(table, 0);
        TestTables.writeRows(p, TestTables.readRows(p), TestTables.without(TrajectorySchema.ACTION));
        ValidationReport r = assertDetects(MISSING_COLUMN);
        assertTrue(r.problem(MISSING_COLUMN).examples().get(0).contains("action"));
    }

    @Test
    void listOfDoublesAndInt64Frame_areWrongColumnType() throws Exception {
        Path p = TestTables.part(table, 0);
        TestTables.writeRows(p, TestTables.readRows(p), TestTables.replacing(TrajectorySchema.ACTION,
                TestTables.doubleList(TrajectorySchema.ACTION)));
        Path p1 = TestTables.part(table, 1);
        TestTables.writeRows(p1, TestTables.readRows(p1), TestTables.replacing(TrajectorySchema.FRAME_INDEX,
                Types.required(PrimitiveTypeName.INT64).named(TrajectorySchema.FRAME_INDEX)));
        ValidationReport r = assertDetects(WRONG_COLUMN_TYPE);
        assertEquals(2, r.problem(WRONG_COLUMN_TYPE).count());
    }

    @Test
    void extraColumn_isReported() throws Exception {
        Path p = TestTables.part(table, 0);
        TestTables.writeRows(p, TestTables.readRows(p), TrajectorySchema.SCHEMA.union(
                Types.buildMessage().optional(PrimitiveTypeName.INT32).named("reward").named("x")));
        assertDetects(EXTRA_COLUMN);
    }

    @Test
    void missingFrame_isFrameGap() throws Exception {
        editPart0(rows -> rows.remove(3));
        ValidationReport r = assertDetects(FRAME_GAP);
        assertTrue(r.problem(FRAME_GAP).examples().get(0).contains("episode 0 frame 4"), r.format());
        assertTrue(r.has(EPISODE_LENGTH_MISMATCH));
    }

    @Test
    void repeatedFrame_isDuplicateFrame() throws Exception {
        editPart0(rows -> rows.add(3, rows.get(2)));
        assertDetects(DUPLICATE_FRAME);
    }

    @Test
    void decreasingFrame_isFrameOutOfOrder() throws Exception {
        editPart0(rows -> rows.add(4, rows.remove(2)));
        assertDetects(FRAME_OUT_OF_ORDER);
    }

    @Test
    void interleavedEpisodes_areDetected() throws Exception {
        editPart0(rows -> {
            List<Row> ep0tail = new ArrayList<>(rows.subList(4, 7));
            rows.subList(4, 7).clear();
            rows.addAll(ep0tail);
        });
        assertDetects(EPISODE_INTERLEAVED);
    }

    @Test
    void episodeContinuingIntoNextFile_isSplitAcrossFiles() throws Exception {
        List<Row> p0 = TestTables.readRows(TestTables.part(table, 0));
        List<Row> p1 = TestTables.readRows(TestTables.part(table, 1));
        List<Row> moved = new ArrayList<>(p0.subList(11, 14));
        p0.subList(11, 14).clear();
        p1.addAll(0, moved);
        TestTables.writeRows(TestTables.part(table, 0), p0, TrajectorySchema.SCHEMA);
        TestTables.writeRows(TestTables.part(table, 1), p1, TrajectorySchema.SCHEMA);
        ValidationReport r = assertDetects(EPISODE_SPLIT_ACROSS_FILES);
        assertTrue(r.has(FILES_MISMATCH), r.format());
    }

    @Test
    void swappedEpisodes_areNotAscending() throws Exception {
        editPart0(rows -> {
            List<Row> ep0 = new ArrayList<>(rows.subList(0, 7));
            rows.subList(0, 7).clear();
            rows.addAll(ep0);
        });
        assertDetects(EPISODES_NOT_ASCENDING);
    }

    @Test
    void removedEpisode_isEpisodeIndexGapAndCountMismatch() throws Exception {
        editPart0(rows -> rows.subList(7, 14).clear());
        assertDetects(EPISODE_INDEX_GAP);
        assertDetects(COUNT_MISMATCH);
    }

    @Test
    void nanActionAndInfState_areNonFinite_andExamplesAreCapped() throws Exception {
        editPart0(rows -> rows.forEach(r -> r.action[0] = Float.NaN));
        TestTables.editPart(table, 1, rows -> rows.get(0).state[1] = Float.POSITIVE_INFINITY);
        ValidationReport r = assertDetects(NON_FINITE_VALUE);
        assertEquals(15, r.problem(NON_FINITE_VALUE).count());
        assertEquals(ValidationReport.MAX_EXAMPLES, r.problem(NON_FINITE_VALUE).examples().size());
        assertTrue(r.format().contains("... and 10 more"), r.format());
        assertTrue(r.toJson().contains("\"NON_FINITE_VALUE\""));
    }

    @Test
    void shortImage_isImageSizeMismatch() throws Exception {
        editPart0(rows -> rows.get(1).image = Arrays.copyOf(rows.get(1).image, 16 * 16 * 3 - 1));
        ValidationReport r = assertDetects(IMAGE_SIZE_MISMATCH);
        assertTrue(r.problem(IMAGE_SIZE_MISMATCH).examples().get(0).contains("767 bytes, expected 768"));
    }

    @Test
    void threeComponentActions_areActionDimMismatch() throws Exception {
        TestTables.editPart(table, 1, rows -> rows.forEach(r -> r.action = Arrays.copyOf(r.action, 3)));
        assertEquals(14, assertDetects(ACTION_DIM_MISMATCH).problem(ACTION_DIM_MISMATCH).count());
    }

    @Test
    void wrongStateLength_isStateDimMismatch() throws Exception {
        editPart0(rows -> rows.get(5).distractor = new float[0]);
        assertDetects(STATE_DIM_MISMATCH);
    }

    @Test
    void badFlagsAndNonZeroLastAction_areDetected() throws Exception {
        editPart0(rows -> {
            rows.get(0).first = false;
            rows.get(6).action = new float[] {0.5f, 0f};
            rows.get(9).terminal = true;
        });
        assertEquals(2, assertDetects(BAD_EPISODE_FLAGS).problem(BAD_EPISODE_FLAGS).count());
        assertDetects(LAST_ACTION_NOT_ZERO);
    }

    @Test
    void noDataFiles_orNoRows_isEmptyTable() throws Exception {
        for (int i = 0; i < 2; i++) {
            TestTables.writeRows(TestTables.part(table, i), List.of(), TrajectorySchema.SCHEMA);
        }
        assertDetects(EMPTY_TABLE);
        for (int i = 0; i < 2; i++) {
            Files.delete(TestTables.part(table, i));
            Files.deleteIfExists(TestTables.part(table, i).resolveSibling(".part-0000" + i + ".parquet.crc"));
        }
        ValidationReport r = assertDetects(EMPTY_TABLE);
        assertTrue(r.has(FILES_MISMATCH), r.format());
    }

    @Test
    void truncatedFile_isUnreadable_andTheOtherFileIsStillChecked() throws Exception {
        TestTables.editPart(table, 1, rows -> rows.get(3).action[1] = Float.NaN);
        Path p = TestTables.part(table, 0);
        byte[] bytes = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(bytes, bytes.length / 2));
        Files.deleteIfExists(p.resolveSibling(".part-00000.parquet.crc"));
        ValidationReport r = assertDetects(UNREADABLE_FILE);
        assertTrue(r.problem(UNREADABLE_FILE).examples().get(0).startsWith("data/part-00000.parquet"));
        assertTrue(r.has(NON_FINITE_VALUE), r.format());
        assertEquals(14, r.rows());
    }

    @Test
    void missingInfoJson_isMetadataMissing_andDataIsStillChecked() throws Exception {
        Files.delete(Path.of(table, "meta/info.json"));
        Files.deleteIfExists(Path.of(table, "meta/.info.json.crc"));
        ValidationReport r = assertDetects(METADATA_MISSING);
        assertEquals(28, r.rows());
        assertFalse(new TableValidator().validate(table).has(NOT_A_TABLE));
    }

    @Test
    void garbledInfoJson_isMetadataInvalid() throws Exception {
        Files.writeString(Path.of(table, "meta/info.json"), "{ not json");
        Files.deleteIfExists(Path.of(table, "meta/.info.json.crc"));
        assertDetects(METADATA_INVALID);
    }

    @Test
    void metadataCounts_disagreeingWithData_areCountMismatch() throws Exception {
        editInfo(n -> n.put("episodes", 5));
        ValidationReport r = assertDetects(COUNT_MISMATCH);
        assertTrue(r.problem(COUNT_MISMATCH).examples().get(0).contains("episodes=5"), r.format());
    }

    @Test
    void alteredFingerprint_isFingerprintMismatch() throws Exception {
        editInfo(n -> n.put("fingerprint", Fingerprint.of(List.of(new byte[32]))));
        assertDetects(FINGERPRINT_MISMATCH);
    }

    @Test
    void changedContentWithSameShape_isFingerprintMismatch() throws Exception {
        editPart0(rows -> rows.get(2).state[0] += 0.001f);
        ValidationReport r = assertDetects(FINGERPRINT_MISMATCH);
        assertEquals(1, r.problems().size(), r.format());
    }

    @Test
    void filesListMissingAFile_isFilesMismatch() throws Exception {
        editInfo(n -> n.withArray("files").remove(1));
        assertDetects(FILES_MISMATCH);
    }

    @Test
    void wrongImageShapeInMetadata_isImageSizeMismatch() throws Exception {
        editInfo(n -> ((ObjectNode) n.get("image")).put("height", 32));
        assertEquals(28, assertDetects(IMAGE_SIZE_MISMATCH).problem(IMAGE_SIZE_MISMATCH).count());
    }

    @Test
    void statsCountsDisagreeing_isStatsMismatch() throws Exception {
        Path p = Path.of(table, "meta/stats.json");
        Files.writeString(p, Files.readString(p).replace("\"count\" : 28", "\"count\" : 27"));
        Files.deleteIfExists(Path.of(table, "meta/.stats.json.crc"));
        assertDetects(STATS_MISMATCH);
    }

    @Test
    void nonexistentPath_isNotATable() {
        ValidationReport r = new TableValidator().validate(dir.resolve("nothing").toString());
        assertTrue(r.has(NOT_A_TABLE));
        assertEquals(1, r.problems().size());
    }

    private void editStats(Consumer<ObjectNode> edit) throws Exception {
        Path p = Path.of(table, "meta/stats.json");
        ObjectNode n = (ObjectNode) Json.MAPPER.readTree(Files.readString(p));
        edit.accept(n);
        Files.writeString(p, Json.write(n));
        Files.deleteIfExists(Path.of(table, "meta/.stats.json.crc"));
    }

    @Test
    void statsStdZeroForAVaryingAction_isStatsMismatch() throws Exception {
        // validated OK before, and training then z-scored that action by the 1e-3 floor (loss 5e5)
        editStats(n -> ((ObjectNode) n.get("action")).withArray("std").set(0, 0.0));
        ValidationReport r = assertDetects(STATS_MISMATCH);
        assertTrue(r.problem(STATS_MISMATCH).examples().get(0).startsWith("action std[0] is 0.0 in meta/stats.json"),
                r.format());
        assertEquals(1, r.problems().size(), r.format());
    }

    @Test
    void statsNonFiniteOrNegativeStd_areMetadataInvalid_andTheReaderRefusesThem() throws Exception {
        editStats(n -> ((ObjectNode) n.get("observation_state")).withArray("std").set(1, -1.0));
        ValidationReport r = assertDetects(METADATA_INVALID);
        assertTrue(r.format().contains("observation_state[1] must be finite with std >= 0"), r.format());
        try (TrajectoryReader reader = TrajectoryReader.open(table)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, reader::stats);
            assertTrue(e.getMessage().contains("observation_state[1]"), e.getMessage());
        }
    }

    @Test
    void requireValid_summarisesEveryKindOfProblemInOneLine() throws Exception {
        editPart0(rows -> rows.get(3).action[0] = Float.NaN);
        io.smwm.core.util.UserError e = assertThrows(io.smwm.core.util.UserError.class,
                () -> new TableValidator().requireValid(table));
        assertTrue(e.getMessage().contains("NON_FINITE_VALUE x1 (episode 0 frame 3"), e.getMessage());
        assertTrue(e.getMessage().contains("Run smwm validate"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
