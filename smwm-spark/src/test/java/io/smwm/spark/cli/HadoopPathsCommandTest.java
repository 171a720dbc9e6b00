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
import io.smwm.spark.hadoop.HadoopStore;
import io.smwm.spark.hadoop.ObjectStoreFileSystem;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs and registries on Hadoop paths through the command line, at a tiny size: a {@code file:} URI (rename
 * commits) and {@link ObjectStoreFileSystem} (marker commits, no rename: what s3a gets). train (on Spark, then
 * --resume), evaluate from the published run, retrain twice into a registry and list/show/rollback it. The publisher
 * runs every 200 ms here, so checkpoints are also published while training runs.
 */
@Tag("spark")
class HadoopPathsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] EVAL = {"--episodes", "2", "--goal-offset", "10", "--samples", "30", "--iterations",
            "3"};
    private static final String[] BENCH = {"--eval-episodes", "2", "--goal-offset", "10", "--eval-samples", "30",
            "--eval-iterations", "3"};

    @BeforeAll
    static void register() {
        ObjectStoreFileSystem.registerSystemWide();
        System.setProperty("spark.hadoop.smwm.publish.interval.ms", "200");
    }

    @AfterAll
    static void unregister() {
        ObjectStoreFileSystem.unregisterSystemWide();
        System.clearProperty("spark.hadoop.smwm.publish.interval.ms");
    }

    private static String table(Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of("flicker"),
                Map.of()), null, 20, 40, 3, 5, 10), table, false);
        return table;
    }

    private static String tiny() throws Exception {
        return new File(HadoopPathsCommandTest.class.getResource("/tiny-tworoom.yaml").toURI()).getPath();
    }

    private static String[] args(String[] first, String... more) {
        List<String> a = new ArrayList<>(List.of(first));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void train_resume_evaluate_onAFileUri(@TempDir Path dir) throws Exception {
        String table = table(dir), tiny = tiny();
        Path runDir = dir.resolve("run");
        String run = "file://" + runDir;
        String[] train = {"train", "--data", table, "--out", run, "--config", tiny, "--master", "local[2]",
                "--averaging-frequency", "2", "--checkpoint-every", "1"};
        CliRun t1 = CliRun.of(train);
        assertEquals(0, t1.code(), t1.out() + t1.err());
        assertTrue(t1.out().contains("checkpoint file:" + runDir + "/checkpoint"), t1.out());
        for (String f : List.of("config.yaml", "checkpoint/manifest.json", "checkpoint/params.bin",
                "checkpoint/" + HadoopStore.COMMITTED, "metrics/metrics.jsonl", "metrics/curves.png"))
            assertTrue(Files.isRegularFile(runDir.resolve(f)), f);
        assertEquals(List.of("checkpoint", "config.yaml", "metrics"), names(runDir), "no temporaries or lease left");
        CliRun.of(train).assertUserError("already exists");

        CliRun t2 = CliRun.of("train", "--data", table, "--out", run, "--master", "local[2]", "--resume", "--epochs",
                "2");
        assertEquals(0, t2.code(), t2.out() + t2.err());
        assertTrue(t2.out().contains("resuming"), t2.out());
        JsonNode manifest = JSON.readTree(runDir.resolve("checkpoint/manifest.json").toFile());
        assertEquals(2, manifest.get("provenance").get("epoch").asInt());
        assertEquals(2, MetricsLog.read(runDir.resolve("metrics/metrics.jsonl")).stream()
                .filter(m -> "val".equals(m.get("kind"))).count(), "the resumed run's metrics continue the first's");

        CliRun e1 = CliRun.of(args(new String[] {"evaluate", "--run", run, "--data", table}, EVAL));
        assertEquals(0, e1.code(), e1.out() + e1.err());
        JsonNode rep = JSON.readTree(runDir.resolve("eval/report.json").toFile());
        assertEquals("file:" + runDir + "/checkpoint", rep.get("provenance").get("checkpoint").asText());
        assertTrue(Files.isRegularFile(runDir.resolve("eval/" + HadoopStore.COMMITTED)));
        CliRun.of(args(new String[] {"evaluate", "--run", run, "--data", table}, EVAL))
                .assertUserError("already holds a report");
        assertEquals(0, CliRun.of(args(new String[] {"evaluate", "--run", run, "--data", table, "--overwrite"}, EVAL))
                .code());
        // a report from a run on a Hadoop path into a local directory, and from a local run to a Hadoop path
        assertEquals(0, CliRun.of(args(new String[] {"evaluate", "--run", run, "--data", table, "--out",
                dir.resolve("local-report").toString()}, EVAL)).code());
        assertTrue(Files.isRegularFile(dir.resolve("local-report/report.json")));
        CliRun.of("evaluate", "--run", "file://" + dir.resolve("nothing"), "--data", table)
                .assertUserError("no checkpoint at");
    }

    @Test
    void train_evaluate_onAnObjectStore(@TempDir Path dir) throws Exception {
        String table = table(dir);
        Path runDir = dir.resolve("bucket/run");
        String run = ObjectStoreFileSystem.uri(runDir.toString());
        long renames = ObjectStoreFileSystem.RENAMES.get();
        CliRun t = CliRun.of("train", "--data", table, "--out", run, "--config", tiny(), "--master", "none");
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(Files.isRegularFile(runDir.resolve("checkpoint/" + HadoopStore.COMMITTED)));
        CliRun e = CliRun.of(args(new String[] {"evaluate", "--run", run, "--data", table}, EVAL));
        assertEquals(0, e.code(), e.out() + e.err());
        assertTrue(Files.isRegularFile(runDir.resolve("eval/" + HadoopStore.COMMITTED)));
        assertTrue(Files.isRegularFile(runDir.resolve("eval/report.html")));
        CliRun o = CliRun.of("train", "--data", table, "--out", run, "--config", tiny(), "--master", "none",
                "--overwrite");
        assertEquals(0, o.code(), o.out() + o.err());
        assertEquals(List.of("checkpoint", "config.yaml", "eval", "metrics"), names(runDir),
                "--overwrite replaces the checkpoint and metrics, keeps the report, leaves no .next copy");
        assertEquals(renames, ObjectStoreFileSystem.RENAMES.get(), "nothing relies on rename");
    }

    @Test
    void retrain_andRegistryCommands_onAFileUri_andAnObjectStore(@TempDir Path dir) throws Exception {
        String table = table(dir), tiny = tiny();
        for (String reg : List.of("file://" + dir.resolve("reg"), ObjectStoreFileSystem.uri(dir + "/bucket/reg"))) {
            Path regDir = Path.of(reg.substring(reg.indexOf("://") + 3));
            CliRun r1 = CliRun.of(args(new String[] {"retrain", "--registry", reg, "--data", table, "--config", tiny,
                    "--master", "none"}, BENCH));
            assertEquals(0, r1.code(), r1.out() + r1.err());
            assertEquals("v1", Files.readString(regDir.resolve("current")).trim());
            for (String f : List.of("checkpoint/manifest.json", "config.yaml", "metrics/metrics.jsonl",
                    "eval/report.json", "provenance.json", "decision.json"))
                assertTrue(Files.exists(regDir.resolve("versions/v1").resolve(f)), reg + ": " + f);
            assertFalse(Files.exists(regDir.resolve("versions/v1/.smwm.lock")), "a local lock file is not published");
            assertTrue(r1.out().contains("current: v1 (" + reg.replace("file://", "file:")
                    .replace(ObjectStoreFileSystem.SCHEME + "://", ObjectStoreFileSystem.SCHEME + ":")), r1.out());
            CliRun r2 = CliRun.of("retrain", "--registry", reg, "--data", table, "--config", tiny, "--master", "none",
                    "--warm-start");
            assertTrue(r2.code() == 0 || r2.code() == RetrainCommand.REJECTED, r2.out() + r2.err());
            assertTrue(r2.out().contains("warm-started from v1"), r2.out());
            JsonNode p2 = JSON.readTree(regDir.resolve("versions/v2/provenance.json").toFile());
            assertEquals("v1", p2.get("parent_version").asText());

            CliRun list = CliRun.of("registry", "list", "--registry", reg, "--json");
            assertEquals(0, list.code(), list.err());
            assertEquals(2, JSON.readTree(list.out()).size(), list.out());
            CliRun show = CliRun.of("registry", "show", "--registry", reg, "v1");
            assertEquals(0, show.code(), show.err());
            assertEquals("promoted", JSON.readTree(show.out()).get("decision").get("decision").asText());
            if (r2.code() == 0) {
                CliRun back = CliRun.of("registry", "rollback", "--registry", reg);
                assertEquals(0, back.code(), back.err());
                assertTrue(back.out().contains("current: v2 -> v1"), back.out());
            }
            assertEquals("v1", Files.readString(regDir.resolve("current")).trim());
            assertFalse(Files.exists(regDir.resolve(".retrain.lease")), "the job's lease is released");
        }
    }

    @Test
    void badUris_areUserErrors(@TempDir Path dir) {
        CliRun.of("train", "--data", dir.toString(), "--out", "nosuchfs://host/run", "--master", "none")
                .assertUserError("no Hadoop file system for scheme 'nosuchfs'");
        CliRun.of("retrain", "--registry", "nosuchfs://host/reg", "--data", dir.toString(), "--config", "tworoom")
                .assertUserError("no Hadoop file system for scheme 'nosuchfs'");
        CliRun.of("registry", "list", "--registry", "file:relative/reg").assertUserError("not an absolute URI");
        CliRun.of("registry", "list", "--registry", "file://" + dir.resolve("none")).assertUserError("not a model "
                + "registry");
    }
}
