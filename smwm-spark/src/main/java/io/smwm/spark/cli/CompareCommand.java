package io.smwm.spark.cli;

import io.smwm.spark.compare.CompareRun;
import io.smwm.spark.compare.ComparePlan;
import io.smwm.spark.compare.CompareSummary;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code smwm compare}: methods × tasks × training seeds × distractor settings from a YAML plan, each cell a run
 * directory, resumable, with a summary table ({@link CompareRun}). Exit 0 when every cell is finished, 1 when a cell
 * failed in this run (the others still ran; the next run retries it), 2 on a bad plan or directory.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train and evaluate every cell (task x distractors x method x training seed) of a YAML plan on "
                + "Spark, each into DIR/cells/<task>-<distractors>-<method>-s<seed>/ (a normal run directory with its "
                + "evaluation reports and diagnostics), generating each (task, distractors) table once into "
                + "DIR/tables/. Resumable: finished cells are skipped, an interrupted training resumes from its "
                + "checkpoint. Writes DIR/summary.json and DIR/summary.html after every cell: mean +- standard error "
                + "over training seeds, non-trivial pairs, random, collapse, wall time, the paper's numbers, the drop "
                + "under distractors.")
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, description = "The plan: a YAML file, or a bundled plan by name ("
            + "paper-table: the paper's comparison table). Keys: see README (tasks, methods, seeds, distractors).")
    String plan;

    @Option(names = "--out", required = true, description = "The comparison directory (new, empty, or an earlier "
            + "compare's to continue it).")
    Path out;

    @Option(names = "--master", description = "Spark master for generation and training (default: from "
            + "spark-submit, else local[*]). Evaluation and diagnostics run on the driver.")
    String master;

    @Option(names = "--dry-run", description = "Print the cells and their states (done, resume, evaluate, pending, "
            + "...) and the tables; run and write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        ComparePlan p = ComparePlan.load(plan);
        CompareRun.Outcome o = CompareRun.execute(p, out, master, dryRun, System.out::println);
        if (dryRun) return 0;
        print(o.summary());
        return o.failed() > 0 ? 1 : 0;
    }

    /** The comparison table, one line per row. */
    private static void print(CompareSummary s) {
        System.out.printf(Locale.ROOT, "%-12s %-24s %-12s %7s %16s %7s %16s %14s %14s%n", "task", "distractors",
                "method", "seeds", "success %", "paper", "non-trivial %", "random %", "drop");
        for (CompareSummary.Row r : s.rows()) {
            System.out.printf(Locale.ROOT, "%-12s %-24s %-12s %7s %16s %7s %16s %14s %14s%n", r.task(),
                    r.distractors(), r.method(), r.seedsDone().size() + "/" + r.seedsPlanned().size(),
                    fmt(r.success()), r.paperPct() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.paperPct()),
                    fmt(r.successNontrivial()), fmt(r.random()), r.clean() ? "" : fmt(r.drop()));
        }
    }

    private static String fmt(CompareSummary.Stat st) {
        return st == null ? "-" : st.format(1);
    }
}
