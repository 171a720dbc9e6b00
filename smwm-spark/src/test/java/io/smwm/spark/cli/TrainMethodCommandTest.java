package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.train.MetricsLog;
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

/** {@code smwm train --method}: the baselines' objectives through the command line, in one JVM. */
@Tag("spark")
class TrainMethodCommandTest {

    @Test
    void methodFlag_trainsTheMethodAndRecordsItsTerms(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("dotworld", new EnvConfig("single", 16, List.of(), Map.of()),
                null, 12, 8, 3, 1, 12), table, false);
        String config = new File(getClass().getResource("/tiny-dotworld.yaml").toURI()).getPath();
        for (String[] m : new String[][]{{"sigreg", "sigreg "}, {"vicreg-idm", "var "}}) {
            Path run = dir.resolve(m[0]);
            CliRun r = CliRun.of("train", "--data", table, "--out", run.toString(), "--config", config,
                    "--method", m[0], "--epochs", "1", "--master", "none");
            assertEquals(0, r.code(), r.err());
            String done = r.out().lines().filter(l -> l.startsWith("done: ")).findFirst().orElseThrow();
            assertTrue(done.contains("(fwd ") && done.contains(m[1]), done);
            JsonNode manifest = new ObjectMapper().readTree(run.resolve("checkpoint/manifest.json").toFile());
            assertEquals(m[0], manifest.at("/config/loss/method").asText(), manifest.toString());
            List<Map<String, Object>> rows = MetricsLog.read(run.resolve("metrics/metrics.jsonl"));
            String key = m[0].equals("sigreg") ? "loss_sigreg" : "loss_var";
            assertTrue(rows.stream().anyMatch(x -> "val".equals(x.get("kind")) && x.get(key) instanceof Number),
                    rows.toString());
        }
        assertTrue(Files.exists(dir.resolve("sigreg/config.yaml")));
        assertTrue(Files.readString(dir.resolve("sigreg/config.yaml")).contains("method: \"sigreg\"")
                || Files.readString(dir.resolve("sigreg/config.yaml")).contains("method: sigreg"));
    }

    @Test
    void unknownMethodOrALambdaItIgnores_isAUserError(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("dotworld", new EnvConfig("single", 16, List.of(), Map.of()),
                null, 4, 5, 3, 1, 4), table, false);
        String config = new File(getClass().getResource("/tiny-dotworld.yaml").toURI()).getPath();
        CliRun.of("train", "--data", table, "--out", dir.resolve("a").toString(), "--config", config,
                "--method", "byol", "--master", "none")
                .assertUserError("loss.method must be one of [smwm, forward, sigreg, vicreg-idm], got byol");
        CliRun.of("train", "--data", table, "--out", dir.resolve("b").toString(), "--config", config,
                "--method", "forward", "--lambda", "2", "--master", "none")
                .assertUserError("--lambda 2.0 has no effect with loss.method forward");
        assertTrue(Files.notExists(dir.resolve("a/checkpoint")) && Files.notExists(dir.resolve("b/checkpoint")));
    }
}
