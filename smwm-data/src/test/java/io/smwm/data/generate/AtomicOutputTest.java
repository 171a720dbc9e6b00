package io.smwm.data.generate;

import static org.junit.jupiter.api.Assertions.*;

import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
    @TempDir
    Path dir;

    private List<String> siblings() throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void existingOutput_withoutOverwrite_isRefusedBeforeAnyWork() throws Exception {
        String out = TestTables.makeValid(dir);
        GenerationSpec spec = TestTables.smallSpec();
        var e = assertThrows(io.smwm.core.util.UserError.class,
                () -> LocalGenerator.generate(spec, DiscEnv.failingAfter(spec.envConfig(), 1), out, false));
        assertEquals("output " + out + " already exists; pass --overwrite to replace it, or choose another output "
                + "path", e.getMessage());
        assertEquals(List.of("table"), siblings());
    }

    @Test
    void failureInTheMiddle_leavesNoTableAndNoStaging() throws Exception {
        GenerationSpec spec = TestTables.smallSpec();
        String out = dir.resolve("t").toString();
        var e = assertThrows(IllegalStateException.class,
                () -> LocalGenerator.generate(spec, DiscEnv.failingAfter(spec.envConfig(), 15), out, false));
        assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());
        assertEquals(List.of(), siblings());
    }

    @Test
    void overwrite_replacesTheTable_andFailedOverwriteKeepsTheOld() throws Exception {
        String out = TestTables.makeValid(dir);
        GenerationSpec spec = TestTables.smallSpec();
        String before = Files.readString(Path.of(out, "meta/info.json"));
        assertThrows(IllegalStateException.class,
                () -> LocalGenerator.generate(spec, DiscEnv.failingAfter(spec.envConfig(), 15), out, true));
        assertEquals(before, Files.readString(Path.of(out, "meta/info.json")));
        assertEquals(List.of("table"), siblings());

        GenerationSpec other = new GenerationSpec("disc", spec.envConfig(), "random", 3, 5, 9L, 5, 1);
        TableMetadata md = LocalGenerator.generate(other, DiscEnv.source(other.envConfig()), out, true);
        assertEquals(3, md.episodes());
        assertEquals(List.of("table"), siblings());
        assertFalse(Files.exists(TestTables.part(out, 0).resolveSibling("part-00003.parquet")));
        assertTrue(new TableValidator().validate(out).ok());
    }

    @Test
    void overwrite_refusesToReplaceSomethingThatIsNotATable() throws Exception {
        Path notTable = Files.createDirectories(dir.resolve("precious"));
        Files.writeString(notTable.resolve("thesis.tex"), "...");
        var e = assertThrows(IllegalArgumentException.class,
                () -> TableCommitter.checkOutput(TestTables.CONF, notTable.toString(), true));
        assertTrue(e.getMessage().contains("not a trajectory table"), e.getMessage());
        assertTrue(Files.exists(notTable.resolve("thesis.tex")));
    }

    @Test
    void commit_withAMissingPart_failsAndPublishesNothing() throws Exception {
        GenerationSpec spec = TestTables.smallSpec();
        String out = dir.resolve("t").toString();
        String staging = TableCommitter.stagingDirFor(out);
        assertTrue(Path.of(staging).getFileName().toString().startsWith(".t.tmp-"), staging);
        PartResult p0 = PartWriter.writePart(TestTables.CONF, staging, spec, 0, DiscEnv.source(spec.envConfig()));
        var e = assertThrows(IllegalStateException.class, () -> TableCommitter.commit(TestTables.CONF, staging, out,
                spec, new DiscEnv(spec.envConfig()).spec(), List.of(p0), false));
        assertTrue(e.getMessage().contains("expected 2 part results, got 1"), e.getMessage());
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void commit_partsInAnyOrder_fromJson_matchesLocalGenerator() throws Exception {
        GenerationSpec spec = TestTables.smallSpec();
        String out = dir.resolve("t").toString();
        String staging = TableCommitter.stagingDirFor(out);
        PartResult p1 = PartResult.fromJson(PartWriter.writePart(TestTables.CONF, staging, spec, 1,
                DiscEnv.source(spec.envConfig())).toJson());
        PartResult p0 = PartResult.fromJson(PartWriter.writePart(TestTables.CONF, staging, spec, 0,
                DiscEnv.source(spec.envConfig())).toJson());
        TableMetadata md = TableCommitter.commit(TestTables.CONF, staging, out, spec,
                new DiscEnv(spec.envConfig()).spec(), List.of(p1, p0), false);
        TableMetadata local = LocalGenerator.generate(spec, DiscEnv.source(spec.envConfig()),
                dir.resolve("local").toString(), false);
        assertEquals(local.fingerprint(), md.fingerprint());
        assertEquals(local.files(), md.files());
        assertEquals(Files.readString(dir.resolve("local/meta/stats.json")), Files.readString(Path.of(out, "meta/stats.json")));
        assertEquals(List.of("local", "t"), siblings());
    }
}
