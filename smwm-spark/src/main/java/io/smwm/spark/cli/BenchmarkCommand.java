package io.smwm.spark.cli;

import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.env.catalog.EnvBenchmark;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.plan.LatentModel;
import io.smwm.core.plan.bench.PlanBenchmark;
import io.smwm.core.plan.PlanProblem;
import io.smwm.core.plan.Planner;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.Planners;
import io.smwm.core.plan.WorldModelLatentModel;
import io.smwm.core.train.TrainBenchmark;
import io.smwm.core.util.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
            case "train" -> TrainBenchmark.main(new String[] {"15", "10", batches}); // 3 warm-up steps were not enough
            case "plan" -> plan();
            case "oracle" -> {
                if (data == null) {
                    throw new io.smwm.core.util.UserError("benchmark oracle needs --data TABLE (a reacher table)");
                }
                io.smwm.data.eval.ReacherOracleBenchmark.run(System.out, data, run, episodes, seed);
            }
            default -> throw new IllegalArgumentException("unknown benchmark '" + what
                    + "'; valid: envs, train, plan, averaging, oracle");
        }
        return 0;
    }

    private void plan() {
        WorldModel model;
        if (run != null) {
            model = CheckpointIO.load(run.resolve("checkpoint")).toModel();
        } else {
            ModelConfig mc = ModelConfig.DEFAULT;
            model = WorldModel.of(mc, LossConfig.DEFAULT, Normalizer.identity(mc.actionDim(), mc.frameskip()),
                    WorldModelGraph.build(mc, LossConfig.DEFAULT, 1L).flatParams());
        }
        LatentModel lm = new WorldModelLatentModel(model);
        int m = lm.primitiveActionDim();
        float[] lo = new float[m], hi = new float[m];
        java.util.Arrays.fill(lo, -1f);
        java.util.Arrays.fill(hi, 1f);
        PlannerConfig cfg = PlannerConfig.cem();
        System.out.println("planner " + cfg.toMap());
        System.out.printf("model: latent %d, model action %d; OMP_NUM_THREADS=%s%n", lm.latentDim(),
                lm.modelActionDim(), System.getenv("OMP_NUM_THREADS"));
        double stepFlop = TrainBenchmark.forwardModelFlops(model.config());
        double solveFlop = stepFlop * cfg.samples() * cfg.iterations() * cfg.horizon();
        System.out.printf("forward model: %.3f MFLOP per candidate step; one solve = %d x %d x %d steps = %.2f GFLOP%n",
                stepFlop / 1e6, cfg.samples(), cfg.iterations(), cfg.horizon(), solveFlop / 1e9);
        for (int e : new int[] {1, episodes}) {
            TimedModel timed = new TimedModel(lm);
            Planner p = Planners.create(cfg, timed, lo, hi);
            PlanBenchmark.Timing t = PlanBenchmark.time(p, problems(lm.stateDim(), lm.latentDim(), e), 1, 3);
            double modelShare = timed.nanos / (double) timed.wallNanos();
            System.out.printf("%s = %.1f GFLOP/s; the model's rollouts take %.0f %% of it (%.1f ms per solve), "
                    + "sampling and refits the rest%n", t, solveFlop / 1e9 / (t.msPerSolve() / 1e3),
                    100 * modelShare, modelShare * t.msPerSolve());
        }
    }

    /** Accumulates the wall time spent in {@link LatentModel#rolloutTerminal} between first and last call. */
    private static final class TimedModel implements LatentModel {
        private final LatentModel inner;
        long nanos;
        private long first = -1, last;

        TimedModel(LatentModel inner) {
            this.inner = inner;
        }

        long wallNanos() {
            return last - first;
        }

        @Override public int latentDim() { return inner.latentDim(); }
        @Override public int primitiveActionDim() { return inner.primitiveActionDim(); }
        @Override public int frameskip() { return inner.frameskip(); }
        @Override public int context() { return inner.context(); }
        @Override public float[] encode(List<io.smwm.core.render.RgbImage> frames) { return inner.encode(frames); }
        @Override public float[] unnormalise(float[] a) { return inner.unnormalise(a); }
        @Override public float[] normalise(float[] a) { return inner.normalise(a); }

        @Override
        public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
            long t0 = System.nanoTime();
            if (first < 0) first = t0;
            inner.rolloutTerminal(z0, groups, perGroup, actions, horizon, out);
            last = System.nanoTime();
            nanos += last - t0;
        }
    }

    /** n random problems: start states of {@code sd} = context·d values, goals of d. */
    private static List<PlanProblem> problems(int sd, int d, int n) {
        SplittableRandom r = new SplittableRandom(3);
        List<PlanProblem> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] z0 = new float[sd], g = new float[d];
            for (int j = 0; j < sd; j++) {
                z0[j] = (float) (r.nextDouble() * 2 - 1) * 0.5f;
            }
            for (int j = 0; j < d; j++) {
                g[j] = (float) (r.nextDouble() * 2 - 1) * 0.5f;
            }
            out.add(new PlanProblem(z0, g, null, Seeds.derive(3, "bench", i)));
        }
        return out;
    }
}
