package io.smwm.spark.run;

import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ConfigOverrides;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.util.UserError;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.spark.generate.DistributedGenerator;
import io.smwm.spark.train.AveragingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The paper's representation experiment on the dot world: generate a table of one variant, train on it, diagnose,
 * and compare the number of significant principal components of z with the controllable dimension (single 2,
 * independent 4, coupled 2, distractor 2, combined 6).
 */
public final class ToyStudy {
    /** The controllable dimension of each dot-world variant: the number of significant components expected. */
    public static final Map<String, Integer> EXPECTED = Map.of("single", 2, "independent", 4, "coupled", 2,
            "distractor", 2, "combined", 6);
    /** Inverse-model R² from which an action dimension counts as recovered by the latent. */
    public static final double LEARNED_R2 = 0.5;

    /**
     * The study's settings.
     *
     * @param transitions the paper's toy data (independent one-step transitions from central starts) instead of
     *                    trajectories of {@code steps} steps from starts anywhere
     * @param episodes    null: 400 trajectories, or 20,000 one-transition episodes
     * @param imageSize   null: the bundled config's
     * @param lambda      null: the bundled config's
     * @param master      Spark master for generation and training; "none" trains in this JVM
     */
    public record Settings(String variant, Path dir, boolean transitions, Integer episodes, int steps, int epochs,
                           Integer imageSize, int batchSize, Double lambda, long seed, String master) {}

    /** What the study found: the diagnostics by key and the expected count. */
    public record Outcome(Map<String, Object> diagnostics, int expected) {
        public int significantComponents() { return ((Number) diagnostics.get("significant_components")).intValue(); }

        public boolean collapsed() { return Boolean.TRUE.equals(diagnostics.get("collapsed")); }

        /** The inverse model's R² per action dimension, or null when not measured. */
        public double[] inverseR2PerDim() {
            return diagnostics.get("inverse_r2_per_dim") instanceof double[] v ? v : null;
        }
    }

    private ToyStudy() {}

    public static Outcome run(Settings s, Consumer<String> console) throws IOException {
        Integer expected = EXPECTED.get(s.variant());
        if (expected == null)
            throw new UserError("unknown dot-world variant '" + s.variant() + "'; valid: " + EXPECTED.keySet());
        String table = s.dir().resolve("table").toString();
        Path run = s.dir().resolve("run");
        ExperimentConfig bundled = ConfigLoader.forTask("dotworld-" + s.variant());
        int size = s.imageSize() != null ? s.imageSize() : bundled.model().imageSize();
        String config = "dotworld-" + s.variant();
        if (size != bundled.model().imageSize()) {
            // the bundled config at another frame size: written next to the table, named in the run's config.yaml
            ExperimentConfig sized = bundled.withModel(bundled.model().withImageSize(size));
            Files.createDirectories(s.dir());
            Path file = s.dir().resolve("dotworld-" + s.variant() + "-" + size + "px.yaml");
            Files.writeString(file, ConfigLoader.toYaml(sized));
            config = file.toString();
        }
        int eps = s.episodes() != null ? s.episodes() : s.transitions() ? 400 * 50 : 400;
        Map<String, String> params = s.transitions() ? Map.of("start", "central") : Map.of();
        GenerationSpec gen = new GenerationSpec("dotworld", new EnvConfig(s.variant(), size, List.of(), params), null,
                eps, s.transitions() ? 1 : s.steps(), s.seed(), s.transitions() ? 1 : GenerationSpec.DEFAULT_FRAMESKIP,
                s.transitions() ? 5000 : GenerationSpec.DEFAULT_EPISODES_PER_FILE);
        TrainRequest train = new TrainRequest(table, run, config,
                new ConfigOverrides(s.lambda(), s.epochs(), s.batchSize(), s.seed(), null, null), s.master(), null,
                null, true, AveragingConfig.DEFAULT_CHECKPOINT_EVERY, null, true, false, false, false);
        boolean local = train.local();
        SparkSession spark = SparkSessions.create("smwm toy " + s.variant(), local ? null : s.master());
        try {
            long t0 = System.nanoTime();
            var meta = DistributedGenerator.run(spark, gen, table, true);
            console.accept(String.format("wrote %d episodes, %d frames to %s in %.1f s", meta.episodes(),
                    meta.frames(), table, (System.nanoTime() - t0) / 1e9));
            if (!local) TrainRun.execute(train, spark, console);
        } finally {
            spark.stop();
        }
        if (local) TrainRun.execute(train, console);
        return new Outcome(DiagnosisRun.execute(run, table, 3000, false, console), expected);
    }
}
