package io.smwm.spark.cli;

import io.smwm.spark.run.RunLock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost: outputs never overlap inputs, train and evaluate write only into new or empty directories or their
 * own kind of output (a run, a report), --overwrite never deletes what the command did not write, and one writer at a
 * time.
 */
@Tag("spark")
class OutputSafetyCommandTest {
    @TempDir
    static Path shared;
    static String table, config;

    @BeforeAll
    static void table() throws Exception {
        table = shared.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of(), Map.of()),
                null, 10, 20, 3, 5, 5), table, false);
        config = new File(OutputSafetyCommandTest.class.getResource("/tiny-tworoom.yaml").toURI()).getPath();
    }

    private static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void trainIntoItsOwnTable_orInsideIt_isRefused() throws Exception {
        // train --data T --out T was accepted, and a later generate --out T --overwrite deleted the run inside
        List<String> before = names(Path.of(table));
        CliRun.of("train", "--data", table, "--out", table, "--config", config, "--master", "none")
                .assertUserError("--out " + table + " overlaps --data " + table + " (the same directory)");
        CliRun.of("train", "--data", table, "--out", table + "/data/run", "--config", config, "--master", "none",
                "--overwrite").assertUserError("it is inside it");
        CliRun.of("train", "--data", table, "--out", shared.toString(), "--config", config, "--master", "none",
                "--overwrite").assertUserError("it contains it");
        Path link = Files.createSymbolicLink(shared.resolve("link"), Path.of(table));
        CliRun.of("train", "--data", table, "--out", link.resolve("r").toString(), "--config", config,
                "--master", "none").assertUserError("overlaps --data");
        assertEquals(before, names(Path.of(table)), "nothing written into the table");
    }

    @Test
    void trainIntoANonEmptyDirectoryThatIsNotARun_isRefusedEvenWithOverwrite(@TempDir Path dir) throws Exception {
        Path precious = Files.createDirectories(dir.resolve("precious"));
        Files.writeString(precious.resolve("keep.txt"), "x");
        CliRun.of("train", "--data", table, "--out", precious.toString(), "--config", config, "--master", "none")
                .assertUserError("is a non-empty directory that is not a run");
        CliRun.of("train", "--data", table, "--out", precious.toString(), "--config", config, "--master", "none",
                "--overwrite").assertUserError("is a non-empty directory that is not a run");
        assertEquals(List.of("keep.txt"), names(precious));
    }

    @Test
    void evaluateIntoANonEmptyDirectory_orOverTheTableOrCheckpoint_isRefused(@TempDir Path dir) throws Exception {
        Path precious = Files.createDirectories(dir.resolve("precious"));
        Files.writeString(precious.resolve("keep.txt"), "x");
        String run = dir.resolve("run").toString();
        CliRun.of("evaluate", "--run", run, "--data", table, "--out", precious.toString(), "--overwrite")
                .assertUserError("is not empty and holds no report.json");
        CliRun.of("evaluate", "--run", run, "--data", table, "--out", table + "/eval")
                .assertUserError("overlaps --data");
        CliRun.of("evaluate", "--run", run, "--data", table, "--out", run)
                .assertUserError("overlaps the checkpoint");
        assertEquals(List.of("keep.txt"), names(precious));
    }

    @Test
    void aRunDirectoryInUse_isRefused(@TempDir Path dir) throws Exception {
        // two trains into one --out at once both exited 0 with interleaved metrics
        Path run = dir.resolve("run");
        try (RunLock held = RunLock.acquire(run, "smwm train (the other one)")) {
            CliRun.of("train", "--data", table, "--out", run.toString(), "--config", config, "--master", "none")
                    .assertUserError("is in use by another smwm process (smwm train (the other one), pid ");
        }
        assertEquals(List.of(RunLock.NAME), names(run), "nothing written by the refused train");
    }

    @Test
    void trainThenOverwrite_replacesTheRun_andGenerateOverwriteKeepsARunInsideATable(@TempDir Path dir)
            throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, CliRun.of("train", "--data", table, "--out", run.toString(), "--config", config,
                "--master", "none").code());
        Files.createDirectories(run.resolve("eval-7"));
        Files.createDirectories(run.resolve(".checkpoint.old-1"));
        CliRun.of("train", "--data", table, "--out", run.toString(), "--config", config, "--master", "none")
                .assertUserError("run " + run + " already exists; pass --overwrite");
        assertEquals(0, CliRun.of("train", "--data", table, "--out", run.toString(), "--config", config,
                "--master", "none", "--overwrite", "--skip-validation").code());
        assertTrue(Files.isDirectory(run.resolve("eval-7")), "other outputs in the run are kept");
        assertFalse(Files.exists(run.resolve(".checkpoint.old-1")), "leftovers of the replaced checkpoint are not");
        // a table that holds a run (as train --data T --out T made them) is not replaced by generate --overwrite
        Path t = dir.resolve("t");
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of(), Map.of()),
                null, 2, 10, 3, 5, 5), t.toString(), false);
        Files.move(run, t.resolve("run"));
        CliRun g = CliRun.of("generate", "--env", "tworoom", "--episodes", "2", "--steps", "10", "--out", t.toString(),
                "--overwrite", "--master", "local[1]");
        g.assertUserError("--overwrite refuses to replace " + t + ": besides the table it holds [run]");
        assertTrue(Files.exists(t.resolve("run/checkpoint/manifest.json")));
    }
}
