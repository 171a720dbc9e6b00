package io.smwm.spark.cli;

import io.smwm.spark.run.SparkSessions;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.env.catalog.EnvBenchmark;
import io.smwm.core.plan.bench.PlanBenchmark;
import io.smwm.core.train.TrainBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smwm benchmark}: printed measurements (never tests). */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure and print:",
                "  envs  step/render throughput and data coverage of every task",
                "  train training throughput (transitions/s) and GFLOP/s of the default model at batch 64 and 256",
                "  plan  time per CEM solve (300 samples x 30 iterations x horizon 5) with the default model",
                "  averaging  parameter-averaging overhead per round on Spark (2 workers, the TwoRoom model)",
                "  oracle  Reacher planning with a perfect model that sees one frame vs one that also sees the frame",
                "          one model step back (--data TABLE: its held-out pairs; --run RUN: that run's split)"})
final class BenchmarkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WHAT", description = "envs, train, plan, averaging or oracle.")
    String what;

    @Option(names = "--episodes", defaultValue = "50", description = "envs: episodes per measurement; plan: episodes planned per batched call; oracle: pairs (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--steps", defaultValue = "100", description = "envs: steps per episode (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batches", defaultValue = "64,256", description = "train: batch sizes (default: ${DEFAULT-VALUE}).")
    String batches;

    @Option(names = "--config",
            description = "train: a bundled config (e.g. reacher-full) or a YAML file whose model and λ to time instead "
                    + "of the default.")
    String config;

    @Option(names = "--run", description = "plan: use this run's trained model instead of a freshly initialised default model (same cost); oracle: use this run's episode split.")
    Path run;

    @Option(names = "--data", description = "oracle: the Reacher table whose held-out pairs to plan on.")
    String data;

    @Option(names = "--seed", defaultValue = "7", description = "oracle: evaluation seed (default: ${DEFAULT-VALUE}).")
    long seed;

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
            // 15 warm-up steps: 3 were not enough
            case "train" -> TrainBenchmark.main(config == null ? new String[] {"15", "10", batches}
                    : new String[] {"15", "10", batches, "2", "4", config});
            case "plan" -> plan();
            case "oracle" -> {
                if (data == null) {
                    throw new io.smwm.core.util.UserError("benchmark oracle needs --data TABLE (a reacher or cube "
                            + "table)");
                }
                io.smwm.data.eval.OracleBenchmark.run(System.out, data, run, episodes, seed);
            }
            default -> throw new IllegalArgumentException("unknown benchmark '" + what
                    + "'; valid: envs, train, plan, averaging, oracle");
        }
        return 0;
    }

    private void plan() {
        PlanBenchmark.modelReport(System.out, run == null ? null : CheckpointIO.load(run.resolve("checkpoint")).toModel(),
                episodes);
    }
}
