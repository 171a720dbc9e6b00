package io.smwm.core.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.core.eval.EpisodeRecord;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.FailureDiagnosis;
import io.smwm.core.eval.Filmstrip;
import io.smwm.core.eval.MethodResult;
import io.smwm.core.eval.PairStats;
import io.smwm.core.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an evaluation to a directory, every file atomically:
 * <ul>
 *   <li>{@code report.json}: schema {@value #SCHEMA} version {@value #VERSION}. Top-level keys, in order:
 *   {@code schema}, {@code schema_version}, {@code created_utc}, {@code provenance} (what the caller passed:
 *   e.g. checkpoint, table_fingerprint, seed), {@code config} (planner.*, eval.*, env.*, pairs.*),
 *   {@code results} (per method and goal offset: method, goal_offset, budget, episodes, successes,
 *   success_rate in [0,1], stderr = sqrt(p(1-p)/n); the pair statistics (see {@link PairStats}): trivial_pairs
 *   (pairs whose success criterion already held at step 0; they count as successes for every method),
 *   nontrivial_pairs (= episodes − trivial_pairs), successes_nontrivial (= successes − trivial_pairs),
 *   success_rate_nontrivial (successes_nontrivial / nontrivial_pairs; null when there are no non-trivial pairs),
 *   stderr_nontrivial (its binomial standard error; null likewise), mean_start_goal_error (an object: the env's
 *   goal-error component name, e.g. agent_distance, to its mean at the start over all the pairs);
 *   success_by_start_error (an object: goal-error component name to the pairs cut into quartiles by that
 *   component's start error, each {from, to, pairs, successes}: which pairs fail, e.g. the far turns);
 *   min_goal_distance (the pairs' minimum start-goal distance, {@code --min-goal-distance}, when pairs were drawn
 *   only among those farther apart: see {@link io.smwm.core.eval.MinGoalDistance}; null when they were drawn
 *   regardless; also in {@code config} as pairs.minGoalDistance with its rule pairs.minGoalDistanceRule);
 *   plan_ms_median (null for baselines),
 *   mean_final_state_distance, failure_diagnosis: null for baselines, else {failures, search, model,
 *   undiagnosed}: failed episodes whose recorded route the model rates better than the planner's first plan
 *   (demo_cost &lt; first_plan_cost: the planner missed it), rates no better (the model misleads the planner), or
 *   that lack a demo cost), {@code curves} (per method and offset: state_distance_mean/_stderr and
 *   latent_distance_mean/_stderr per env step 0..budget, latent null when not recorded), {@code episodes} (method,
 *   goal_offset, budget, pair_id, success, success_step (-1 = never), solved_at_start (the criterion held at
 *   step 0: a property of the pair, the same for every method), start_goal_error (an object: goal-error component
 *   name to the start state's value, in the task's own success metric), steps, final_state_distance,
 *   min_state_distance, final_latent_distance, solves, plan_ms_median, first_plan_cost (the model's predicted
 *   cost of the first plan), demo_cost (its predicted cost of the pair's recorded actions; see
 *   {@link EpisodeRecord#demoCost}), first_plan_realised_cost (the cost the frame reached after the first plan's
 *   executed actions actually has; see {@link EpisodeRecord#firstPlanRealisedCost}), final_state and goal_state (the task state at the end and the goal's, in the
 *   table's state order)) and {@code plots} (file names). Non-finite
 *   numbers are written as null.</li>
 *   <li>{@code report.md}: the success table (with the non-trivial success, the pairs solved at the start and the
 *   mean start-goal error), then per goal offset and goal-error component the success of each method on the
 *   quartiles of the pairs by that component's start error, preceded by a "pairs:" line naming the filter when the pairs were filtered by their
 *   start-goal distance; {@code report.html}: the same table plus the plots (relative links).</li>
 *   <li>PNG: {@code success_vs_offset.png} (when more than one offset ran), {@code distance_state_o<N>.png} and
 *   {@code distance_latent_o<N>.png} per offset, {@code filmstrip.png}.</li>
 * </ul>
 */
public final class ReportWriter {
    public static final String SCHEMA = "smwm.eval.report";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /**
     * Writes the report files into {@code dir}.
     *
     * @param provenance caller facts recorded verbatim (checkpoint path, table fingerprint, seed, versions, ...)
     * @param overwrite  replace an existing report.json; otherwise an existing one is an error
     */
    public static Map<String, Object> write(EvaluationReport rep, Path dir, Map<String, Object> provenance,
                                            boolean overwrite) throws IOException {
        Path json = dir.resolve("report.json");
        if (Files.exists(json) && !overwrite) {
            throw new UserError("refusing to overwrite " + json + ": choose another output directory or pass "
                    + "--overwrite");
        }
        Files.createDirectories(dir);
        Map<String, Object> plots = new LinkedHashMap<>();
        if (rep.goalOffsets().size() > 1) {
            AtomicFiles.write(dir.resolve("success_vs_offset.png"), ReportPlots.successVsOffset(rep));
            plots.put("success_vs_offset", "success_vs_offset.png");
        }
        List<String> curves = new ArrayList<>();
        for (int o : rep.goalOffsets()) {
            String f = "distance_state_o" + o + ".png";
            AtomicFiles.write(dir.resolve(f), ReportPlots.distanceCurves(rep, o, false));
            curves.add(f);
            if (rep.results().stream().anyMatch(r -> r.goalOffset() == o && r.latentCurveMean() != null)) {
                f = "distance_latent_o" + o + ".png";
                AtomicFiles.write(dir.resolve(f), ReportPlots.distanceCurves(rep, o, true));
                curves.add(f);
            }
        }
        plots.put("distance_curves", curves);
        if (!rep.filmstrips().isEmpty()) {
            int first = rep.goalOffsets().get(0);
            List<Filmstrip> strips = rep.filmstrips().stream().filter(f -> f.goalOffset() == first).toList();
            AtomicFiles.write(dir.resolve("filmstrip.png"), ReportPlots.filmstrip(strips,
                    "Executed frames and goal (offset " + first + ")"));
            plots.put("filmstrip", "filmstrip.png");
        }
        Map<String, Object> tree = toJson(rep, provenance, plots);
        AtomicFiles.write(json, JSON.writeValueAsBytes(tree));
        AtomicFiles.writeString(dir.resolve("report.md"), markdown(rep, provenance));
        AtomicFiles.writeString(dir.resolve("report.html"), html(rep, provenance, plots));
        return tree;
    }

    /** The report.json tree (ordered maps; see the class doc for the keys). */
    public static Map<String, Object> toJson(EvaluationReport rep, Map<String, Object> provenance,
                                             Map<String, Object> plots) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("schema_version", VERSION);
        root.put("created_utc", Instant.now().toString());
        root.put("provenance", new LinkedHashMap<>(provenance));
        root.put("config", new LinkedHashMap<>(rep.config()));
        List<Object> results = new ArrayList<>(), curves = new ArrayList<>(), eps = new ArrayList<>();
        for (MethodResult r : rep.results()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", r.method());
            m.put("goal_offset", r.goalOffset());
            m.put("budget", r.budget());
            m.put("episodes", r.episodes());
            m.put("successes", r.successes());
            m.put("success_rate", r.successRate());
            m.put("stderr", r.stderr());
            PairStats ps = r.pairStats();
            m.put("trivial_pairs", ps.trivialPairs());
            m.put("nontrivial_pairs", ps.nontrivialPairs());
            m.put("successes_nontrivial", ps.successesNontrivial());
            m.put("success_rate_nontrivial", num(ps.successRateNontrivial()));
            m.put("stderr_nontrivial", num(ps.stderrNontrivial()));
            m.put("mean_start_goal_error", errors(ps.meanStartGoalError()));
            Map<String, Object> byError = new LinkedHashMap<>();
            ps.successByStartError().forEach((k, bins) -> byError.put(k, bins.stream().map(bin -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("from", num(bin.from()));
                o.put("to", num(bin.to()));
                o.put("pairs", bin.pairs());
                o.put("successes", bin.successes());
                return o;
            }).toList()));
            m.put("success_by_start_error", byError);
            m.put("min_goal_distance", rep.config().get(EvaluationReport.MIN_GOAL_DISTANCE));
            m.put("plan_ms_median", num(r.planMsMedian()));
            m.put("mean_final_state_distance", num(r.meanFinalStateDistance()));
            FailureDiagnosis d = FailureDiagnosis.of(rep.episodes(), r.method(), r.goalOffset());
            m.put("failure_diagnosis", d == null ? null : d.toMap());
            results.add(m);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("method", r.method());
            c.put("goal_offset", r.goalOffset());
            c.put("state_distance_mean", nums(r.stateCurveMean()));
            c.put("state_distance_stderr", nums(r.stateCurveStderr()));
            c.put("latent_distance_mean", nums(r.latentCurveMean()));
            c.put("latent_distance_stderr", nums(r.latentCurveStderr()));
            curves.add(c);
        }
        for (EpisodeRecord e : rep.episodes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", e.method());
            m.put("goal_offset", e.goalOffset());
            m.put("budget", e.budget());
            m.put("pair_id", e.pairId());
            m.put("success", e.success());
            m.put("success_step", e.successStep());
            m.put("solved_at_start", e.solvedAtStart());
            m.put("start_goal_error", errors(e.startGoalError()));
            m.put("steps", e.stepsExecuted());
            m.put("final_state_distance", num(e.finalStateDistance()));
            m.put("min_state_distance", num(e.minStateDistance()));
            m.put("final_latent_distance", num(e.finalLatentDistance()));
            m.put("solves", e.solves());
            double[] ms = e.planMs().clone();
            Arrays.sort(ms);
            m.put("plan_ms_median", ms.length == 0 ? null : num(ms[ms.length / 2]));
            m.put("first_plan_cost", num(e.firstPlanCost()));
            m.put("demo_cost", num(e.demoCost()));
            m.put("first_plan_realised_cost", num(e.firstPlanRealisedCost()));
            if (e.finalState() != null) m.put("final_state", e.finalState());
            if (e.goalState() != null) m.put("goal_state", e.goalState());
            if (e.states() != null) m.put("states", e.states());
            if (e.actions() != null) m.put("actions", e.actions());
            eps.add(m);
        }
        root.put("results", results);
        root.put("curves", curves);
        root.put("episodes", eps);
        root.put("plots", plots);
        return root;
    }

    private static Map<String, Object> errors(Map<String, Double> byName) {
        Map<String, Object> m = new LinkedHashMap<>();
        byName.forEach((k, v) -> m.put(k, num(v)));
        return m;
    }

    private static Object num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Object> nums(double[] v) {
        if (v == null) {
            return null;
        }
        List<Object> out = new ArrayList<>(v.length);
        for (double d : v) {
            out.add(num(Math.round(d * 1e6) / 1e6));
        }
        return out;
    }

    /** The success table's columns, shared by report.md and report.html. */
    static final List<String> COLUMNS = List.of("method", "goal offset", "budget", "success %", "± stderr",
            "successes / episodes", "non-trivial success %", "non-trivial successes / pairs", "solved at start",
            "mean start-goal error", "plan ms (median)", "final distance");

    /** One result's cells, in {@link #COLUMNS} order. */
    static List<String> row(MethodResult r) {
        PairStats ps = r.pairStats();
        boolean none = ps.nontrivialPairs() == 0;
        return List.of(r.method(), Integer.toString(r.goalOffset()), Integer.toString(r.budget()),
                fmt("%.1f", 100 * r.successRate()), fmt("%.1f", 100 * r.stderr()),
                r.successes() + " / " + r.episodes(),
                none ? "-" : fmt("%.1f", 100 * ps.successRateNontrivial()) + " ± "
                        + fmt("%.1f", 100 * ps.stderrNontrivial()),
                ps.successesNontrivial() + " / " + ps.nontrivialPairs(), Integer.toString(ps.trivialPairs()),
                ps.describeMeanStartGoalError(),
                Double.isNaN(r.planMsMedian()) ? "-" : fmt("%.1f", r.planMsMedian()),
                fmt("%.4f", r.meanFinalStateDistance()));
    }

    /**
     * Per goal offset and goal-error component, a table of success by start error: a header row (the component's
     * start error, then each method at that offset) and one row per quartile of the pairs, cells "successes / pairs".
     * The methods at one offset share their pairs, so the first method's bin edges label the rows.
     */
    static List<List<List<String>>> startErrorTables(EvaluationReport rep) {
        Map<Integer, List<MethodResult>> byOffset = new LinkedHashMap<>();
        rep.results().forEach(r -> byOffset.computeIfAbsent(r.goalOffset(), o -> new ArrayList<>()).add(r));
        List<List<List<String>>> tables = new ArrayList<>();
        byOffset.forEach((offset, results) -> {
            for (String k : results.get(0).pairStats().successByStartError().keySet()) {
                List<List<String>> t = new ArrayList<>();
                List<String> header = new ArrayList<>(List.of("start " + k + " (offset " + offset + ")"));
                results.forEach(r -> header.add(r.method() + " successes / pairs"));
                t.add(header);
                List<PairStats.ErrorBin> edges = results.get(0).pairStats().successByStartError().get(k);
                for (int i = 0; i < edges.size(); i++) {
                    List<String> row = new ArrayList<>(List.of(fmt("%.4g", edges.get(i).from()) + " – "
                            + fmt("%.4g", edges.get(i).to())));
                    for (MethodResult r : results) {
                        List<PairStats.ErrorBin> bins = r.pairStats().successByStartError().getOrDefault(k, List.of());
                        row.add(i < bins.size() ? bins.get(i).successes() + " / " + bins.get(i).pairs() : "-");
                    }
                    t.add(row);
                }
                tables.add(t);
            }
        });
        return tables;
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    /** The success table in Markdown. */
    public static String markdown(EvaluationReport rep, Map<String, Object> provenance) {
        StringBuilder b = new StringBuilder("# Evaluation report\n\n");
        provenance.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        if (rep.pairFilter() != null) {
            b.append("- pairs: ").append(rep.pairFilter()).append('\n');
        }
        b.append("\n| " + String.join(" | ", COLUMNS) + " |\n|" + "---|".repeat(COLUMNS.size()) + "\n");
        for (MethodResult r : rep.results()) {
            b.append("| ").append(String.join(" | ", row(r))).append(" |\n");
        }
        for (List<List<String>> t : startErrorTables(rep)) {
            b.append("\n| " + String.join(" | ", t.get(0)) + " |\n|" + "---|".repeat(t.get(0).size()) + "\n");
            for (List<String> row : t.subList(1, t.size())) {
                b.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
        }
        for (MethodResult r : rep.results()) {
            FailureDiagnosis d = FailureDiagnosis.of(rep.episodes(), r.method(), r.goalOffset());
            if (d != null && d.failures() > 0) {
                b.append(String.format("%n%s.%n", d.describe(r.method(), r.goalOffset())));
            }
        }
        return b.toString();
    }

    private static String html(EvaluationReport rep, Map<String, Object> provenance, Map<String, Object> plots) {
        StringBuilder b = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>SMWM "
                + "evaluation</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}th{background:#eee}"
                + "img{max-width:100%;margin:1em 0;display:block}</style></head><body>\n<h1>Evaluation report</h1>\n<ul>");
        provenance.forEach((k, v) -> b.append("<li>").append(esc(k)).append(": ").append(esc(String.valueOf(v)))
                .append("</li>"));
        if (rep.pairFilter() != null) {
            b.append("<li>pairs: ").append(esc(rep.pairFilter())).append("</li>");
        }
        b.append("</ul>\n<table><tr>");
        COLUMNS.forEach(c -> b.append("<th>").append(esc(c)).append("</th>"));
        b.append("</tr>\n");
        for (MethodResult r : rep.results()) {
            b.append("<tr>");
            row(r).forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        for (List<List<String>> t : startErrorTables(rep)) {
            b.append("<table>");
            for (int i = 0; i < t.size(); i++) {
                String cell = i == 0 ? "th" : "td";
                b.append("<tr>");
                t.get(i).forEach(c -> b.append('<').append(cell).append('>').append(esc(c)).append("</").append(cell)
                        .append('>'));
                b.append("</tr>");
            }
            b.append("</table>\n");
        }
        List<String> images = new ArrayList<>();
        if (plots.get("success_vs_offset") instanceof String s) {
            images.add(s);
        }
        if (plots.get("distance_curves") instanceof List<?> l) {
            l.forEach(o -> images.add(o.toString()));
        }
        if (plots.get("filmstrip") instanceof String s) {
            images.add(s);
        }
        for (String img : images) {
            b.append("<img src=\"").append(esc(img)).append("\" alt=\"").append(esc(img)).append("\">\n");
        }
        b.append("<h2>Configuration</h2>\n<pre>");
        rep.config().forEach((k, v) -> b.append(esc(k)).append(" = ").append(esc(String.valueOf(v))).append('\n'));
        return b.append("</pre>\n</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
