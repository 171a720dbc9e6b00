package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.train.LocalTrainer;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.TrajectoryWriter;
import io.smwm.spark.hadoop.FullDiskFileSystem;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to every command, as a hostile but fair user gives it: each is refused with exit 2 and one or two lines
 * that name the problem and the fix (no stack trace, no exception name), before any work and without writing.
 */
@Tag("spark")
class BadInputCommandTest {
    @TempDir
    static Path shared;
    static String table, config;

    @BeforeAll
    static void table() throws Exception {
        table = shared.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of(), Map.of()),
                null, 10, 20, 3, 5, 5), table, false);
        config = new File(BadInputCommandTest.class.getResource("/tiny-tworoom.yaml").toURI()).getPath();
    }

    /** A copy of the shared table in dir. */
    private static String copy(Path dir) throws Exception {
        Path to = dir.resolve("copy");
        try (var w = Files.walk(Path.of(table))) {
            for (Path p : w.toList()) {
                Files.copy(p, to.resolve(Path.of(table).relativize(p).toString()));
            }
        }
        return to.toString();
    }

    /** Rewrites part 0 of a table with episode e's action a_t set to v (the part's checksum file removed). */
    static void setAction(String t, long e, int step, float v) throws Exception {
        Path part = Path.of(t, "data", "part-00000.parquet");
        List<Episode> eps = new ArrayList<>();
        try (TrajectoryReader r = TrajectoryReader.open(t)) {
            for (Iterator<Episode> it = r.episodes(0); it.hasNext(); ) {
                eps.add(it.next());
            }
        }
        eps.stream().filter(x -> x.episodeIndex() == e).findFirst().orElseThrow().actions()[step][0] = v;
        Files.delete(part);
        Files.deleteIfExists(part.resolveSibling(".part-00000.parquet.crc"));
        try (TrajectoryWriter w = TrajectoryWriter.create(new Configuration(), new org.apache.hadoop.fs.Path(part.toUri()))) {
            for (Episode x : eps) {
                w.write(x);
            }
        }
    }

    @Test
    void badMasterUrl_isOneLineInsteadOfASparkStackTrace(@TempDir Path dir) {
        // was: a 24-line Spark trace and exit 1
        CliRun.of("generate", "--env", "tworoom", "--episodes", "2", "--steps", "10", "--out",
                dir.resolve("x").toString(), "--master", "bogus[3").assertUserError("--master 'bogus[3' is not a Spark master URL");
        CliRun.of("train", "--data", table, "--out", dir.resolve("r").toString(), "--master", "local[0]")
                .assertUserError("local[N]");
        assertFalse(Files.exists(dir.resolve("x")) || Files.exists(dir.resolve("r")));
    }

    @Test
    void negativeOrZeroNumbers_areNamedByTheirFlag(@TempDir Path dir) {
        // was: "NegativeArraySizeException: -3" for --goal-offset -3
        String run = dir.resolve("run").toString();
        CliRun.of("evaluate", "--run", run, "--data", table, "--goal-offset", "-3").assertUserError("--goal-offset must be in [1, ");
        CliRun.of("evaluate", "--run", run, "--data", table, "--goal-offsets", "25,0").assertUserError("--goal-offsets entries");
        CliRun.of("evaluate", "--run", run, "--data", table, "--episodes", "0").assertUserError("--episodes must be in [1, ");
        CliRun.of("evaluate", "--run", run, "--data", table, "--budget", "-1").assertUserError("--budget must be in [1, ");
        CliRun.of("diagnose", "--run", run, "--data", table, "--samples", "0").assertUserError("--samples must be >= 1");
        CliRun.of("train", "--data", table, "--out", run, "--master", "none", "--shuffle-buffer", "0")
                .assertUserError("--shuffle-buffer must be >= 1");
        CliRun.of("train", "--data", table, "--out", run, "--master", "none", "--config", config, "--epochs", "0")
                .assertUserError("train.epochs must be >= 1, got 0");
        CliRun.of("train", "--data", table, "--out", run, "--workers", "0", "--master", "local[1]", "--config", config)
                .assertUserError("--workers must be in [1, 10000]");
        assertFalse(Files.exists(dir.resolve("run/checkpoint")));
    }

    @Test
    void hugeNumbers_areRefusedInsteadOfRunningOutOfMemory(@TempDir Path dir) {
        // evaluate --samples 100000000 died with OutOfMemoryError, generate --steps 2000000000 killed its JVM (exit 52)
        String run = dir.resolve("run").toString();
        CliRun.of("evaluate", "--run", run, "--data", table, "--samples", "100000000")
                .assertUserError("planner.samples must be in [2, 10000], got 100000000");
        CliRun.of("evaluate", "--run", run, "--data", table, "--episodes", "100000", "--samples", "1000")
                .assertUserError("--episodes x --samples = 100000000 candidate plans");
        CliRun.of("generate", "--env", "tworoom", "--episodes", "2", "--steps", "2000000000", "--out",
                dir.resolve("g").toString()).assertUserError("generate.steps must be in [1, 1000000], got 2000000000");
        CliRun.of("train", "--data", table, "--out", run, "--master", "none", "--config", config, "--batch-size",
                "100000000").assertUserError("train.batchSize must be in [1, 65536], got 100000000");
        CliRun.of("inspect", dir.resolve("missing").toString()).assertUserError("the path does not exist");
        assertFalse(Files.exists(dir.resolve("run")) || Files.exists(dir.resolve("g")));
    }

    @Test
    void hugeModelConfig_namesTheKeyInsteadOfNegativeArraySize(@TempDir Path dir) throws Exception {
        // was: "NegativeArraySizeException: -727379968" after training had started
        Path big = Files.writeString(dir.resolve("big.yaml"), Files.readString(Path.of(config))
                .replace("hidden: 16", "hidden: 1000000"));
        CliRun.of("train", "--data", table, "--out", dir.resolve("r").toString(), "--config", big.toString(),
                "--master", "none").assertUserError("model.hidden must be in [1, 65536], got 1000000");
        assertFalse(Files.exists(dir.resolve("r")));
    }

    @Test
    void nanActionInAValidationEpisode_isRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        // was: "validation loss NaN" and exit 0
        String t = copy(dir);
        setAction(t, 1, 3, Float.NaN);
        CliRun.of("train", "--data", t, "--out", dir.resolve("r").toString(), "--config", config, "--master", "none")
                .assertUserError("NON_FINITE_VALUE x1 (episode 1 frame 3");
        assertFalse(Files.exists(dir.resolve("r/checkpoint")) || Files.exists(dir.resolve("r/metrics")));
    }

    @Test
    void statsWithStdZero_andDuplicatedEpisodes_areRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        // was: validated OK and trained at loss 5e5
        String t = copy(dir);
        Path stats = Path.of(t, "meta/stats.json");
        String s = Files.readString(stats);
        Files.writeString(stats, s.replaceFirst("(?s)(\"action\"\\s*:\\s*\\{.*?\"std\"\\s*:\\s*\\[\\s*)[-0-9.Ee]+",
                "$10.0"));
        Files.deleteIfExists(Path.of(t, "meta/.stats.json.crc"));
        CliRun.of("train", "--data", t, "--out", dir.resolve("r").toString(), "--config", config, "--master", "none")
                .assertUserError("STATS_MISMATCH x1 (action std[0] is 0.0 in meta/stats.json");
        Files.writeString(stats, s);
        Files.copy(Path.of(t, "data/part-00000.parquet"), Path.of(t, "data/part-00001.parquet"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(Path.of(t, "data/.part-00001.parquet.crc"));
        CliRun.of("evaluate", "--run", dir.resolve("r").toString(), "--data", t, "--skip-validation")
                .assertUserError("no checkpoint at");
        CliRun.of("train", "--data", t, "--out", dir.resolve("r").toString(), "--config", config, "--master", "none")
                .assertUserError("EPISODE_INTERLEAVED");
        assertFalse(Files.exists(dir.resolve("r/checkpoint")));
    }

    @Test
    void nanWeightInACheckpoint_isRefusedByEvaluate(@TempDir Path dir) throws Exception {
        // was: evaluated to 0 % success with exit 0
        var cfg = ConfigLoader.load(Path.of(config));
        Checkpoint c;
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            c = new LocalTrainer(cfg, TrainingData.normalizer(r.stats(), cfg), null, r.metadata().fingerprint(), "")
                    .checkpoint(1);
        }
        c.params().putScalar(5, Float.NaN);
        CheckpointIO.save(c, dir.resolve("run/checkpoint"), false);
        CliRun.of("evaluate", "--run", dir.resolve("run").toString(), "--data", table, "--episodes", "2",
                "--goal-offset", "10").assertUserError("has a non-finite value (NaN at index 5)");
        assertFalse(Files.exists(dir.resolve("run/eval/report.json")));
    }

    @Test
    void fullDiskDuringGenerate_isOneLineAndLeavesNoStaging(@TempDir Path dir) throws Exception {
        // was: 199 lines of task traces, exit 1, and the hidden staging folder stayed
        System.setProperty("spark.hadoop.fs." + FullDiskFileSystem.SCHEME + ".impl", FullDiskFileSystem.class.getName());
        System.setProperty("spark.hadoop.fs." + FullDiskFileSystem.SCHEME + ".impl.disable.cache", "true");
        try {
            CliRun.of("generate", "--env", "tworoom", "--episodes", "8", "--steps", "20", "--image-size", "16",
                    "--episodes-per-file", "2", "--out", FullDiskFileSystem.SCHEME + "://" + dir.resolve("t"),
                    "--master", "local[2]").assertUserError("no space left on the device while writing the table");
        } finally {
            System.clearProperty("spark.hadoop.fs." + FullDiskFileSystem.SCHEME + ".impl");
            System.clearProperty("spark.hadoop.fs." + FullDiskFileSystem.SCHEME + ".impl.disable.cache");
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "no table and no staging directory left");
        }
    }

    @Test
    void verbose_keepsTheStackTrace(@TempDir Path dir) {
        CliRun r = CliRun.of("--verbose", "evaluate", "--run", dir.toString(), "--data", table, "--goal-offset", "-3");
        assertEquals(CliErrors.USER_ERROR, r.code());
        assertTrue(r.err().contains("\tat io.smwm.spark.cli.EvaluateCommand"), r.err());
    }
}
