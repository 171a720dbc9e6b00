package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.smwm.core.config.ConfigOverrides;
import io.smwm.spark.run.EvaluationRequest;
import io.smwm.spark.run.Quickstart;
import io.smwm.spark.run.TrainRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** quickstart's --env: what each task's pipeline runs, without running it; and train's config chosen by env. */
@Tag("spark")
class QuickstartCommandTest {

    private static QuickstartCommand parse(String... args) {
        QuickstartCommand c = new QuickstartCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void defaultEnv_isTworoom_withTodaysSteps(@TempDir Path dir) throws Exception {
        QuickstartCommand c = parse("--overwrite");
        assertEquals("tworoom", c.env);
        Quickstart.Plan p = c.plan();
        assertEquals(Path.of("runs/quickstart"), p.dir());
        GenerationSpec g = p.generation();
        assertEquals(List.of("tworoom", "default", 64, 300L, 100, 7L, 5, 50), List.of(g.envId(),
                g.envConfig().variant(), g.envConfig().imageSize(), g.episodes(), g.steps(), g.seed(), g.frameskip(),
                g.episodesPerFile()));
        assertNull(g.policy(), "the task's own data policy");
        TrainRequest t = p.train();
        assertEquals("runs/quickstart/table", t.data());
        assertEquals(Path.of("runs/quickstart/run"), t.out());
        assertEquals("tworoom", t.config());
        assertEquals(new ConfigOverrides(null, 2, 64, 7L, null, null), t.overrides());
        assertTrue(t.overwrite() && !t.resume() && t.master() == null && t.averageUpdater());
        EvaluationRequest e = p.evaluation();
        assertEquals(List.of(Path.of("runs/quickstart/run"), "runs/quickstart/table", 50, List.of(25), 5, 7L, "cem"),
                List.of(e.run(), e.data(), e.episodes(), e.goalOffsets(), e.executeSteps(), e.seed(),
                        e.planner().method()));
        assertTrue(e.overwrite() && e.master() == null && e.budget() == null);

        Path reuse = dir.resolve("q");
        Files.createDirectories(reuse.resolve("table"));
        assertNull(parse("--out", reuse.toString()).plan().generation(), "an existing table is reused");
        assertNotNull(parse("--out", reuse.toString(), "--overwrite").plan().generation());
    }

    @Test
    void env_generatesThatTask_andTrainsWithItsBundledConfigWhenThereIsOne() {
        for (String env : List.of("pusht", "cube", "reacher")) {
            Quickstart.Plan p = parse("--env", env, "--overwrite").plan();
            assertEquals(Path.of("runs/quickstart-" + env), p.dir());
            assertEquals(env, p.generation().envId());
            assertNull(p.generation().policy(), "default policy");
            assertEquals("runs/quickstart-" + env + "/table", p.train().data());
            boolean bundled = ConfigLoader.BUNDLED_TASKS.contains(env);
            assertEquals(bundled ? env : null, p.train().config(), env);
        }
        assertTrue(ConfigLoader.BUNDLED_TASKS.containsAll(List.of("reacher", "pusht", "cube")));
        for (String env : List.of("reacher", "cube")) {
            Quickstart.Plan p = parse("--env", env, "--overwrite").plan();
            assertEquals(600, p.generation().episodes(), env + "'s larger default");
            assertEquals(3, p.train().overrides().epochs(), env);
            assertEquals(3, ConfigLoader.forTask(env).train().epochs(), "the config's own schedule, unchanged");
        }
        assertEquals(300, parse("--env", "pusht", "--overwrite").plan().generation().episodes());
        Quickstart.Plan given = parse("--env", "reacher", "--episodes", "40", "--epochs", "1", "--overwrite").plan();
        assertEquals(40, given.generation().episodes(), "an explicit size wins");
        assertEquals(1, given.train().overrides().epochs());
        assertEquals(Path.of("elsewhere"), parse("--env", "cube", "--out", "elsewhere").plan().dir());
    }

    @Test
    void unknownEnv_isAUserErrorListingTheValidOnes(@TempDir Path dir) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run("quickstart", "--env", "dotworld", "--out", dir.resolve("q").toString());
        } finally {
            System.setErr(oldErr);
        }
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(CliErrors.USER_ERROR, code, msg);
        assertTrue(msg.contains("unknown --env 'dotworld'") && msg.contains("tworoom, reacher, pusht, cube"), msg);
        assertFalse(Files.exists(dir.resolve("q")), "nothing generated for a refused task");
    }

    @Test
    void train_withoutConfig_picksTheBundledConfigOfTheTablesEnv(@TempDir Path dir) throws Exception {
        for (String env : List.of("pusht", "cube")) {
            String table = dir.resolve(env).toString();
            LocalGenerator.generate(new GenerationSpec(env, new EnvConfig("default", 16, List.of(), Map.of()), null,
                    2, 5, 1, 5, 2), table, false);
            TableMetadata meta;
            try (TrajectoryReader r = TrajectoryReader.open(table)) {
                meta = r.metadata();
            }
            ExperimentConfig cfg = io.smwm.spark.run.TrainRun.resolveConfig(null, meta);
            assertEquals(ConfigLoader.forTask(env), cfg, env);
        }
    }
}
