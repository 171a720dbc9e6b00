package io.smwm.spark.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code smwm quickstart}: the whole pipeline on one machine: generate a small TwoRoom table on embedded Spark,
 * train a world model on it, evaluate planning toward goal images against the random policy, print the table.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate a small TwoRoom table, train, evaluate (SMWM vs random) and print the success table.")
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/quickstart", description = "Where everything lands: OUT/table, OUT/run (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--episodes", defaultValue = "300", description = "TwoRoom episodes to generate (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--epochs", defaultValue = "2", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--eval-episodes", defaultValue = "50", description = "Start/goal pairs to evaluate (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--seed", defaultValue = "7", description = "Root seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an earlier quickstart under --out.")
    boolean overwrite;

    @Override
    public Integer call() {
        String table = out.resolve("table").toString();
        Path run = out.resolve("run");
        boolean haveTable = Files.isDirectory(out.resolve("table"));
        int code = 0;
        if (!haveTable || overwrite) {
            java.util.List<String> gen = new java.util.ArrayList<>(java.util.List.of("generate", "--env", "tworoom",
                    "--episodes", String.valueOf(episodes), "--steps", "100", "--seed", String.valueOf(seed),
                    "--out", table));
            if (overwrite) {
                gen.add("--overwrite");
            }
            code = step("1/3 generate", gen.toArray(new String[0]));
        } else {
            System.out.println("== 1/3 generate: reusing " + table + " (pass --overwrite to regenerate)");
        }
        if (code == 0) {
            code = step("2/3 train", "train", "--data", table, "--out", run.toString(), "--config", "tworoom",
                    "--epochs", String.valueOf(epochs), "--batch-size", "64", "--seed", String.valueOf(seed),
                    "--overwrite");
        }
        if (code == 0) {
            code = step("3/3 evaluate", "evaluate", "--run", run.toString(), "--data", table, "--episodes",
                    String.valueOf(evalEpisodes), "--seed", String.valueOf(seed), "--overwrite");
        }
        return code;
    }

    private static int step(String title, String... args) {
        System.out.println("== " + title);
        // the same CLI, so each step behaves exactly as when run on its own
        return Main.run(args);
    }
}
