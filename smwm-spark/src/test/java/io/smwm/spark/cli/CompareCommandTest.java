package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.spark.compare.CompareRun;
import io.smwm.spark.train.PartitionTrainer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smwm compare} end to end on local Spark with the tiny plan (tiny-compare-plan.yaml: a 20-episode 16-px
 * TwoRoom table, the tiny model for one epoch, three pairs with a small CEM; three cells): the first run finishes
 * every cell; the second skips them all (nothing retrains: checkpoints and markers keep their times); a training
 * killed half-way (a fault injected into epoch 1 round 1) fails its cell, exit 1, and the next run resumes it from
 * its round checkpoint; a cell killed during evaluation is evaluated without retraining; a partial directory without
 * a checkpoint is trained again from scratch; --dry-run tells these states apart and writes nothing.
 */
@Tag("spark")
class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMWM = "tiny-none-smwm-s0", FORWARD = "tiny-none-forward-s0",
            FLICKER = "tiny-flicker-smwm-s0";

    private static CliRun compare(String plan, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("compare", "--plan", plan, "--out", out.toString()));
        a.addAll(List.of(more));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static FileTime mtime(Path p) throws Exception {
        return Files.getLastModifiedTime(p);
    }

    private static Path cell(Path out, String name) {
        return out.resolve("cells").resolve(name);
    }

    private static void delete(Path p) throws Exception {
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    /** The state --dry-run prints for a cell. */
    private static String state(CliRun dry, String cell) {
        Matcher m = Pattern.compile("\\] " + Pattern.quote(cell) + "\\s+([a-z-]+):").matcher(dry.out());
        assertTrue(m.find(), cell + " in:\n" + dry.out());
        return m.group(1);
    }

    @Test
    void runSkipKillResumeEvaluateRestart(@TempDir Path dir) throws Exception {
        String plan = new File(getClass().getResource("/tiny-compare-plan.yaml").toURI()).getPath();
        Path out = dir.resolve("cmp");
        List<String> cells = List.of(SMWM, FORWARD, FLICKER);

        // 1. everything from scratch: two tables generated, three cells trained, evaluated, diagnosed, marked
        CliRun r1 = compare(plan, out, "--master", "local[2]");
        assertEquals(0, r1.code(), r1.out() + r1.err());
        for (String c : cells) {
            for (String f : List.of("config.yaml", "checkpoint/manifest.json", "metrics/metrics.jsonl",
                    "eval-s7/report.json", "eval-s7/report.html", "diagnostics/diagnostics.json", CompareRun.MARKER))
                assertTrue(Files.exists(cell(out, c).resolve(f)), c + "/" + f);
        }
        assertTrue(Files.exists(out.resolve("tables/tiny-none/meta/info.json")));
        assertTrue(Files.exists(out.resolve("tables/tiny-flicker/meta/info.json")));
        assertTrue(Files.exists(out.resolve("tables/tiny-flicker.json")));
        JsonNode s1 = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(3, s1.get("cells_by_state").get("done").asInt(), s1.toString());
        assertEquals(3, s1.get("rows").size());
        JsonNode fl = s1.get("rows").get(2);
        assertEquals("flicker", fl.get("distractors").asText());
        assertTrue(fl.get("drop_pct_points").get("mean").isNumber(), fl.toString());
        assertTrue(fl.get("distractor_probe_r2").get("mean").isNumber(), "the flicker table has distractor state");
        assertEquals(100.0, s1.get("rows").get(0).get("paper_pct").asDouble());
        assertEquals(30.0, s1.get("rows").get(1).get("paper_pct").asDouble());
        assertEquals(25.0, s1.get("rows").get(0).get("paper_random_pct").asDouble());
        assertTrue(s1.get("rows").get(0).get("random_pct").get("mean").isNumber());
        assertEquals(3, s1.get("cells").get(0).get("results").get("episodes").asInt());
        String html = Files.readString(out.resolve("summary.html"));
        assertTrue(html.contains("<table") && html.contains("tiny-flicker-smwm-s0") && !html.contains("<script"));
        assertTrue(r1.out().contains("success %"), "the table is printed:\n" + r1.out());

        FileTime[] marker = new FileTime[3], ckpt = new FileTime[3];
        for (int i = 0; i < 3; i++) {
            marker[i] = mtime(cell(out, cells.get(i)).resolve(CompareRun.MARKER));
            ckpt[i] = mtime(cell(out, cells.get(i)).resolve("checkpoint/manifest.json"));
        }
        FileTime table = mtime(out.resolve("tables/tiny-none/meta/info.json"));

        // 2. again: every cell is finished, nothing runs (no Spark session, no training, no evaluation)
        CliRun r2 = compare(plan, out, "--master", "local[2]");
        assertEquals(0, r2.code(), r2.out() + r2.err());
        assertEquals(3, r2.out().split("\\(skipped\\)", -1).length - 1, r2.out());
        assertFalse(r2.out().contains("training on") || r2.out().contains("evaluating"), r2.out());
        for (int i = 0; i < 3; i++) {
            assertEquals(marker[i], mtime(cell(out, cells.get(i)).resolve(CompareRun.MARKER)), cells.get(i));
            assertEquals(ckpt[i], mtime(cell(out, cells.get(i)).resolve("checkpoint/manifest.json")), cells.get(i));
        }
        assertEquals(table, mtime(out.resolve("tables/tiny-none/meta/info.json")));

        // 3. the forward cell anew, its training killed in epoch 1 round 1 (after the checkpoint of round 0); the
        //    flicker cell killed during its evaluation (marker and report gone)
        delete(cell(out, FORWARD));
        Files.delete(cell(out, FLICKER).resolve(CompareRun.MARKER));
        delete(cell(out, FLICKER).resolve("eval-s7"));
        System.setProperty(PartitionTrainer.FAULT_PROPERTY, "1:1:0!");
        CliRun r3;
        try {
            r3 = compare(plan, out, "--master", "local[2]");
        } finally {
            System.clearProperty(PartitionTrainer.FAULT_PROPERTY);
        }
        assertEquals(1, r3.code(), "a failed cell: exit 1\n" + r3.out() + r3.err());
        assertTrue(r3.out().contains(FORWARD + ": failed: distributed training stopped in epoch 1 round 1"),
                r3.out());
        assertFalse(Files.exists(cell(out, FORWARD).resolve(CompareRun.MARKER)));
        Checkpoint partial = CheckpointIO.load(cell(out, FORWARD).resolve("checkpoint"));
        assertEquals(0, partial.provenance().epoch());
        assertEquals(1, partial.provenance().round());
        // the other cells went on: flicker evaluated again without training
        assertTrue(r3.out().contains(FLICKER + ": evaluate"), r3.out());
        assertTrue(Files.exists(cell(out, FLICKER).resolve(CompareRun.MARKER)));
        assertTrue(Files.exists(cell(out, FLICKER).resolve("eval-s7/report.json")));
        assertEquals(ckpt[2], mtime(cell(out, FLICKER).resolve("checkpoint/manifest.json")), "not retrained");
        assertEquals(marker[0], mtime(cell(out, SMWM).resolve(CompareRun.MARKER)));
        JsonNode s3 = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(1, s3.get("cells_by_state").get("failed").asInt(), s3.get("cells_by_state").toString());

        // 4. the smwm cell left as a partial directory without a checkpoint (killed before its first one)
        Files.delete(cell(out, SMWM).resolve(CompareRun.MARKER));
        delete(cell(out, SMWM).resolve("checkpoint"));
        FileTime summary = mtime(out.resolve("summary.json"));
        CliRun dry = compare(plan, out, "--dry-run");
        assertEquals(0, dry.code(), dry.out() + dry.err());
        assertEquals("restart", state(dry, SMWM));
        assertEquals("resume", state(dry, FORWARD));
        assertEquals("done", state(dry, FLICKER));
        assertEquals(summary, mtime(out.resolve("summary.json")), "a dry run writes nothing");

        // 5. the forward cell resumes from its round checkpoint, the smwm cell trains from scratch, flicker is skipped
        CliRun r5 = compare(plan, out, "--master", "local[2]");
        assertEquals(0, r5.code(), r5.out() + r5.err());
        assertTrue(r5.out().contains("from epoch 1 round 1"), "resumed, not restarted:\n" + r5.out());
        assertTrue(r5.out().contains(FLICKER + ": done (skipped)"), r5.out());
        JsonNode fwd = JSON.readTree(cell(out, FORWARD).resolve(CompareRun.MARKER).toFile());
        assertTrue(fwd.get("results").get("resumed").asBoolean());
        assertEquals(1, CheckpointIO.load(cell(out, FORWARD).resolve("checkpoint")).provenance().epoch());
        assertTrue(Files.exists(cell(out, SMWM).resolve("checkpoint/manifest.json")));
        assertTrue(mtime(cell(out, SMWM).resolve(CompareRun.MARKER)).compareTo(marker[0]) > 0);
        JsonNode s5 = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(3, s5.get("cells_by_state").get("done").asInt(), s5.get("cells_by_state").toString());

        // the plan changed: other evaluation settings re-evaluate (training kept); another training config is
        // refused as stale, with nothing run
        String text = Files.readString(Path.of(plan)).replace("config: tiny-tworoom.yaml",
                "config: " + Path.of(plan).resolveSibling("tiny-tworoom.yaml"));
        Path evalChanged = dir.resolve("eval-changed.yaml"), trainChanged = dir.resolve("train-changed.yaml");
        Files.writeString(evalChanged, text.replace("episodes: 3, seeds: [7]", "episodes: 2, seeds: [7]"));
        Files.writeString(trainChanged, text.replace("    paper:", "    batch_size: 16\n    paper:"));
        CliRun dry2 = compare(evalChanged.toString(), out, "--dry-run");
        for (String c : cells) assertEquals("re-evaluate", state(dry2, c));
        CliRun dry3 = compare(trainChanged.toString(), out, "--dry-run");
        for (String c : cells) assertEquals("stale", state(dry3, c));
        FileTime before = mtime(cell(out, SMWM).resolve(CompareRun.MARKER));
        compare(trainChanged.toString(), out, "--master", "local[2]").assertUserError("another config or table");
        assertEquals(before, mtime(cell(out, SMWM).resolve(CompareRun.MARKER)));
    }

    @Test
    void badInput(@TempDir Path dir) throws Exception {
        String plan = new File(getClass().getResource("/tiny-compare-plan.yaml").toURI()).getPath();
        compare("no-such-plan", dir.resolve("o")).assertUserError("neither a YAML file nor a bundled plan");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "tasks: {t: {env: tworoom, generate: {episodes: 5}}}\nmethods: [smwm, dino]\n"
                + "seeds: [0]\n");
        compare(bad.toString(), dir.resolve("o")).assertUserError("unknown method 'dino'");
        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        compare(plan, foreign).assertUserError("not a compare directory");
        compare(plan, dir.resolve("o"), "--master", "none").assertUserError("compare trains on Spark");
        CliRun dry = compare("paper-table", dir.resolve("paper"), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("[51/51]") && dry.out().contains("cube-none-forward-s7"), dry.out());
        assertFalse(Files.exists(dir.resolve("paper")), "a dry run creates nothing");
    }
}
