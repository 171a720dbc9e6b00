package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.train.MetricsLog;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.spark.registry.ModelRegistry;
import io.smwm.spark.registry.RegistryJob;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retrain} and {@code registry} through the command line on a tiny TwoRoom table (20 episodes of 40 steps,
 * 16 px frames with the flicker distractor, so that the barely trained tiny encoder's latent varies across frames
 * above the collapse monitor's absolute floor), one epoch, three benchmark pairs planned with a small CEM.
 */
@Tag("spark")
class RetrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String resource(String name) throws Exception {
        return new File(RetrainCommandTest.class.getResource(name).toURI()).getPath();
    }

    private static String table(Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of("flicker"),
                Map.of()), null, 20, 40, 3, 5, 10), table, false);
        return table;
    }

    private static CliRun retrain(Path reg, String table, String config, String... more) {
        return retrain(reg.toString(), table, config, more);
    }

    private static CliRun retrain(String reg, String table, String config, String... more) {
        List<String> a = new ArrayList<>(List.of("retrain", "--registry", reg, "--data", table, "--config", config));
        a.addAll(List.of(more));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static JsonNode json(Path p) throws Exception {
        return JSON.readTree(p.toFile());
    }

    private static String current(Path reg) throws Exception {
        return Files.readString(reg.resolve("current")).trim();
    }

    @Test
    void retrainTwice_thenCollapse_thenRegistryCommands(@TempDir Path dir) throws Exception {
        String table = table(dir), tiny = resource("/tiny-tworoom.yaml");
        Path reg = dir.resolve("reg");
        String[] bench = {"--eval-episodes", "3", "--goal-offset", "10", "--eval-samples", "30", "--eval-iterations",
                "3"};

        // v1: the first retrain draws and stores the benchmark, trains on Spark (local mode) and is promoted
        List<String> first = new ArrayList<>(List.of(bench));
        first.addAll(List.of("--master", "local[2]"));
        CliRun r1 = retrain(reg, table, tiny, first.toArray(String[]::new));
        assertEquals(0, r1.code(), r1.out() + r1.err());
        assertEquals("v1", current(reg));
        Path v1 = reg.resolve("versions/v1");
        for (String f : List.of("checkpoint/manifest.json", "config.yaml", "metrics/metrics.jsonl", "eval/report.json",
                "provenance.json", "decision.json"))
            assertTrue(Files.exists(v1.resolve(f)), f);
        JsonNode d1 = json(v1.resolve("decision.json"));
        assertEquals("promoted", d1.get("decision").asText());
        assertTrue(d1.get("baseline_version").isNull());
        assertTrue(r1.out().contains("decision for v1: promoted"), r1.out());
        assertTrue(r1.out().contains("\"checks\""), "decision.json is printed: " + r1.out());
        JsonNode p1 = json(v1.resolve("provenance.json"));
        String fingerprint;
        try (TrajectoryReader tr = TrajectoryReader.open(table)) {
            fingerprint = tr.metadata().fingerprint();
        }
        assertEquals(fingerprint, p1.get("table_fingerprint").asText());
        assertTrue(p1.get("parent_version").isNull());
        assertTrue(p1.get("training").get("completed").asBoolean());
        JsonNode benchmark = json(reg.resolve("benchmark.json"));
        assertEquals(3, benchmark.get("pairs").size());
        assertEquals(fingerprint, benchmark.get("source").get("fingerprint").asText());
        assertEquals(p1.get("benchmark_sha256").asText(),
                json(v1.resolve("eval/report.json")).get("provenance").get("benchmark_sha256").asText());
        List<String> pairIds = new ArrayList<>();
        benchmark.get("pairs").forEach(p -> pairIds.add(p.get("id").asText()));
        List<String> reported = new ArrayList<>();
        json(v1.resolve("eval/report.json")).get("episodes").forEach(e -> {
            if (e.get("method").asText().equals("cem")) reported.add(e.get("pair_id").asText());
        });
        assertEquals(pairIds, reported, "v1 was evaluated on the stored pairs");

        // v2: warm-started from v1 in this JVM; promoted or rejected, with its decision either way
        CliRun r2 = retrain(reg, table, tiny, "--master", "none", "--warm-start");
        assertTrue(r2.code() == 0 || r2.code() == RetrainCommand.REJECTED, r2.out() + r2.err());
        JsonNode d2 = json(reg.resolve("versions/v2/decision.json"));
        assertEquals(r2.code() == 0 ? "promoted" : "rejected", d2.get("decision").asText());
        assertEquals(r2.code() == 0 ? "v2" : "v1", current(reg));
        assertEquals("v1", d2.get("baseline_version").asText());
        JsonNode vs = d2.get("checks").get(2);
        assertEquals("success_vs_promoted", vs.get("check").asText());
        double v1Success = json(v1.resolve("provenance.json")).get("evaluation").get("success_rate").asDouble();
        assertEquals(v1Success - 0.05, vs.get("threshold").asDouble(), 1e-9);
        JsonNode p2 = json(reg.resolve("versions/v2/provenance.json"));
        assertEquals("v1", p2.get("parent_version").asText());
        assertTrue(p2.get("warm_start").asBoolean());

        // the benchmark is fixed: another size is bad input and commits nothing
        retrain(reg, table, tiny, "--master", "none", "--eval-episodes", "4").assertUserError("--eval-episodes 4");
        assertTrue(Files.notExists(reg.resolve("versions/v3")));

        // v3: λ = 0 at a learning rate that collapses the latent in its one epoch: training stops on collapse
        // (--fail-on-collapse is on in retrain), the gate rejects it with exit 3, current stays
        String before = current(reg);
        CliRun r3 = retrain(reg, table, resource("/tiny-tworoom-collapse.yaml"), "--master", "none");
        assertEquals(RetrainCommand.REJECTED, r3.code(), r3.out() + r3.err());
        assertEquals(before, current(reg));
        JsonNode d3 = json(reg.resolve("versions/v3/decision.json"));
        assertEquals("rejected", d3.get("decision").asText());
        assertTrue(d3.get("summary").asText().startsWith("rejected: collapsed"), d3.toString());
        JsonNode collapse = d3.get("checks").get(1);
        assertEquals("not_collapsed", collapse.get("check").asText());
        assertFalse(collapse.get("passed").asBoolean());
        assertTrue(collapse.get("value").asDouble() < 1e-3, collapse.toString());
        assertTrue(Files.notExists(reg.resolve("versions/v3/eval/report.json")), "a collapsed candidate is not planned");
        assertEquals("collapse", json(reg.resolve("versions/v3/provenance.json")).get("training").get("stop_reason")
                .asText());
        assertTrue(r3.out().contains("decision for v3: rejected"), r3.out());

        // registry list / show / rollback
        CliRun list = CliRun.of("registry", "list", "--registry", reg.toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("v1") && list.out().contains("v3") && list.out().contains("rejected"),
                list.out());
        CliRun listJson = CliRun.of("registry", "list", "--registry", reg.toString(), "--json");
        assertEquals(3, JSON.readTree(listJson.out()).size(), listJson.out());
        CliRun show = CliRun.of("registry", "show", "--registry", "file://" + reg.toAbsolutePath(), "v3");
        assertEquals(0, show.code(), show.err());
        assertEquals("rejected", JSON.readTree(show.out()).get("decision").get("decision").asText());
        CliRun.of("registry", "rollback", "--registry", reg.toString(), "--to", "v3").assertUserError("rejected");
        if (before.equals("v2")) {
            CliRun back = CliRun.of("registry", "rollback", "--registry", reg.toString());
            assertEquals(0, back.code(), back.err());
            assertTrue(back.out().contains("current: v2 -> v1"), back.out());
        }
        assertEquals("v1", current(reg));
        CliRun.of("registry", "rollback", "--registry", reg.toString()).assertUserError("first promoted version");
        CliRun.of("registry", "list", "--registry", dir.resolve("nothing").toString())
                .assertUserError("not a model registry");
    }

    @Test
    void train_failOnCollapse_stopsWithExit1_keepingTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        String table = table(dir), collapse = resource("/tiny-tworoom-collapse.yaml");
        Path run = dir.resolve("run");
        // rounds of 2 local steps, a checkpoint after every round: the mid-epoch checkpoints come before the
        // epoch's end, where the collapse monitor stops the run
        CliRun r = CliRun.of("train", "--data", table, "--out", run.toString(), "--config", collapse,
                "--master", "local[2]", "--averaging-frequency", "2", "--checkpoint-every", "1", "--epochs", "2",
                "--fail-on-collapse");
        assertEquals(CliErrors.FAILURE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("collapse monitor flagged collapse"), r.err());
        assertTrue(r.err().contains("last good checkpoint: " + run.resolve("checkpoint")), r.err());
        assertTrue(Files.exists(run.resolve("checkpoint/manifest.json")), "the last good checkpoint stays");
        assertTrue(MetricsLog.read(run.resolve("metrics/metrics.jsonl")).stream()
                .anyMatch(m -> "error".equals(m.get("kind")) && "collapse".equals(m.get("term"))));
        // without the flag the same training completes (the monitor only warns)
        assertEquals(0, CliRun.of("train", "--data", table, "--out", dir.resolve("run2").toString(), "--config",
                collapse, "--master", "none").code());
    }

    @Test
    void retrain_badInputIsExit2_busyRegistryExit1_beforeAnyTraining(@TempDir Path dir) throws Exception {
        Path gate = dir.resolve("gate.yaml");
        Files.writeString(gate, "tolerance: 0.1\nminSucess: 0.5\n");
        Path reg = dir.resolve("reg");
        retrain(reg, dir.resolve("no-table").toString(), "tworoom", "--gate", gate.toString())
                .assertUserError("unknown key 'minSucess'");
        assertTrue(Files.notExists(reg), "nothing written");
        retrain("nosuchfs://nn/reg", "t", "tworoom").assertUserError("no Hadoop file system for scheme");
        retrain(reg, dir.resolve("no-table").toString(), "tworoom", "--eval-slices", "2")
                .assertUserError("--eval-slices");

        // another retrain holds the registry: a failure (exit 1), not bad input; nothing staged
        try (RegistryJob held = ModelRegistry.openOrCreate(reg).startJob("a scheduled retrain")) {
            CliRun busy = retrain(reg, dir.resolve("no-table").toString(), "tworoom");
            assertEquals(CliErrors.FAILURE, busy.code(), busy.out() + busy.err());
            assertTrue(busy.err().contains("in use by another retraining job (a scheduled retrain"), busy.err());
        }
        try (java.util.stream.Stream<Path> s = Files.list(reg.resolve("versions"))) {
            assertEquals(0, s.count());
        }
    }
}
