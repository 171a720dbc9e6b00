package io.smwm.core.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.eval.EvalConfig;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.Evaluator;
import io.smwm.core.eval.PairSource;
import io.smwm.core.eval.SimulatedPairSource;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.oracle.TwoRoomOracleModel;
import io.smwm.core.util.UserError;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    static final Supplier<Environment> TWOROOM = () -> Environments.create("tworoom", EnvConfig.defaults());
    static EvaluationReport sweep;

    @BeforeAll
    static void runSmallSweep() {
        List<PairSource> sources = new ArrayList<>();
        for (int offset : new int[] {25, 40}) {
            sources.add(new SimulatedPairSource(TWOROOM, () -> Environments.policy("tworoom", "scripted"), offset));
        }
        Map<String, PlannerConfig> planners = new LinkedHashMap<>();
        planners.put("cem", PlannerConfig.cem().withIterations(10));
        planners.put("mppi", PlannerConfig.mppi().withIterations(10));
        sweep = new Evaluator(TWOROOM, new TwoRoomOracleModel(), EvalConfig.defaults().withEpisodes(6).withSeed(5)
                .withFilmstripEpisodes(2)).evaluate(planners, sources);
    }

    static Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("checkpoint", "/runs/ckpt-7");
        p.put("table_fingerprint", "sha256:abc");
        p.put("seed", 5);
        return p;
    }

    @Test
    void write_sweep_producesJsonWithStableKeysAndConsistentValues(@TempDir Path dir) throws Exception {
        ReportWriter.write(sweep, dir, provenance(), false);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("schema", "schema_version", "created_utc", "provenance", "config", "results", "curves",
                "episodes", "plots"), keys);
        assertEquals("smwm.eval.report", root.get("schema").asText());
        assertEquals("sha256:abc", root.get("provenance").get("table_fingerprint").asText());
        assertEquals(300, root.get("config").get("cem.planner.samples").asInt());
        assertEquals(3 * 2, root.get("results").size(), "3 methods x 2 offsets");
        int episodes = 0;
        for (JsonNode r : root.get("results")) {
            for (String k : List.of("method", "success_rate", "successes", "episodes", "stderr", "plan_ms_median",
                    "goal_offset", "budget", "trivial_pairs", "nontrivial_pairs", "successes_nontrivial",
                    "success_rate_nontrivial", "stderr_nontrivial", "mean_start_goal_error")) {
                assertTrue(r.has(k), "results entry lacks " + k);
            }
            int n = r.get("episodes").asInt(), s = r.get("successes").asInt();
            double p = r.get("success_rate").asDouble();
            assertEquals(s / (double) n, p, 1e-12);
            assertTrue(p >= 0 && p <= 1);
            assertEquals(Math.sqrt(p * (1 - p) / n), r.get("stderr").asDouble(), 1e-12);
            assertEquals(2 * r.get("goal_offset").asInt(), r.get("budget").asInt());
            assertEquals(r.get("method").asText().equals("random"), r.get("plan_ms_median").isNull());
            int trivial = r.get("trivial_pairs").asInt();
            assertEquals(n, trivial + r.get("nontrivial_pairs").asInt());
            assertEquals(s - trivial, r.get("successes_nontrivial").asInt(), "trivial pairs are successes");
            long counted = 0, solvedAtStart = 0;
            double errorSum = 0;
            for (JsonNode e : root.get("episodes")) {
                if (e.get("method").equals(r.get("method")) && e.get("goal_offset").equals(r.get("goal_offset"))) {
                    counted += e.get("success").asBoolean() ? 1 : 0;
                    solvedAtStart += e.get("solved_at_start").asBoolean() ? 1 : 0;
                    errorSum += e.get("start_goal_error").get("agent_distance").asDouble();
                    episodes++;
                    assertEquals(e.get("success").asBoolean(), e.get("success_step").asInt() >= 0);
                    assertEquals(e.get("solved_at_start").asBoolean(), e.get("success_step").asInt() == 0);
                }
            }
            assertEquals(s, counted, "successes match the per-episode records");
            assertEquals(trivial, solvedAtStart, "trivial pairs match the per-episode records");
            assertEquals(errorSum / n, r.get("mean_start_goal_error").get("agent_distance").asDouble(), 1e-12);
            int binPairs = 0, binSuccesses = 0;
            double last = Double.NEGATIVE_INFINITY;
            for (JsonNode bin : r.get("success_by_start_error").get("agent_distance")) {
                binPairs += bin.get("pairs").asInt();
                binSuccesses += bin.get("successes").asInt();
                assertTrue(bin.get("from").asDouble() >= last && bin.get("to").asDouble() >= bin.get("from").asDouble(),
                        "bins are ordered by start error");
                last = bin.get("to").asDouble();
            }
            assertEquals(n, binPairs, "the quartiles hold every pair once");
            assertEquals(s, binSuccesses, "and every success once");
        }
        assertEquals(root.get("episodes").size(), episodes);
        JsonNode curve = root.get("curves").get(0);
        assertEquals(51, curve.get("state_distance_mean").size());
        assertEquals(51, curve.get("latent_distance_mean").size());
        for (String png : List.of("success_vs_offset.png", "distance_state_o25.png", "distance_latent_o40.png",
                "filmstrip.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertTrue(img != null && img.getWidth() > 100, png + " is a readable PNG");
        }
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| cem | 25 | 50 |"), md);
        assertTrue(md.contains("| start agent_distance (offset 40) | cem successes / pairs | mppi successes / pairs |"),
                md);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<img src=\"success_vs_offset.png\"") && html.contains("filmstrip.png"));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        String copy = System.getProperty("smwm.report.copyTo");
        if (copy != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.createDirectories(Path.of(copy));
                    Files.copy(f, Path.of(copy).resolve(f.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void write_existingReportWithoutOverwrite_isRefused(@TempDir Path dir) throws Exception {
        ReportWriter.write(sweep, dir, provenance(), false);
        UserError e = assertThrows(UserError.class, () -> ReportWriter.write(sweep, dir, provenance(), false));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        ReportWriter.write(sweep, dir, provenance(), true);
    }
}
