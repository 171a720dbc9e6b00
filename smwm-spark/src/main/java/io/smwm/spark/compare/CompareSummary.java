package io.smwm.spark.compare;

import io.smwm.spark.compare.ComparePlan.Cell;
import io.smwm.spark.compare.ComparePlan.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The comparison table of a plan's finished cells, one row per (task, distractors, method): the mean ± standard error
 * over training seeds of the success rate and of the non-trivial-pair success rate (each cell's rate pooled over its
 * evaluation seeds' pairs), the random policy's rate on the same pairs, the collapse flag, wall time, the paper's
 * number, and for a distractor setting its drop against the clean run of the same method (paired by training seed)
 * and {@code distractor_probe_r2}. Rates are in percent. {@link #toMap()} is summary.json, {@link SummaryHtml} renders
 * summary.html.
 */
public final class CompareSummary {
    public static final String SCHEMA = "smwm.compare.summary";
    public static final int SCHEMA_VERSION = 1;

    /** One cell of the plan with its state ({@link CellState} name) and, when finished, its results. */
    public record Entry(Cell cell, String state, CellResult result) {
        boolean evaluated() {
            return result != null && result.evaluated();
        }
    }

    /**
     * Mean ± standard error (sample standard deviation / √n; null for n &lt; 2) of {@code values}.
     */
    public record Stat(double mean, Double se, int n, List<Double> values) {
        /** The statistic of the non-null values, or null when there are none. */
        public static Stat of(List<Double> values) {
            List<Double> v = values.stream().filter(Objects::nonNull).toList();
            if (v.isEmpty()) return null;
            double mean = 0;
            for (double x : v) mean += x;
            mean /= v.size();
            Double se = null;
            if (v.size() > 1) {
                double ss = 0;
                for (double x : v) ss += (x - mean) * (x - mean);
                se = Math.sqrt(ss / (v.size() - 1)) / Math.sqrt(v.size());
            }
            return new Stat(mean, se, v.size(), v);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean", mean);
            m.put("se", se);
            m.put("n", n);
            m.put("values", values);
            return m;
        }

        /** "98.3 ± 1.2", or "98.3" for one value. */
        public String format(int decimals) {
            String f = "%." + decimals + "f";
            return se == null ? String.format(Locale.ROOT, f, mean)
                    : String.format(Locale.ROOT, f + " ± " + f, mean, se);
        }
    }

    /**
     * One row of the table.
     *
     * @param seedsPlanned training seeds planned for this row
     * @param seedsDone    seeds whose cell was trained and evaluated
     * @param seedsStopped seeds whose training stopped (non-finite loss): not in the means
     * @param drop         clean success − this setting's success, in points, over the seeds finished in both (null
     *                     for the clean setting, or with no seed finished in both)
     */
    public record Row(String task, String env, String distractors, String method, String lossMethod,
                      List<Long> seedsPlanned, List<Long> seedsDone, List<Long> seedsStopped, Stat success,
                      Stat successNontrivial, Stat random, Stat randomNontrivial, List<Long> collapsedSeeds,
                      Stat wallSeconds, Double paperPct, Double paperRandomPct, Stat cleanSuccess, Stat drop,
                      Stat distractorProbeR2) {
        public boolean collapsed() {
            return !collapsedSeeds.isEmpty();
        }

        public boolean clean() {
            return ComparePlan.NONE.equals(distractors);
        }
    }

    private final ComparePlan plan;
    private final String out;
    private final List<Entry> entries;
    private final List<Row> rows;

    public CompareSummary(ComparePlan plan, String out, List<Entry> entries) {
        this.plan = plan;
        this.out = out;
        this.entries = List.copyOf(entries);
        this.rows = build();
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Entry> entries() {
        return entries;
    }

    public ComparePlan plan() {
        return plan;
    }

    /** The row of (task, distractors, method), or null. */
    public Row row(String task, String distractors, String method) {
        for (Row r : rows)
            if (r.task().equals(task) && r.distractors().equals(distractors) && r.method().equals(method)) return r;
        return null;
    }

    private List<Row> build() {
        Map<String, List<Entry>> groups = new LinkedHashMap<>();
        for (Entry e : entries)
            groups.computeIfAbsent(key(e.cell().task(), e.cell().distractors(), e.cell().method()),
                    k -> new ArrayList<>()).add(e);
        // rows by task, then distractor setting (clean first), then method, in the plan's order
        List<String> tasks = new ArrayList<>(plan.tasks().keySet()), methods = new ArrayList<>(plan.methods().keySet());
        List<String> settings = new ArrayList<>(List.of(ComparePlan.NONE));
        for (String d : plan.distractors()) if (!settings.contains(d)) settings.add(d);
        for (Entry e : entries) if (!settings.contains(e.cell().distractors())) settings.add(e.cell().distractors());
        List<List<Entry>> ordered = new ArrayList<>(groups.values());
        ordered.sort(java.util.Comparator.<List<Entry>>comparingInt(g -> tasks.indexOf(g.get(0).cell().task()))
                .thenComparingInt(g -> settings.indexOf(g.get(0).cell().distractors()))
                .thenComparingInt(g -> methods.indexOf(g.get(0).cell().method())));
        List<Row> out = new ArrayList<>();
        for (List<Entry> g : ordered) {
            Cell c0 = g.get(0).cell();
            Task t = plan.task(c0);
            List<Long> planned = new ArrayList<>(), done = new ArrayList<>(), stopped = new ArrayList<>(),
                    collapsed = new ArrayList<>();
            List<Double> s = new ArrayList<>(), sn = new ArrayList<>(), r = new ArrayList<>(), rn = new ArrayList<>(),
                    wall = new ArrayList<>(), probe = new ArrayList<>();
            for (Entry e : g) {
                planned.add(e.cell().seed());
                if (e.result() == null) continue;
                CellResult cr = e.result();
                if (cr.collapsed()) collapsed.add(e.cell().seed());
                wall.add(cr.wallSeconds());
                if (!cr.evaluated()) {
                    stopped.add(e.cell().seed());
                    continue;
                }
                done.add(e.cell().seed());
                s.add(cr.successPct());
                sn.add(cr.successNontrivialPct());
                r.add(cr.randomPct());
                rn.add(cr.randomNontrivialPct());
                probe.add(cr.distractorProbeR2());
            }
            Stat clean = null, drop = null;
            if (!ComparePlan.NONE.equals(c0.distractors())) {
                List<Entry> base = groups.get(key(c0.task(), ComparePlan.NONE, c0.method()));
                if (base != null) {
                    List<Double> cs = new ArrayList<>(), d = new ArrayList<>();
                    for (Entry e : g) {
                        if (!e.evaluated()) continue;
                        for (Entry b : base) {
                            if (b.cell().seed() == e.cell().seed() && b.evaluated()) {
                                cs.add(b.result().successPct());
                                d.add(b.result().successPct() - e.result().successPct());
                            }
                        }
                    }
                    clean = Stat.of(cs);
                    drop = Stat.of(d);
                }
            }
            out.add(new Row(c0.task(), t.env(), c0.distractors(), c0.method(), plan.method(c0).lossMethod(), planned,
                    done, stopped, Stat.of(s), Stat.of(sn), Stat.of(r), Stat.of(rn), collapsed, Stat.of(wall),
                    t.paper().get(c0.method()), t.paper().get("random"), clean, drop, Stat.of(probe)));
        }
        return out;
    }

    private static String key(String task, String distractors, String method) {
        return task + "\u0000" + distractors + "\u0000" + method;
    }

    /** summary.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("schema_version", SCHEMA_VERSION);
        m.put("title", plan.title());
        m.put("reference", plan.reference());
        m.put("plan", plan.source());
        m.put("out", out);
        m.put("updated_utc", Instant.now().toString());
        m.put("units", "success rates in percent of start/goal pairs; drop in percentage points (clean − "
                + "distractors); mean ± standard error over training seeds");
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("total", entries.size());
        for (CellState s : CellState.values()) {
            int n = (int) entries.stream().filter(e -> e.state().equals(s.label())).count();
            if (n > 0) counts.put(s.label(), n);
        }
        m.put("cells_by_state", counts);
        Map<String, Object> protocol = new LinkedHashMap<>();
        for (Task t : plan.tasks().values()) {
            Map<String, Object> p = t.eval().toMap();
            p.put("budget", 2 * t.eval().offset());
            p.put("env", t.env());
            p.put("config", t.config());
            protocol.put(t.name(), p);
        }
        m.put("protocol", protocol);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("task", r.task());
            x.put("env", r.env());
            x.put("distractors", r.distractors());
            x.put("method", r.method());
            x.put("loss_method", r.lossMethod());
            x.put("seeds_planned", r.seedsPlanned());
            x.put("seeds_done", r.seedsDone());
            x.put("seeds_stopped", r.seedsStopped());
            x.put("success_pct", map(r.success()));
            x.put("success_nontrivial_pct", map(r.successNontrivial()));
            x.put("random_pct", map(r.random()));
            x.put("random_nontrivial_pct", map(r.randomNontrivial()));
            x.put("collapsed", r.collapsed());
            x.put("collapsed_seeds", r.collapsedSeeds());
            x.put("wall_s", map(r.wallSeconds()));
            x.put("paper_pct", r.paperPct());
            x.put("paper_random_pct", r.paperRandomPct());
            x.put("clean_success_pct", map(r.cleanSuccess()));
            x.put("drop_pct_points", map(r.drop()));
            x.put("distractor_probe_r2", map(r.distractorProbeR2()));
            rs.add(x);
        }
        m.put("rows", rs);
        List<Map<String, Object>> cs = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("cell", e.cell().name());
            x.put("task", e.cell().task());
            x.put("distractors", e.cell().distractors());
            x.put("method", e.cell().method());
            x.put("seed", e.cell().seed());
            x.put("state", e.state());
            x.put("dir", "cells/" + e.cell().name());
            x.put("results", e.result() == null ? null : e.result().toMap());
            cs.add(x);
        }
        m.put("cells", cs);
        return m;
    }

    private static Map<String, Object> map(Stat s) {
        return s == null ? null : s.toMap();
    }
}
