package io.smwm.core.plan.bench;

import io.smwm.core.plan.Planners;
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
}
