package io.smwm.core.env.catalog;

import io.smwm.core.env.distractor.Distractors;
import io.smwm.core.env.Environment;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.BehaviourPolicy;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures each task's step+render throughput (64x64 unless asked otherwise) with its data policy, render-only
 * throughput, and the data coverage of that policy ({@link Coverages}), and prints one line per task.
 * Run with {@code ./smwm benchmark envs}.
 */
public final class EnvBenchmark {
    private EnvBenchmark() {}

    /** One task's numbers. */
    public record Result(String env, String distractors, double stepsPerSecond, double renderPerSecond,
                         Map<String, Double> coverage) {}

    /** Runs {@code episodes} episodes of {@code steps} steps with the task's default policy. */
    public static Result measure(String id, List<String> distractors, int episodes, int steps) {
        Environment env = Environments.create(id, EnvConfig.defaults().withDistractors(distractors));
        BehaviourPolicy p = Environments.policy(id, null);
        long t0 = System.nanoTime();
        List<float[][]> states = Coverages.rollout(env, p, episodes, steps);
        double sps = episodes * (double) steps / ((System.nanoTime() - t0) / 1e9);
        int n = 2000;
        long r0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            env.render();
        }
        double rps = n / ((System.nanoTime() - r0) / 1e9);
        return new Result(id, String.join(",", distractors), sps, rps,
                Coverages.of(id, env.spec().variant(), states));
    }

    /** Prints a table over every registered task, without and with all distractors. */
    public static void run(PrintStream out, int episodes, int steps) {
        out.printf(Locale.ROOT, "%-10s %-32s %12s %12s  %s%n", "env", "distractors", "steps/s", "renders/s",
                "coverage (" + episodes + " episodes x " + steps + " steps, default policy)");
        for (String id : Environments.ids()) {
            for (List<String> d : List.of(List.<String>of(), Distractors.NAMES)) {
                measure(id, d, Math.max(1, episodes / 5), steps); // warm-up
                Result r = measure(id, d, episodes, steps);
                out.printf(Locale.ROOT, "%-10s %-32s %12.0f %12.0f  %s%n", r.env(),
                        r.distractors().isEmpty() ? "-" : r.distractors(), r.stepsPerSecond(), r.renderPerSecond(),
                        d.isEmpty() ? r.coverage() : "");
            }
        }
    }
}
