package io.smwm.spark.cli;

import io.smwm.core.config.ConfigLoader;
import io.smwm.core.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code smwm quickstart}: the whole pipeline on one machine: generate a small table of one task with its default
 * data policy on embedded Spark, train a world model on it, evaluate planning toward goal images against the
 * random policy, print the table.
 *
 * <p>Training uses the bundled config named like the task ({@code --config <env>}) when there is one, else no
 * {@code --config}: train then picks the defaults sized to the table. TwoRoom runs exactly as it always has: its
 * table, {@code --config tworoom}, output under {@value #TWOROOM_OUT}.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate a small table (TwoRoom by default), train, evaluate (SMWM vs random) and print the "
                + "success table.")
final class QuickstartCommand implements Callable<Integer> {
    /** The tasks the quickstart runs, the first the default. */
    static final List<String> ENVS = List.of("tworoom", "reacher", "pusht", "cube");
    static final String TWOROOM_OUT = "runs/quickstart";

    @Option(names = "--env", defaultValue = "tworoom", description = "Task: tworoom, reacher, pusht or cube "
            + "(default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--out", description = "Where everything lands: OUT/table, OUT/run (default: " + TWOROOM_OUT
            + " for tworoom, runs/quickstart-<env> otherwise).")
    Path out;

    /**
     * Episodes and epochs per task when not given: 300 × 2 for TwoRoom, Push-T and Cube; Reacher needs more data
     * and training to plan above random (600 × 3, about 12 minutes on 2 cores).
     */
    static final Map<String, int[]> SIZE = Map.of("tworoom", new int[] {300, 2}, "reacher", new int[] {600, 3},
            "pusht", new int[] {300, 2}, "cube", new int[] {300, 2});

    @Option(names = "--episodes", description = "Episodes to generate (default: 300; 600 for reacher).")
    Integer episodes;

    @Option(names = "--epochs", description = "Training epochs (default: 2; 3 for reacher).")
    Integer epochs;

    @Option(names = "--eval-episodes", defaultValue = "50", description = "Start/goal pairs to evaluate (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--seed", defaultValue = "7", description = "Root seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an earlier quickstart under --out.")
    boolean overwrite;

    /** One step of the pipeline: its title and the command line it runs. */
    record Step(String title, List<String> args) {}

    /**
     * The output directory: {@code --out}, else {@value #TWOROOM_OUT} for tworoom and runs/quickstart-ENV
     * otherwise.
     */
    Path outDir() {
        return out != null ? out : Path.of("tworoom".equals(env) ? TWOROOM_OUT : "runs/quickstart-" + env);
    }

    /**
     * The generate, train and evaluate command lines; generate only when {@code generate} is set.
     *
     * @throws UserError if {@code --env} is not one of {@link #ENVS}
     */
    List<Step> plan(boolean generate) {
        if (!ENVS.contains(env)) {
            throw new UserError("unknown --env '" + env + "' for quickstart; valid: " + String.join(", ", ENVS));
        }
        Path dir = outDir();
        String table = dir.resolve("table").toString();
        String run = dir.resolve("run").toString();
        List<Step> steps = new ArrayList<>();
        if (generate) {
            List<String> gen = new ArrayList<>(List.of("generate", "--env", env, "--episodes", String.valueOf(
                    episodes != null ? episodes : SIZE.get(env)[0]),
                    "--steps", "100", "--seed", String.valueOf(seed), "--out", table));
            if (overwrite) {
                gen.add("--overwrite");
            }
            steps.add(new Step("1/3 generate", gen));
        }
        List<String> train = new ArrayList<>(List.of("train", "--data", table, "--out", run));
        if (ConfigLoader.BUNDLED_TASKS.contains(env)) {
            train.addAll(List.of("--config", env));
        }
        train.addAll(List.of("--epochs", String.valueOf(epochs != null ? epochs : SIZE.get(env)[1]),
                "--batch-size", "64", "--seed", String.valueOf(seed),
                "--overwrite"));
        steps.add(new Step("2/3 train", train));
        steps.add(new Step("3/3 evaluate", List.of("evaluate", "--run", run, "--data", table, "--episodes",
                String.valueOf(evalEpisodes), "--seed", String.valueOf(seed), "--overwrite")));
        return steps;
    }

    @Override
    public Integer call() {
        boolean haveTable = Files.isDirectory(outDir().resolve("table"));
        List<Step> steps = plan(!haveTable || overwrite);
        if (haveTable && !overwrite) {
            System.out.println("== 1/3 generate: reusing " + outDir().resolve("table")
                    + " (pass --overwrite to regenerate)");
        }
        int code = 0;
        for (Step s : steps) {
            System.out.println("== " + s.title());
            // the same CLI, so each step behaves exactly as when run on its own
            code = Main.run(s.args().toArray(new String[0]));
            if (code != 0) {
                break;
            }
        }
        return code;
    }
}
