package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smwm train --warm-start CHECKPOINT}: a new run from another run's parameters, under its own config. */
@Tag("spark")
class TrainWarmStartCommandTest {

    @Test
    void warmStart_continuesFromTheCheckpointsParameters_andRefusesWhatItCannotUse(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("dotworld", new EnvConfig("single", 16, List.of(), Map.of()),
                null, 12, 8, 3, 1, 12), table, false);
        String config = new File(getClass().getResource("/tiny-dotworld.yaml").toURI()).getPath();
        Path a = dir.resolve("a"), b = dir.resolve("b");
        CliRun first = CliRun.of("train", "--data", table, "--out", a.toString(), "--config", config, "--epochs", "2",
                "--master", "none");
        assertEquals(0, first.code(), first.err());
        CliRun second = CliRun.of("train", "--data", table, "--out", b.toString(), "--config", config, "--epochs", "1",
                "--lambda", "3", "--master", "none", "--warm-start", a.resolve("checkpoint").toString());
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("warm start from " + a.resolve("checkpoint")), second.out());
        Checkpoint ca = CheckpointIO.load(a.resolve("checkpoint")), cb = CheckpointIO.load(b.resolve("checkpoint"));
        assertEquals(a.resolve("checkpoint").toString(), cb.provenance().parentRun());
        assertEquals(1, cb.provenance().epoch(), "a new run: its own epochs");
        assertEquals(3.0, cb.config().loss().lambda(), "under its own config");
        // one epoch on from the first run's parameters: nearer to them than the first run's initialisation is
        float[] pa = ca.modelParams().toFloatVector(), pb = cb.modelParams().toFloatVector();
        double moved = 0, span = 0;
        for (int i = 0; i < pa.length; i++) moved += Math.abs(pb[i] - pa[i]);
        CliRun scratch = CliRun.of("train", "--data", table, "--out", dir.resolve("s").toString(), "--config", config,
                "--epochs", "1", "--lambda", "3", "--master", "none");
        assertEquals(0, scratch.code(), scratch.err());
        float[] ps = CheckpointIO.load(dir.resolve("s/checkpoint")).modelParams().toFloatVector();
        for (int i = 0; i < pa.length; i++) span += Math.abs(ps[i] - pa[i]);
        assertTrue(moved < span, "warm-started parameters moved " + moved + " from the first run's; a run from "
                + "scratch is " + span + " away");

        CliRun.of("train", "--data", table, "--out", dir.resolve("c").toString(), "--config", config, "--master",
                "none", "--warm-start", dir.resolve("nothing").toString())
                .assertUserError("warm start: no checkpoint at");
        CliRun.of("train", "--data", table, "--out", b.toString(), "--resume", "--master", "local[1]", "--warm-start",
                a.resolve("checkpoint").toString()).assertUserError("choose one");
        assertTrue(Files.notExists(dir.resolve("c/checkpoint")));
    }
}
