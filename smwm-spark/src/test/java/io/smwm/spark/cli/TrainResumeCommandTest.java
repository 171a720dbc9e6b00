package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.train.MetricsLog;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.spark.train.PartitionTrainer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --resume} after a run stopped mid-epoch: it takes the data order from the checkpoint and refuses flags
 * that would change it (a resume without the run's --averaging-frequency used to skip batches, log "train loss NaN,
 * 0 examples/s" and exit 0), refuses another table unless asked, and finds the checkpoint that a kill between the
 * two renames of a save left as .checkpoint.old-* (it used to say "no checkpoint").
 */
@Tag("spark")
class TrainResumeCommandTest {

    private static String table(Path dir, String name, long seed) {
        String t = dir.resolve(name).toString();
        LocalGenerator.generate(new GenerationSpec("dotworld", new EnvConfig("single", 16, List.of(), Map.of()),
                null, 12, 10, seed, 1, 3), t, false);
        return t;
    }

    @Test
    void resumeAfterAStopMidEpoch_usesTheCheckpointsDataOrderAndRefusesConflicts(@TempDir Path dir) throws Exception {
        String t = table(dir, "t", 3), other = table(dir, "other", 4);
        String config = new File(getClass().getResource("/tiny-dotworld.yaml").toURI()).getPath();
        Path run = dir.resolve("run");
        System.setProperty(PartitionTrainer.FAULT_PROPERTY, "2:1:0!"); // every attempt of epoch 2 round 1 fails
        try {
            CliRun stopped = CliRun.of("train", "--data", t, "--out", run.toString(), "--config", config,
                    "--master", "local[2]", "--workers", "2", "--averaging-frequency", "1", "--checkpoint-every", "1");
            assertEquals(CliErrors.FAILURE, stopped.code(), stopped.out() + stopped.err());
            assertTrue(stopped.err().contains("continue with --resume"), stopped.err());
        } finally {
            System.clearProperty(PartitionTrainer.FAULT_PROPERTY);
        }
        Checkpoint ck = CheckpointIO.load(run.resolve("checkpoint"));
        assertEquals(1, ck.provenance().epoch());
        assertEquals(1, ck.provenance().round());
        assertEquals("1", ck.provenance().dataOrder().get("averaging_frequency"), ck.provenance().toString());

        CliRun.of("train", "--data", t, "--out", run.toString(), "--resume", "--master", "local[2]",
                "--averaging-frequency", "10").assertUserError("drop --averaging-frequency 10 (the checkpoint's: 1)");
        CliRun.of("train", "--data", t, "--out", run.toString(), "--resume", "--master", "local[2]",
                "--shuffle-buffer", "7", "--workers", "1").assertUserError("--workers 1 (the checkpoint's: 2)");
        CliRun.of("train", "--data", other, "--out", run.toString(), "--resume", "--master", "local[2]")
                .assertUserError("pass --allow-other-table");

        // a kill between the two renames of the checkpoint's save leaves only the moved-aside copy
        Files.move(run.resolve("checkpoint"), run.resolve(".checkpoint.old-0123"));
        CliRun resumed = CliRun.of("train", "--data", t, "--out", run.toString(), "--resume", "--master", "local[2]");
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("note: recovered"), resumed.out());
        assertTrue(resumed.out().contains("workers=2 K=1") && resumed.out().contains("from epoch 2 round 1"),
                resumed.out());
        assertFalse(Files.exists(run.resolve(".checkpoint.old-0123")));
        List<Map<String, Object>> rows = MetricsLog.read(run.resolve("metrics/metrics.jsonl"));
        assertTrue(rows.stream().filter(r -> "train".equals(r.get("kind")))
                .allMatch(r -> ((Number) r.get("examples")).longValue() > 0), "no empty rounds: " + rows);
        Checkpoint end = CheckpointIO.load(run.resolve("checkpoint"));
        assertEquals(2, end.provenance().epoch());
        assertEquals(0, end.provenance().round());
    }
}
