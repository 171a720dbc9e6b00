package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train then diagnose through the command line on a tiny dot world table and a tiny model config. */
@Tag("spark")
class TrainDiagnoseCommandTest {

    @Test
    void trainThenDiagnose_writesCheckpointMetricsAndDiagnostics(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("dotworld", new EnvConfig("single", 16, List.of(), Map.of()),
                null, 20, 10, 3, 1, 10), table, false);
        String config = new File(getClass().getResource("/tiny-dotworld.yaml").toURI()).getPath();
        Path run = dir.resolve("run");
        assertEquals(0, Main.run("train", "--data", table, "--out", run.toString(), "--config", config,
                "--lambda", "1", "--seed", "5"));
        assertTrue(Files.exists(run.resolve("checkpoint/manifest.json")));
        assertTrue(Files.size(run.resolve("metrics/metrics.jsonl")) > 0);

        assertEquals(CliErrors.USER_ERROR, Main.run("train", "--data", table, "--out", run.toString(),
                "--config", config), "an existing run is refused without --overwrite");

        assertEquals(0, Main.run("diagnose", "--run", run.toString(), "--data", table, "--samples", "200"));
        JsonNode d = new ObjectMapper().readTree(run.resolve("diagnostics/diagnostics.json").toFile());
        for (String key : List.of("latent_std_mean", "effective_rank", "significant_components", "inverse_r2",
                "probe_r2", "position_probe_r2", "explained_variance_ratio")) {
            assertTrue(d.has(key), "diagnostics.json should have " + key + ": " + d);
        }
        assertEquals(8, d.get("explained_variance_ratio").size());
        // dotworld's probe features are its state: one R² per dot coordinate, by name
        List<String> features = new java.util.ArrayList<>();
        d.get("probe_r2_per_feature").fieldNames().forEachRemaining(features::add);
        assertEquals(2, features.size(), features.toString());
        assertTrue(features.get(0).startsWith("dot0") && features.get(0).endsWith("_x"), features.toString());
        // the dot's moves are the actions: its position at both ends explains them, and each axis carries its own
        // (moves are clipped at the walls of the 16-px world, so far from all of them: measured 0.38, drops 0.32 / 0.24)
        assertTrue(d.get("state_inverse_r2").asDouble() > 0.15, d.toString());
        for (String f : features) {
            assertTrue(d.get("state_inverse_r2_drop_per_feature").get(f).asDouble() > 0.1, f + ": " + d);
        }
        assertTrue(Files.size(run.resolve("diagnostics/pca_spectrum.png")) > 0);
        assertTrue(Files.size(run.resolve("diagnostics/pc_position_x.png")) > 0);
        // g's rollouts of recorded actions over the planner's five steps, against the encoder's own latents
        assertEquals(5, d.get("rollout_horizon").asInt());
        assertTrue(d.get("rollout_windows").asInt() >= 8, d.toString());
        assertEquals(5, d.get("rollout_latent_error_ratio").size());
        for (JsonNode v : d.get("rollout_latent_error_ratio")) {
            assertTrue(v.asDouble() > 0 && Double.isFinite(v.asDouble()), d.toString());
        }
        JsonNode x = d.get("rollout_feature_rmse").get(features.get(0));
        for (String k : List.of("change", "encoder", "rollout", "change_q4", "encoder_q4", "rollout_q4")) {
            assertTrue(x.get(k).asDouble() >= 0, k + ": " + x);
        }
        // the quarter of windows that moved the dot most moved it more than the rest
        assertTrue(x.get("change_q4").asDouble() > x.get("change").asDouble(), x.toString());
        // the latent holds the dot's position far better than "it did not move" does
        assertTrue(x.get("encoder").asDouble() < x.get("change").asDouble(), x.toString());
    }

    @Test
    void train_tableThatDoesNotFitTheConfig_namesTheMismatch(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("dotworld", new EnvConfig("independent", 16, List.of(), Map.of()),
                null, 4, 5, 3, 1, 4), table, false);
        String config = new File(getClass().getResource("/tiny-dotworld.yaml").toURI()).getPath();
        assertEquals(CliErrors.USER_ERROR, Main.run("train", "--data", table, "--out", dir.resolve("r").toString(),
                "--config", config));
        assertTrue(Files.notExists(dir.resolve("r/checkpoint")));
    }
}
