package io.smwm.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    static final Map<String, Integer> EXPECTED = Map.of("single", 2, "independent", 4, "coupled", 2,
            "distractor", 2, "combined", 6);
    /** Inverse-model R² from which an action dimension counts as recovered by the latent. */
    static final double LEARNED_R2 = 0.5;

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
        Integer expected = EXPECTED.get(variant);
        if (expected == null) {
            throw new IllegalArgumentException("unknown dot-world variant '" + variant + "'; valid: " + EXPECTED.keySet());
        }
        Path dir = out != null ? out : Path.of("runs", "toy-" + variant + (lambda == null ? "" : "-lambda" + lambda));
        String table = dir.resolve("table").toString();
        Path run = dir.resolve("run");
        boolean transitions = switch (sampling) {
            case "trajectories" -> false;
            case "transitions" -> true;
            default -> throw new IllegalArgumentException("unknown --sampling '" + sampling
                    + "'; valid: trajectories, transitions");
        };
        io.smwm.core.config.ExperimentConfig bundled = io.smwm.core.config.ConfigLoader.forTask("dotworld-" + variant);
        int eps = episodes != null ? episodes : transitions ? 400 * 50 : 400;
        int size = imageSize != null ? imageSize : bundled.model().imageSize();
        String config = "dotworld-" + variant;
        if (size != bundled.model().imageSize()) {
            // the bundled config at another frame size: written next to the table, named in the run's config.yaml
            io.smwm.core.config.ModelConfig m = bundled.model();
            io.smwm.core.config.ExperimentConfig sized = bundled.withModel(new io.smwm.core.config.ModelConfig(size,
                    m.channels(), m.convChannels(), m.latentDim(), m.hidden(), m.actionDim(), m.frameskip(), m.context(),
                    m.centerFrames(), m.coordChannels()));
            java.nio.file.Files.createDirectories(dir);
            Path file = dir.resolve("dotworld-" + variant + "-" + size + "px.yaml");
            java.nio.file.Files.writeString(file, io.smwm.core.config.ConfigLoader.toYaml(sized));
            config = file.toString();
        }
        List<String> gen = new ArrayList<>(List.of("generate", "--env", "dotworld", "--variant", variant,
                "--image-size", String.valueOf(size), "--episodes", String.valueOf(eps),
                "--steps", String.valueOf(transitions ? 1 : steps), "--seed", String.valueOf(seed),
                "--out", table, "--overwrite"));
        if (transitions) {
            gen.addAll(List.of("--param", "start=central", "--frameskip", "1", "--episodes-per-file", "5000"));
        }
        List<String> train = new ArrayList<>(List.of("train", "--data", table, "--out", run.toString(),
                "--config", config, "--epochs", String.valueOf(epochs), "--batch-size", String.valueOf(batchSize),
                "--seed", String.valueOf(seed), "--overwrite"));
        if (master != null) {
            if (!"none".equals(master)) {
                gen.addAll(List.of("--master", master));
            }
            train.addAll(List.of("--master", master));
        }
        if (lambda != null) {
            train.addAll(List.of("--lambda", String.valueOf(lambda)));
        }
        int code = Main.run(gen.toArray(new String[0]));
        if (code == 0) {
            code = Main.run(train.toArray(new String[0]));
        }
        if (code == 0) {
            code = Main.run("diagnose", "--run", run.toString(), "--data", table);
        }
        if (code != 0) {
            return code;
        }
        JsonNode d = new ObjectMapper().readTree(run.resolve("diagnostics").resolve("diagnostics.json").toFile());
        int got = d.get("significant_components").asInt();
        boolean collapsed = d.get("collapsed").asBoolean();
        String verdict = lambda != null && lambda == 0
                ? (collapsed ? "forward-only (λ = 0) collapsed, as in the paper" : "forward-only (λ = 0) did NOT collapse")
                : (got == expected ? "as in the paper" : "NOT the expected count");
        System.out.printf("dotworld %s: %d significant components (controllable dimension %d); latent std %.4f%s: %s%n",
                variant, got, expected, d.get("latent_std_mean").asDouble(), collapsed ? " (collapsed)" : "", verdict);
        JsonNode perDim = d.get("inverse_r2_per_dim");
        if (perDim != null && perDim.isArray()) {
            List<String> r2 = new ArrayList<>();
            int learned = 0;
            for (JsonNode v : perDim) {
                r2.add(String.format(java.util.Locale.ROOT, "%.2f", v.asDouble()));
                if (v.asDouble() >= LEARNED_R2) learned++;
            }
            System.out.printf("  inverse-model R² per action dimension %s: %d of %d controllable action dimensions "
                    + "recovered (R² ≥ %.1f)%n", r2, learned, perDim.size(), LEARNED_R2);
        }
        return 0;
    }
}
