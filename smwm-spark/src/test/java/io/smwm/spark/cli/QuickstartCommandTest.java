package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** quickstart's --env: what each task's pipeline runs, without running it; and train's config chosen by env. */
class QuickstartCommandTest {

    private static QuickstartCommand parse(String... args) {
        QuickstartCommand c = new QuickstartCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    private static List<List<String>> commands(QuickstartCommand c) {
        return c.plan(true).stream().map(QuickstartCommand.Step::args).toList();
    }

    @Test
    void defaultEnv_isTworoom_withTodaysCommandLines() {
        QuickstartCommand c = parse();
        assertEquals("tworoom", c.env);
        assertEquals(Path.of("runs/quickstart"), c.outDir());
        assertEquals(List.of(
                List.of("generate", "--env", "tworoom", "--episodes", "300", "--steps", "100", "--seed", "7", "--out",
                        "runs/quickstart/table"),
                List.of("train", "--data", "runs/quickstart/table", "--out", "runs/quickstart/run", "--config",
                        "tworoom", "--epochs", "2", "--batch-size", "64", "--seed", "7", "--overwrite"),
                List.of("evaluate", "--run", "runs/quickstart/run", "--data", "runs/quickstart/table", "--episodes",
                        "50", "--seed", "7", "--overwrite")), commands(c));
        assertEquals(List.of("2/3 train", "3/3 evaluate"),
                c.plan(false).stream().map(QuickstartCommand.Step::title).toList(), "an existing table is reused");
    }

    @Test
    void env_generatesThatTask_andTrainsWithItsBundledConfigWhenThereIsOne() {
        for (String env : List.of("pusht", "cube", "reacher")) {
            QuickstartCommand c = parse("--env", env, "--overwrite");
            assertEquals(Path.of("runs/quickstart-" + env), c.outDir());
            List<List<String>> cmds = commands(c);
            List<String> gen = cmds.get(0), train = cmds.get(1);
            assertEquals(List.of("generate", "--env", env), gen.subList(0, 3), "default policy: no --policy");
            assertFalse(gen.contains("--policy"));
            assertTrue(gen.contains("runs/quickstart-" + env + "/table") && gen.contains("--overwrite"), gen.toString());
            boolean bundled = ConfigLoader.BUNDLED_TASKS.contains(env);
            assertEquals(bundled, train.contains("--config"), env + ": " + train);
            if (bundled) {
                assertEquals(env, train.get(train.indexOf("--config") + 1));
            }
        }
        assertTrue(ConfigLoader.BUNDLED_TASKS.containsAll(List.of("reacher", "pusht", "cube")));
        List<List<String>> reacher = commands(parse("--env", "reacher", "--overwrite"));
        assertEquals("600", reacher.get(0).get(reacher.get(0).indexOf("--episodes") + 1), "reacher's larger default");
        assertEquals("3", reacher.get(1).get(reacher.get(1).indexOf("--epochs") + 1));
        List<List<String>> given = commands(parse("--env", "reacher", "--episodes", "40", "--epochs", "1"));
        assertEquals("40", given.get(0).get(given.get(0).indexOf("--episodes") + 1), "an explicit size wins");
        assertEquals("1", given.get(1).get(given.get(1).indexOf("--epochs") + 1));
        QuickstartCommand c = parse("--env", "cube", "--out", "elsewhere");
        assertEquals(Path.of("elsewhere"), c.outDir());
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
            ExperimentConfig cfg = TrainCommand.resolve(null, meta);
            assertEquals(ConfigLoader.forTask(env), cfg, env);
        }
    }
}
