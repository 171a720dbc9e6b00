package io.smwm.spark.cli;

import io.smwm.core.env.EnvBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smwm benchmark}: printed measurements (never tests): environment speed and data coverage, ... */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure and print: 'envs' = step/render throughput and data coverage of every task.")
final class BenchmarkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WHAT", description = "What to measure: envs.")
    String what;

    @Option(names = "--episodes", defaultValue = "50", description = "Episodes per measurement (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--steps", defaultValue = "100", description = "Steps per episode (default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() {
        switch (what) {
            case "envs" -> EnvBenchmark.run(System.out, episodes, steps);
            default -> throw new IllegalArgumentException("unknown benchmark '" + what + "'; valid: envs");
        }
        return 0;
    }
}
