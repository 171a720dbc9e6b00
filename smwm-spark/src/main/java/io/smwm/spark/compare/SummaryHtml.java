package io.smwm.spark.compare;

import io.smwm.spark.compare.CompareSummary.Entry;
import io.smwm.spark.compare.CompareSummary.Row;
import io.smwm.spark.compare.CompareSummary.Stat;
import io.smwm.spark.compare.ComparePlan.Task;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** summary.html: the comparison table and the cells' states as plain HTML tables, self-contained, no JavaScript. */
public final class SummaryHtml {
    private SummaryHtml() {}

    public static String render(CompareSummary s) {
        ComparePlan plan = s.plan();
        StringBuilder h = new StringBuilder();
        String title = plan.title().isEmpty() ? "smwm compare: " + plan.source() : plan.title();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:1.5em;color:#222}"
                        + "table{border-collapse:collapse;margin:0.8em 0}"
                        + "th,td{border:1px solid #bbb;padding:3px 8px;text-align:right;white-space:nowrap}"
                        + "th{background:#eee}td.l,th.l{text-align:left}tr.sep td{border-top:2px solid #666}"
                        + ".warn{color:#a00;font-weight:bold}.muted{color:#777}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p>Plan <code>").append(esc(plan.source()))
                .append("</code>; updated ").append(esc(Instant.now().toString())).append(". ")
                .append(progress(s)).append("</p>\n");
        h.append("<p>Success in % of start/goal pairs (each cell pools its evaluation seeds' pairs); mean ± standard "
                + "error over training seeds (n seeds done). <i>Non-trivial</i>: only the pairs not solved at the "
                + "start. <i>Random</i>: the random policy on the same pairs. <i>Drop</i>: clean − this setting, in "
                + "points, paired by training seed. <i>Collapse</i>: the diagnostics' latent std below 1e-3 or the "
                + "collapse monitor's warning at the last epoch, by seed.");
        if (!plan.reference().isEmpty()) h.append(" <i>Paper</i>: ").append(esc(plan.reference())).append('.');
        h.append("</p>\n<table>\n<tr><th class=\"l\">task</th><th class=\"l\">distractors</th>"
                + "<th class=\"l\">method</th><th>seeds</th><th>success %</th><th>paper %</th>"
                + "<th>non-trivial %</th><th>random %</th><th>paper random %</th><th>drop (points)</th>"
                + "<th>distractor probe R²</th><th>collapse</th><th>wall time / seed</th></tr>\n");
        String lastTask = null;
        for (Row r : s.rows()) {
            boolean sep = lastTask != null && !lastTask.equals(r.task());
            lastTask = r.task();
            h.append(sep ? "<tr class=\"sep\">" : "<tr>");
            td(h, "l", r.task());
            td(h, "l", r.distractors());
            td(h, "l", r.method().equals(r.lossMethod()) ? r.method() : r.method() + " (" + r.lossMethod() + ")");
            String seeds = r.seedsDone().size() + "/" + r.seedsPlanned().size();
            if (!r.seedsStopped().isEmpty()) seeds += ", stopped: " + join(r.seedsStopped());
            td(h, null, seeds);
            tdRaw(h, fmt(r.success(), 1));
            td(h, null, r.paperPct() == null ? "–" : String.format(Locale.ROOT, "%.1f", r.paperPct()));
            tdRaw(h, fmt(r.successNontrivial(), 1));
            tdRaw(h, fmt(r.random(), 1));
            td(h, null, r.paperRandomPct() == null ? "–" : String.format(Locale.ROOT, "%.1f", r.paperRandomPct()));
            tdRaw(h, r.clean() ? "" : fmt(r.drop(), 1));
            tdRaw(h, fmt(r.distractorProbeR2(), 3));
            h.append(r.collapsed() ? "<td class=\"warn\">yes (seed " + esc(join(r.collapsedSeeds())) + ")</td>"
                    : r.seedsDone().isEmpty() && r.seedsStopped().isEmpty() ? "<td></td>" : "<td>no</td>");
            td(h, null, r.wallSeconds() == null ? "–" : duration(r.wallSeconds().mean()));
            h.append("</tr>\n");
        }
        h.append("</table>\n<h2>Protocol</h2>\n<table>\n<tr><th class=\"l\">task</th><th class=\"l\">env</th>"
                + "<th class=\"l\">config</th><th>pairs per eval seed</th><th class=\"l\">eval seeds</th>"
                + "<th>goal offset</th><th>budget</th><th class=\"l\">planner</th></tr>\n");
        for (Task t : plan.tasks().values()) {
            h.append("<tr>");
            td(h, "l", t.name());
            td(h, "l", t.env());
            td(h, "l", t.config());
            td(h, null, String.valueOf(t.eval().episodes()));
            td(h, "l", join(t.eval().seeds()));
            td(h, null, String.valueOf(t.eval().offset()));
            td(h, null, String.valueOf(2 * t.eval().offset()));
            var pc = t.eval().plannerConfig();
            td(h, "l", pc.method() + " " + pc.samples() + " × " + pc.iterations());
            h.append("</tr>\n");
        }
        h.append("</table>\n<h2>Cells</h2>\n<table>\n<tr><th class=\"l\">cell</th><th class=\"l\">state</th>"
                + "<th>success %</th><th>non-trivial %</th><th>random %</th><th>distractor probe R²</th>"
                + "<th class=\"l\">collapse</th><th>wall time</th></tr>\n");
        for (Entry e : s.entries()) {
            CellResult r = e.result();
            h.append("<tr>");
            h.append("<td class=\"l\"><a href=\"cells/").append(esc(e.cell().name())).append("/\">")
                    .append(esc(e.cell().name())).append("</a></td>");
            td(h, "l", e.state() + (r != null && r.stopReason() != null ? " (" + r.stopReason() + ")" : ""));
            td(h, null, r == null ? "" : pct(r.successPct()));
            td(h, null, r == null ? "" : pct(r.successNontrivialPct()));
            td(h, null, r == null ? "" : pct(r.randomPct()));
            td(h, null, r == null || r.distractorProbeR2() == null ? ""
                    : String.format(Locale.ROOT, "%.3f", r.distractorProbeR2()));
            td(h, "l", r == null ? "" : !r.collapsed() ? "no" : "yes: " + (r.collapseWarning() != null
                    ? r.collapseWarning() : "latent std below 1e-3"));
            td(h, null, r == null ? "" : duration(r.wallSeconds()) + (r.resumed() ? " (since resume)" : ""));
            h.append("</tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    private static String progress(CompareSummary s) {
        long finished = s.entries().stream().filter(e -> e.result() != null).count();
        return finished + " of " + s.entries().size() + " cells finished.";
    }

    private static String fmt(Stat st, int decimals) {
        return st == null ? "–" : st.format(decimals) + (st.n() > 1 ? " <span class=\"muted\">(" + st.n() + ")</span>"
                : "");
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    private static String join(List<Long> xs) {
        return xs.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** A cell holding {@code text}, escaped. */
    private static void td(StringBuilder h, String cls, String text) {
        h.append(cls == null ? "<td>" : "<td class=\"" + cls + "\">").append(esc(text)).append("</td>");
    }

    /** A cell holding markup of this class's own (a formatted statistic: numbers only). */
    private static void tdRaw(StringBuilder h, String html) {
        h.append("<td>").append(html).append("</td>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
