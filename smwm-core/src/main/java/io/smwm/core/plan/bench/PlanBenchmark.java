package io.smwm.core.plan.bench;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.plan.Planners;
import io.smwm.core.plan.WorldModelLatentModel;
import io.smwm.core.train.TrainBenchmark;
import java.io.PrintStream;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.Planner;
import io.smwm.core.plan.PlanProblem;
import io.smwm.core.plan.LatentModel;
import io.smwm.core.plan.oracle.TwoRoomOracleModel;
import io.smwm.core.util.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times planner solves: one batched call for E episodes (E·N candidates per iteration), repeated after a
 * warm-up. {@link #main} runs the paper's CEM (300 × 30, H = 5) on the exact TwoRoom oracle model, which costs
 * almost nothing per rollout, so it measures the planner's own overhead; pass a real model's adapter to
 * {@link #time} for end-to-end numbers.
 *
 * <p>Usage: {@code java -cp smwm-core.jar io.smwm.core.plan.bench.PlanBenchmark [cem|mppi] [E ...]} (default: cem,
 * E = 1 and 100).
 */
public final class PlanBenchmark {

    /** Timing of one configuration: medians over the timed repeats. */
    public record Timing(String method, int episodes, int repeats, double msPerBatch, double msPerSolve) {
        @Override
        public String toString() {
            return String.format("%s E=%d: %.1f ms per batched call, %.2f ms per solve (median of %d)", method,
                    episodes, msPerBatch, msPerSolve, repeats);
        }
    }

    private PlanBenchmark() {}

    /**
     * Times {@code planner.plan(problems)}: {@code warmup} untimed calls, then {@code repeats} timed ones.
     */
    public static Timing time(Planner planner, List<PlanProblem> problems, int warmup, int repeats) {
        for (int i = 0; i < warmup; i++) {
            planner.plan(problems);
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            planner.plan(problems);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double med = ms[repeats / 2];
        return new Timing(planner.name(), problems.size(), repeats, med, med / problems.size());
    }

    /** E random TwoRoom problems (start and goal positions in the arena), seeded. */
    public static List<PlanProblem> twoRoomProblems(int episodes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<PlanProblem> out = new ArrayList<>(episodes);
        for (int e = 0; e < episodes; e++) {
            float[] z0 = {0.1f + 0.8f * (float) r.nextDouble(), 0.1f + 0.8f * (float) r.nextDouble()};
            float[] g = {0.1f + 0.8f * (float) r.nextDouble(), 0.1f + 0.8f * (float) r.nextDouble()};
            out.add(new PlanProblem(z0, g, null, Seeds.derive(seed, "bench", e)));
        }
        return out;
    }

    public static void main(String[] args) {
        String method = args.length > 0 ? args[0] : "cem";
        int[] sizes = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 100};
        PlannerConfig cfg = "mppi".equals(method) ? PlannerConfig.mppi() : PlannerConfig.cem();
        LatentModel model = new TwoRoomOracleModel();
        System.out.println("planner " + cfg.toMap());
        System.out.println("model: TwoRoom oracle (D=2, k=5, m=2); "
                + Runtime.getRuntime().availableProcessors() + " cores");
        for (int e : sizes) {
            Planner p = Planners.create(cfg, model, new float[] {-1f, -1f}, new float[] {1f, 1f});
            int repeats = Math.max(3, Math.min(50, 200 / e));
            System.out.println(time(p, twoRoomProblems(e, 1L), Math.max(2, repeats / 2), repeats));
        }
    }

    /**
     * Times CEM solves with a world model's forward model (a trained one, or null for a freshly initialised model
     * of the default config) on random latent problems, one at a time and {@code episodes} batched, and prints the
     * throughput and the share of the model's rollouts in it.
     */
    public static void modelReport(PrintStream out, WorldModel trained, int episodes) {
        WorldModel model = trained;
        if (model == null) {
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
        out.println("planner " + cfg.toMap());
        out.printf("model: latent %d, model action %d; OMP_NUM_THREADS=%s%n", lm.latentDim(),
                lm.modelActionDim(), System.getenv("OMP_NUM_THREADS"));
        double stepFlop = TrainBenchmark.forwardModelFlops(model.config());
        double solveFlop = stepFlop * cfg.samples() * cfg.iterations() * cfg.horizon();
        out.printf("forward model: %.3f MFLOP per candidate step; one solve = %d x %d x %d steps = %.2f GFLOP%n",
                stepFlop / 1e6, cfg.samples(), cfg.iterations(), cfg.horizon(), solveFlop / 1e9);
        for (int e : new int[] {1, episodes}) {
            TimedModel timed = new TimedModel(lm);
            Planner p = Planners.create(cfg, timed, lo, hi);
            PlanBenchmark.Timing t = PlanBenchmark.time(p, problems(lm.stateDim(), lm.latentDim(), e), 1, 3);
            double modelShare = timed.nanos / (double) timed.wallNanos();
            out.printf("%s = %.1f GFLOP/s; the model's rollouts take %.0f %% of it (%.1f ms per solve), "
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
