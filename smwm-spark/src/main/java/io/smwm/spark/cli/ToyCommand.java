package io.smwm.spark.cli;

import io.smwm.core.util.UserError;
import io.smwm.spark.run.ToyStudy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code smwm toy}: the paper's representation experiment on the dot world in one command: generate a table of
 * the variant, train (on Spark), diagnose, and compare the number of significant principal components of z with
 * the controllable dimension (the paper's representation analysis: single 2, independent 4, coupled 2, distractor 2, combined 6).
 */
@Command(name = "toy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Dot-world representation experiment: generate, train, diagnose; compare significant components with the controllable dimension.")
final class ToyCommand implements Callable<Integer> {
    @Option(names = "--variant", required = true, description = "single, independent, coupled, distractor or combined.")
    String variant;

    @Option(names = "--lambda", description = "Inverse-loss weight (default: the bundled config's; 0 = forward-only).")
    Double lambda;

    @Option(names = "--episodes", description = "Episodes (default: 400 of --steps steps; with --sampling transitions, 20000 "
            + "one-transition episodes: the same 20,000 transitions).")
    Integer episodes;

    @Option(names = "--steps", defaultValue = "50", description = "Steps per episode (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--epochs", defaultValue = "10", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--sampling", defaultValue = "trajectories", description = "trajectories: episodes of --steps "
            + "steps from starts anywhere (default); transitions: the paper's toy data, independent one-step "
            + "transitions from central starts (dotworld start=central), --episodes of them.")
    String sampling;

    @Option(names = "--image-size", description = "Frame side in pixels (default: the bundled config's, 32; the paper's is 64).")
    Integer imageSize;

    @Option(names = "--batch-size", defaultValue = "64", description = "Training batch size (default: ${DEFAULT-VALUE}; the paper's is 256).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "11", description = "Root seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--master", description = "Spark master for generation and training (default: local[*]; none = single JVM training).")
    String master;

    @Option(names = "--out", description = "Directory for table/ and run/ (default: runs/toy-VARIANT[-lambdaL]).")
    Path out;

    @Override
    public Integer call() throws Exception {
        boolean transitions = switch (sampling) {
            case "trajectories" -> false;
            case "transitions" -> true;
            default -> throw new UserError("unknown --sampling '" + sampling + "'; valid: trajectories, transitions");
        };
        Path dir = out != null ? out : Path.of("runs", "toy-" + variant + (lambda == null ? "" : "-lambda" + lambda));
        ToyStudy.Outcome o = ToyStudy.run(new ToyStudy.Settings(variant, dir, transitions, episodes, steps, epochs,
                imageSize, batchSize, lambda, seed, master), System.out::println);
        int got = o.significantComponents(), expected = o.expected();
        String verdict = lambda != null && lambda == 0
                ? (o.collapsed() ? "forward-only (λ = 0) collapsed, as in the paper" : "forward-only (λ = 0) did NOT collapse")
                : (got == expected ? "as in the paper" : "NOT the expected count");
        System.out.printf("dotworld %s: %d significant components (controllable dimension %d); latent std %.4f%s: %s%n",
                variant, got, expected, ((Number) o.diagnostics().get("latent_std_mean")).doubleValue(),
                o.collapsed() ? " (collapsed)" : "", verdict);
        double[] perDim = o.inverseR2PerDim();
        if (perDim != null) {
            List<String> r2 = new ArrayList<>();
            int learned = 0;
            for (double v : perDim) {
                r2.add(String.format(Locale.ROOT, "%.2f", v));
                if (v >= ToyStudy.LEARNED_R2) learned++;
            }
            System.out.printf("  inverse-model R² per action dimension %s: %d of %d controllable action dimensions "
                    + "recovered (R² ≥ %.1f)%n", r2, learned, perDim.length, ToyStudy.LEARNED_R2);
        }
        return 0;
    }
}
