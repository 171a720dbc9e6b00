package io.smwm.spark.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.spark.compare.ComparePlan.Cell;
import io.smwm.spark.compare.CompareSummary.Entry;
import io.smwm.spark.compare.CompareSummary.Row;
import io.smwm.spark.compare.CompareSummary.Stat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary's statistics on hand-made cell directories: each cell's rate pooled over its evaluation seeds' reports,
 * mean ± standard error over training seeds, the random policy's rate, non-trivial pairs, the collapse flag from the
 * metrics and the diagnostics, the drop against the clean run paired by seed, distractor_probe_r2, the paper's number
 * beside ours; and the JSON and HTML written from them.
 */
class CompareSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN = """
            title: hand-made
            reference: "the paper (test numbers)"
            tasks:
              tr:
                env: tworoom
                generate: {episodes: 30}
                eval: {episodes: 50, seeds: [7, 8], offset: 25}
                paper: {smwm: 100, forward: 34.6, random: 30}
            methods: [smwm, forward]
            seeds: [0, 1, 2]
            runs:
              - {methods: [smwm, forward]}
              - {methods: [smwm], seeds: [0, 1], distractors: [flicker]}
            """;

    /** One evaluation report: the planner's and random's counts on all pairs and on the non-trivial ones. */
    private static void report(Path cell, long evalSeed, int[] cem, int[] random) throws Exception {
        Path d = cell.resolve(CellResult.evalDir(evalSeed));
        Files.createDirectories(d);
        String r = """
                {"schema": "smwm.eval.report", "provenance": {"eval_seed": %d, "wall_seconds": 12.5},
                 "results": [
                  {"method": "cem", "goal_offset": 25, "episodes": %d, "successes": %d, "success_rate": %s,
                   "nontrivial_pairs": %d, "successes_nontrivial": %d},
                  {"method": "random", "goal_offset": 25, "episodes": %d, "successes": %d, "success_rate": %s,
                   "nontrivial_pairs": %d, "successes_nontrivial": %d}]}
                """.formatted(evalSeed, cem[0], cem[1], (double) cem[1] / cem[0], cem[2], cem[3], random[0],
                random[1], (double) random[1] / random[0], random[2], random[3]);
        Files.writeString(d.resolve("report.json"), r);
    }

    /** counts: {episodes, successes, nontrivial pairs, non-trivial successes} */
    private static int[] n(int episodes, int successes, int nontrivial, int nontrivialSuccesses) {
        return new int[] {episodes, successes, nontrivial, nontrivialSuccesses};
    }

    private static CellResult read(Path cell) throws Exception {
        return CellResult.read(cell, "cem", 25, List.of(7L, 8L), 100, 20, 5, false);
    }

    @Test
    void cellPoolsItsEvaluationSeedsAndReadsCollapse(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("c");
        report(c, 7, n(50, 45, 40, 35), n(50, 15, 40, 5));
        report(c, 8, n(50, 40, 44, 34), n(50, 10, 44, 4));
        Files.createDirectories(c.resolve("metrics"));
        // a warning at epoch 1 that the last epoch no longer has: not collapsed
        Files.writeString(c.resolve("metrics/metrics.jsonl"), """
                {"kind":"train","step":1,"epoch":1,"round_s":2.5}
                {"kind":"val","step":1,"epoch":1,"latent_std":0.5,"warning":"latent std fell to 0.1000 from a best of 0.5000"}
                {"kind":"train","step":2,"epoch":2,"round_s":1.5}
                {"kind":"val","step":2,"epoch":2,"latent_std":0.5}
                """);
        CellResult r = read(c);
        assertEquals(85, r.successes());
        assertEquals(100, r.episodes());
        assertEquals(85.0, r.successPct(), 1e-12);
        assertEquals(100.0 * 69 / 84, r.successNontrivialPct(), 1e-12);
        assertEquals(25.0, r.randomPct(), 1e-12);
        assertEquals(100.0 * 9 / 84, r.randomNontrivialPct(), 1e-12);
        assertEquals(Map.of(7L, 0.9, 8L, 0.8), r.perSeed());
        assertFalse(r.collapsed());
        assertNull(r.distractorProbeR2(), "no diagnostics");
        assertEquals(125, r.wallSeconds(), 1e-12);
        assertEquals(4.0, CellFiles.roundSeconds(c), 1e-12, "the rounds' times, for a cell trained across runs");
        // the marker's copy reads back the same
        CellResult back = CellResult.fromJson(JSON.valueToTree(r.toMap()));
        assertEquals(r, back);

        // the last epoch's warning, or the diagnostics' latent floor, flags collapse
        Files.writeString(c.resolve("metrics/metrics.jsonl"), """
                {"kind":"val","step":2,"epoch":2,"latent_std":0.0001,"warning":"latent std 1.00e-04 below 1e-03: representation collapsed"}
                {"kind":"val","step":3,"epoch""", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        assertTrue(read(c).collapsed(), "a line cut by a kill is ignored");
        Files.writeString(c.resolve("metrics/metrics.jsonl"), "");
        Files.createDirectories(c.resolve("diagnostics"));
        Files.writeString(c.resolve("diagnostics/diagnostics.json"), "{\"collapsed\": true, \"latent_std_mean\": 1e-5}");
        assertTrue(read(c).collapsed());
    }

    @Test
    void meanStandardErrorDropAndPaper(@TempDir Path dir) throws Exception {
        ComparePlan plan = ComparePlan.parse(PLAN, "hand-made.yaml", dir);
        assertEquals(8, plan.cells().size());
        // smwm clean: 85, 95, 90 % over seeds 0, 1, 2 (each pooled over eval seeds 7 and 8)
        int[][] smwm = {{45, 40}, {48, 47}, {40, 50}};
        // forward: 30, 40 %; seed 2's training stopped on a non-finite loss
        int[][] fwd = {{15, 15}, {20, 20}};
        // smwm with flicker: 80, 85 % on seeds 0, 1
        int[][] flicker = {{40, 40}, {43, 42}};
        double[] probe = {0.1, 0.3};
        List<Entry> entries = new ArrayList<>();
        for (Cell c : plan.cells()) {
            Path d = dir.resolve(c.name());
            int s = (int) c.seed();
            int[] k = switch (c.method() + "/" + c.distractors()) {
                case "smwm/none" -> smwm[s];
                case "forward/none" -> s < 2 ? fwd[s] : null;
                case "smwm/flicker" -> flicker[s];
                default -> throw new AssertionError(c);
            };
            if (k == null) {
                entries.add(new Entry(c, CellState.STOPPED.label(), CellResult.stopped(d, "non_finite_loss", 30,
                        false)));
                continue;
            }
            // non-trivial pairs: 40 of 50 per eval seed, the trivial ones all solved; none for forward seed 1
            int nt = c.method().equals("forward") && s == 1 ? 0 : 40;
            report(d, 7, n(50, k[0], nt, nt == 0 ? 0 : k[0] - 10), n(50, 10 + s, nt, nt == 0 ? 0 : s));
            report(d, 8, n(50, k[1], nt, nt == 0 ? 0 : k[1] - 10), n(50, 10 + s, nt, nt == 0 ? 0 : s));
            if (c.distractors().equals("flicker")) {
                Files.createDirectories(d.resolve("diagnostics"));
                Files.writeString(d.resolve("diagnostics/diagnostics.json"),
                        "{\"collapsed\": false, \"distractor_probe_r2\": " + probe[s] + "}");
            }
            if (c.method().equals("forward") && s == 1) {
                Files.createDirectories(d.resolve("metrics"));
                Files.writeString(d.resolve("metrics/metrics.jsonl"), "{\"kind\":\"val\",\"epoch\":1,"
                        + "\"warning\":\"effective rank fell to 1.00 from a best of 5.00\"}\n");
            }
            entries.add(new Entry(c, CellState.DONE.label(), read(d)));
        }
        CompareSummary s = new CompareSummary(plan, dir.toString(), entries);
        assertEquals(3, s.rows().size());

        Row clean = s.row("tr", "none", "smwm");
        assertEquals(List.of(0L, 1L, 2L), clean.seedsDone());
        assertEquals(90.0, clean.success().mean(), 1e-9);
        assertEquals(5 / Math.sqrt(3), clean.success().se(), 1e-9, "sample std 5 over √3");
        assertEquals(List.of(85.0, 95.0, 90.0), clean.success().values());
        // non-trivial: (k − 20) of 80 pairs per cell: 65/80, 75/80, 70/80
        assertEquals(100.0 * 70 / 80, clean.successNontrivial().mean(), 1e-9);
        assertEquals(100.0 * 5 / 80 / Math.sqrt(3), clean.successNontrivial().se(), 1e-9);
        // random: 20 + 2s of 100 pairs: 20, 22, 24 %
        assertEquals(22.0, clean.random().mean(), 1e-9);
        assertEquals(2 / Math.sqrt(3), clean.random().se(), 1e-9);
        assertEquals(100.0, clean.paperPct());
        assertEquals(30.0, clean.paperRandomPct());
        assertFalse(clean.collapsed());
        assertNull(clean.drop(), "no drop for the clean setting");
        assertEquals(125, clean.wallSeconds().mean(), 1e-9);

        Row forward = s.row("tr", "none", "forward");
        assertEquals(List.of(0L, 1L), forward.seedsDone());
        assertEquals(List.of(2L), forward.seedsStopped(), "a stopped training is listed, not averaged");
        assertEquals(35.0, forward.success().mean(), 1e-9);
        assertEquals(5.0, forward.success().se(), 1e-9);
        assertEquals(1, forward.successNontrivial().n(), "seed 1 has no non-trivial pairs");
        assertNull(forward.successNontrivial().se(), "no standard error of one seed");
        assertEquals(List.of(1L), forward.collapsedSeeds());
        assertTrue(forward.collapsed());
        assertEquals(34.6, forward.paperPct());

        Row fl = s.row("tr", "flicker", "smwm");
        assertEquals(82.5, fl.success().mean(), 1e-9);
        // paired by seed: 85 − 80 = 5, 95 − 85 = 10
        assertEquals(7.5, fl.drop().mean(), 1e-9);
        assertEquals(2.5, fl.drop().se(), 1e-9);
        assertEquals(List.of(5.0, 10.0), fl.drop().values());
        assertEquals(90.0, fl.cleanSuccess().mean(), 1e-9, "the clean run on the same seeds (0, 1)");
        assertEquals(0.2, fl.distractorProbeR2().mean(), 1e-9);
        assertEquals(0.1, fl.distractorProbeR2().se(), 1e-9);
        assertEquals(100.0, fl.paperPct());

        // summary.json
        JsonNode j = JSON.valueToTree(s.toMap());
        assertEquals(CompareSummary.SCHEMA, j.get("schema").asText());
        assertEquals(8, j.get("cells").size());
        assertEquals(7, j.get("cells_by_state").get("done").asInt());
        assertEquals(1, j.get("cells_by_state").get("stopped").asInt());
        JsonNode r2 = j.get("rows").get(2);
        assertEquals("flicker", r2.get("distractors").asText());
        assertEquals(7.5, r2.get("drop_pct_points").get("mean").asDouble(), 1e-9);
        assertEquals(0.2, r2.get("distractor_probe_r2").get("mean").asDouble(), 1e-9);
        assertEquals(100.0, r2.get("paper_pct").asDouble());
        assertTrue(j.get("rows").get(0).get("drop_pct_points").isNull());
        assertEquals(50, j.get("protocol").get("tr").get("budget").asInt());

        // summary.html: plain tables, no script
        String html = SummaryHtml.render(s);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.toLowerCase().contains("<script"));
        assertTrue(html.contains("90.0 ± 2.9"), html);
        assertTrue(html.contains("7.5 ± 2.5"), html);
        assertTrue(html.contains("0.200 ± 0.100"), html);
        assertTrue(html.contains("yes (seed 1)"), html);
        assertTrue(html.contains("stopped: 2"), html);
        assertTrue(html.contains("the paper (test numbers)"));
    }

    @Test
    void statOfFewValues() {
        assertNull(Stat.of(List.of()));
        Stat one = Stat.of(java.util.Arrays.asList(42.0, null));
        assertEquals(42.0, one.mean());
        assertNull(one.se());
        assertEquals("42.0", one.format(1));
        Stat two = Stat.of(List.of(1.0, 3.0));
        assertEquals(2.0, two.mean());
        assertEquals(1.0, two.se(), 1e-12, "std √2 over √2");
        assertEquals("2.00 ± 1.00", two.format(2));
    }
}
