package io.smwm.spark.cli;

import io.smwm.core.env.EnvBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smwm benchmark}: printed measurements (never tests): environment speed and data coverage, ... */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure and print: 'envs' = step/render throughput and data coverage of every task; "
                + "'averaging' = parameter-averaging overhead per round on Spark (2 workers, the TwoRoom model).")
final class BenchmarkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WHAT", description = "What to measure: envs, averaging.")
    String what;

    @Option(names = "--episodes", defaultValue = "50", description = "Episodes per measurement (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--steps", defaultValue = "100", description = "Steps per episode (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--master", description = "averaging: Spark master (default: local[2]).")
    String master;

    @Option(names = "--averaging-frequency", defaultValue = "10", description = "averaging: K (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--rounds", defaultValue = "4", description = "averaging: rounds to run (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--batch-size", defaultValue = "64", description = "averaging: batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        switch (what) {
            case "envs" -> EnvBenchmark.run(System.out, episodes, steps);
            case "averaging" -> {
                org.apache.spark.sql.SparkSession spark = SparkSessions.create("smwm benchmark averaging",
                        master == null ? "local[2]" : master);
                try {
                    io.smwm.spark.train.AveragingBenchmark.run(spark, System.out, k, rounds, batchSize);
                } finally {
                    spark.stop();
                }
            }
            default -> throw new IllegalArgumentException("unknown benchmark '" + what + "'; valid: envs, averaging");
        }
        return 0;
    }
}
