package io.smwm.spark.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one finished cell measured, read from its run directory: the planner's and the random policy's successes
 * pooled over the evaluation seeds' reports ({@code eval-s<seed>/report.json}), on all pairs and on the non-trivial
 * ones; the collapse reading (the collapse monitor's warning at the last epoch in {@code metrics/metrics.jsonl}, and
 * {@code collapsed} of {@code diagnostics/diagnostics.json}); {@code distractor_probe_r2} where the table has
 * distractor state; and the wall time of its steps. A cell whose training stopped on a non-finite loss has
 * {@code stopReason} set and no evaluation.
 *
 * @param successes          planner successes over every evaluation seed
 * @param episodes           planner pairs over every evaluation seed
 * @param successesNontrivial planner successes on the pairs not solved at the start
 * @param nontrivialPairs    those pairs
 * @param randomSuccesses    the random policy's successes on the same pairs (and the rest likewise)
 * @param perSeed            planner success rate (fraction) by evaluation seed
 * @param collapseWarning    the collapse monitor's warning at the last epoch end, or null
 * @param diagnosticsCollapsed diagnostics' {@code collapsed}, or null without diagnostics
 * @param distractorProbeR2  diagnostics' {@code distractor_probe_r2}, or null
 * @param latentStd          diagnostics' {@code latent_std_mean}, or null
 * @param trainSeconds       wall time of the training this invocation ran (since the resume for a resumed cell)
 * @param resumed            training continued a checkpoint left by an interrupted run
 * @param stopReason         null when trained and evaluated; else why training stopped (e.g. non_finite_loss)
 */
public record CellResult(int successes, int episodes, int successesNontrivial, int nontrivialPairs,
                         int randomSuccesses, int randomEpisodes, int randomSuccessesNontrivial,
                         int randomNontrivialPairs, Map<Long, Double> perSeed, String collapseWarning,
                         Boolean diagnosticsCollapsed, Double distractorProbeR2, Double latentStd,
                         double trainSeconds, double evalSeconds, double diagnoseSeconds, boolean resumed,
                         String stopReason) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The evaluation report directory of evaluation seed {@code seed} inside a cell. */
    public static String evalDir(long seed) {
        return "eval-s" + seed;
    }

    /** Trained and evaluated (not stopped). */
    public boolean evaluated() {
        return stopReason == null;
    }

    /** Collapsed by either reading: the diagnostics' latent std floor or the monitor's warning at the last epoch. */
    public boolean collapsed() {
        return Boolean.TRUE.equals(diagnosticsCollapsed) || collapseWarning != null;
    }

    public double wallSeconds() {
        return trainSeconds + evalSeconds + diagnoseSeconds;
    }

    /** Planner success in %, or null without pairs. */
    public Double successPct() {
        return pct(successes, episodes);
    }

    public Double successNontrivialPct() {
        return pct(successesNontrivial, nontrivialPairs);
    }

    public Double randomPct() {
        return pct(randomSuccesses, randomEpisodes);
    }

    public Double randomNontrivialPct() {
        return pct(randomSuccessesNontrivial, randomNontrivialPairs);
    }

    private static Double pct(int k, int n) {
        return n == 0 ? null : 100.0 * k / n;
    }

    /**
     * Reads a cell's results from its run directory.
     *
     * @param planner   the planner's method name in the reports ("cem" or "mppi")
     * @param offset    the goal offset evaluated
     * @param evalSeeds the evaluation seeds, one report each
     * @throws IOException when a report is missing or unreadable
     */
    public static CellResult read(Path run, String planner, int offset, List<Long> evalSeeds, double trainSeconds,
                                  double evalSeconds, double diagnoseSeconds, boolean resumed) throws IOException {
        int[] p = new int[4], r = new int[4];
        Map<Long, Double> perSeed = new LinkedHashMap<>();
        for (long s : evalSeeds) {
            Path f = run.resolve(evalDir(s)).resolve("report.json");
            JsonNode rep = JSON.readTree(f.toFile());
            JsonNode mine = result(rep, planner, offset, f), rnd = result(rep, "random", offset, f);
            add(p, mine);
            add(r, rnd);
            perSeed.put(s, mine.path("success_rate").asDouble());
        }
        JsonNode diag = null;
        Path d = run.resolve("diagnostics").resolve("diagnostics.json");
        if (Files.isRegularFile(d)) diag = JSON.readTree(d.toFile());
        return new CellResult(p[0], p[1], p[2], p[3], r[0], r[1], r[2], r[3], perSeed,
                lastCollapseWarning(run.resolve("metrics").resolve("metrics.jsonl")),
                diag == null || !diag.has("collapsed") ? null : diag.get("collapsed").asBoolean(),
                number(diag, "distractor_probe_r2"), number(diag, "latent_std_mean"), trainSeconds, evalSeconds,
                diagnoseSeconds, resumed, null);
    }

    /** A cell whose training stopped ({@code reason}, e.g. non_finite_loss): nothing evaluated. */
    public static CellResult stopped(Path run, String reason, double trainSeconds, boolean resumed) {
        return new CellResult(0, 0, 0, 0, 0, 0, 0, 0, Map.of(),
                lastCollapseWarning(run.resolve("metrics").resolve("metrics.jsonl")), null, null, null, trainSeconds,
                0, 0, resumed, reason);
    }

    private static JsonNode result(JsonNode report, String method, int offset, Path file) throws IOException {
        for (JsonNode r : report.path("results")) {
            if (method.equals(r.path("method").asText()) && r.path("goal_offset").asInt() == offset) return r;
        }
        throw new IOException(file + " has no result for " + method + " at goal offset " + offset);
    }

    private static void add(int[] acc, JsonNode r) {
        acc[0] += r.path("successes").asInt();
        acc[1] += r.path("episodes").asInt();
        acc[2] += r.path("successes_nontrivial").asInt();
        acc[3] += r.path("nontrivial_pairs").asInt();
    }

    private static Double number(JsonNode n, String key) {
        return n != null && n.has(key) && n.get(key).isNumber() ? n.get(key).asDouble() : null;
    }

    /** The collapse monitor's warning of the last {@code val} row, or null (none, or no metrics). */
    static String lastCollapseWarning(Path metrics) {
        if (!Files.isRegularFile(metrics)) return null;
        String warning = null;
        try (BufferedReader in = Files.newBufferedReader(metrics, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.contains("\"val\"")) continue;
                JsonNode row;
                try {
                    row = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // a line cut by a kill
                }
                if (!"val".equals(row.path("kind").asText())) continue;
                JsonNode w = row.get("warning");
                warning = w == null || w.isNull() ? null : w.asText();
            }
        } catch (IOException e) {
            return null;
        }
        return warning;
    }

    /** The fields written to the cell's completion marker. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stop_reason", stopReason);
        m.put("successes", successes);
        m.put("episodes", episodes);
        m.put("successes_nontrivial", successesNontrivial);
        m.put("nontrivial_pairs", nontrivialPairs);
        m.put("random_successes", randomSuccesses);
        m.put("random_episodes", randomEpisodes);
        m.put("random_successes_nontrivial", randomSuccessesNontrivial);
        m.put("random_nontrivial_pairs", randomNontrivialPairs);
        Map<String, Double> seeds = new LinkedHashMap<>();
        perSeed.forEach((k, v) -> seeds.put(String.valueOf(k), v));
        m.put("success_rate_by_eval_seed", seeds);
        m.put("success_pct", successPct());
        m.put("success_nontrivial_pct", successNontrivialPct());
        m.put("random_pct", randomPct());
        m.put("random_nontrivial_pct", randomNontrivialPct());
        m.put("collapsed", collapsed());
        m.put("collapse_warning", collapseWarning);
        m.put("diagnostics_collapsed", diagnosticsCollapsed);
        m.put("distractor_probe_r2", distractorProbeR2);
        m.put("latent_std", latentStd);
        m.put("train_s", trainSeconds);
        m.put("eval_s", evalSeconds);
        m.put("diagnose_s", diagnoseSeconds);
        m.put("wall_s", wallSeconds());
        m.put("resumed", resumed);
        return m;
    }

    /** Reads {@link #toMap()}'s fields back. */
    public static CellResult fromJson(JsonNode n) {
        Map<Long, Double> seeds = new LinkedHashMap<>();
        n.path("success_rate_by_eval_seed").fields().forEachRemaining(e ->
                seeds.put(Long.parseLong(e.getKey()), e.getValue().asDouble()));
        return new CellResult(n.path("successes").asInt(), n.path("episodes").asInt(),
                n.path("successes_nontrivial").asInt(), n.path("nontrivial_pairs").asInt(),
                n.path("random_successes").asInt(), n.path("random_episodes").asInt(),
                n.path("random_successes_nontrivial").asInt(), n.path("random_nontrivial_pairs").asInt(), seeds,
                text(n, "collapse_warning"),
                n.hasNonNull("diagnostics_collapsed") ? n.get("diagnostics_collapsed").asBoolean() : null,
                number(n, "distractor_probe_r2"), number(n, "latent_std"), n.path("train_s").asDouble(),
                n.path("eval_s").asDouble(), n.path("diagnose_s").asDouble(), n.path("resumed").asBoolean(),
                text(n, "stop_reason"));
    }

    private static String text(JsonNode n, String key) {
        return n.hasNonNull(key) ? n.get(key).asText() : null;
    }
}
