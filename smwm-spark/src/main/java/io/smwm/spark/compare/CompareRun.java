package io.smwm.spark.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ConfigOverrides;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.eval.report.AtomicFiles;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.train.TrainingStoppedException;
import io.smwm.core.util.UserError;
import io.smwm.spark.compare.ComparePlan.Cell;
import io.smwm.spark.compare.ComparePlan.Task;
import io.smwm.spark.run.DiagnosisRun;
import io.smwm.spark.run.EvaluationRequest;
import io.smwm.spark.run.EvaluationRun;
import io.smwm.spark.run.RunDirs;
import io.smwm.spark.run.RunLock;
import io.smwm.spark.run.SparkSessions;
import io.smwm.spark.run.TrainRequest;
import io.smwm.spark.run.TrainRun;
import io.smwm.spark.train.AveragingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * {@code smwm compare}: trains and evaluates every cell of a {@link ComparePlan} that is not finished, one after the
 * other on one Spark session, and rewrites the summary after each.
 *
 * <pre>
 * DIR/plan.yaml                         the plan as last run
 * DIR/tables/&lt;task&gt;-&lt;distractors&gt;/     a generated table (one per task and distractor setting, shared by its cells)
 * DIR/tables/&lt;task&gt;-&lt;distractors&gt;.json the generate settings it was made with (written after it)
 * DIR/cells/&lt;task&gt;-&lt;distractors&gt;-&lt;method&gt;-s&lt;seed&gt;/   a run directory: config.yaml, checkpoint/, metrics/,
 *                                       eval-s&lt;evalseed&gt;/report.{json,md,html}, diagnostics/, cell-done.json
 * DIR/summary.json, DIR/summary.html    the comparison table
 * </pre>
 *
 * <p>Resumable: {@value #MARKER} is written last, after the evaluation reports and the diagnostics; a cell with it is
 * skipped. A cell without it continues where it stopped: a checkpoint of an interrupted training with the plan's
 * config and table resumes (the distributed trainer's {@code train --resume}, from its last round checkpoint, with
 * the checkpoint's data order); a finished training is evaluated (reports already complete for an evaluation seed
 * are kept); a directory without a usable checkpoint (killed before the first one, or trained with another config or
 * table) is deleted and trained from scratch. A finished cell whose training config or table differs from the plan's
 * is refused (stale); one whose evaluation settings differ is evaluated again, its training kept.
 */
public final class CompareRun {
    /** The completion marker of a cell, written last. */
    public static final String MARKER = CellFiles.MARKER;
    public static final String CELLS = "cells", TABLES = "tables", SUMMARY_JSON = "summary.json",
            SUMMARY_HTML = "summary.html", PLAN = "plan.yaml";
    public static final String MARKER_SCHEMA = CellFiles.MARKER_SCHEMA;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Lines of the runs' own output that do not apply under compare (it validates each table itself). */
    private static final String SKIP_VALIDATION_NOTE = "note: --skip-validation";

    /** What an invocation did: every cell's state at its end, how many it ran, how many failed, the summary. */
    public record Outcome(List<CompareSummary.Entry> entries, int ran, int failed, CompareSummary summary) {}

    private final ComparePlan plan;
    private final Path out;
    private final String master;
    private final Consumer<String> console;
    private SparkSession spark;
    private final CompareTables tables;

    private CompareRun(ComparePlan plan, Path out, String master, Consumer<String> console) {
        this.plan = plan;
        this.out = out;
        this.master = master;
        this.console = console;
        this.tables = new CompareTables(plan, out.resolve(TABLES), console, this::spark);
    }

    /**
     * Runs {@code plan} into {@code out} ({@code dryRun}: prints the cells and their states, runs and writes nothing).
     *
     * @param master Spark master for generation and training; null: from spark-submit, else local[*]
     */
    public static Outcome execute(ComparePlan plan, Path out, String master, boolean dryRun,
                                  Consumer<String> console) throws IOException {
        if (master != null) {
            if ("none".equalsIgnoreCase(master))
                throw new UserError("compare trains on Spark, so that a killed cell resumes from its checkpoint (the "
                        + "single-JVM trainer cannot resume); use --master local[N] or a cluster URL");
            SparkSessions.checkMaster(master);
        }
        checkOut(out);
        CompareRun run = new CompareRun(plan, out, master, console);
        return dryRun ? run.dryRun() : run.run();
    }

    /** An output directory is new, empty, or an earlier compare's (refuses to fill some other directory). */
    private static void checkOut(Path out) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out))
            throw new UserError("--out " + out + " is a file; choose a directory");
        if (RunDirs.isEmpty(out)) return;
        try (Stream<Path> s = Files.list(out)) {
            Set<String> known = Set.of(CELLS, TABLES, SUMMARY_JSON, SUMMARY_HTML, PLAN, RunLock.NAME);
            List<String> other = s.map(p -> p.getFileName().toString()).filter(n -> !known.contains(n)
                    && !n.startsWith(".")).sorted().toList();
            boolean ours = other.isEmpty() || Files.isDirectory(out.resolve(CELLS))
                    || Files.isRegularFile(out.resolve(SUMMARY_JSON));
            if (!ours)
                throw new UserError("--out " + out + " is a non-empty directory that is not a compare directory (no "
                        + CELLS + "/ or " + SUMMARY_JSON + "; holds " + other.stream().limit(5).toList() + "); "
                        + "choose a new or empty directory");
        }
    }

    private Outcome dryRun() throws IOException {
        List<CompareSummary.Entry> entries = inspectAll(false);
        Map<String, Integer> counts = new LinkedHashMap<>();
        int i = 0;
        for (CompareSummary.Entry e : entries) {
            i++;
            counts.merge(e.state(), 1, Integer::sum);
            console.accept(String.format(Locale.ROOT, "[%d/%d] %-40s %s", i, entries.size(), e.cell().name(),
                    describe(e)));
        }
        for (String t : tables.used()) {
            Cell c = tables.firstCellOf(t);
            console.accept("table " + t + ": " + (plan.task(c).table() != null ? "given, " + plan.task(c).table()
                    : tables.ready(c) ? "generated, " + tables.dir(c) : "to generate into " + tables.dir(c)));
        }
        console.accept("dry run: " + entries.size() + " cells: " + counts + "; nothing was run or written");
        return new Outcome(entries, 0, 0, new CompareSummary(plan, out.toString(), finishedOnly(entries)));
    }

    private Outcome run() throws IOException {
        try (RunLock lock = RunLock.acquire(out, "smwm compare")) {
            List<CompareSummary.Entry> entries = inspectAll(true);
            List<String> stale = entries.stream().filter(e -> e.state().equals(CellState.STALE.label()))
                    .map(e -> e.cell().name()).toList();
            if (!stale.isEmpty())
                throw new UserError(stale.size() + " finished cell(s) were trained with another config or table than "
                        + "the plan now gives: " + stale.stream().limit(8).toList() + (stale.size() > 8 ? " ..." : "")
                        + "; restore the plan, delete those directories under " + out.resolve(CELLS) + " to train "
                        + "them again with this plan, or use another --out (smwm compare --dry-run lists the states)");
            AtomicFiles.writeString(out.resolve(PLAN), plan.text());
            long finished = entries.stream().filter(e -> stateOf(e).finished()).count();
            console.accept(String.format(Locale.ROOT, "compare %s into %s: %d cells, %d finished, %d to run",
                    plan.source(), out, entries.size(), finished, entries.size() - finished));
            writeSummary(entries);
            long t0 = System.nanoTime();
            int ran = 0, failed = 0;
            try {
                for (int i = 0; i < entries.size(); i++) {
                    CompareSummary.Entry e = entries.get(i);
                    CellState st = stateOf(e);
                    String head = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, entries.size(), e.cell().name());
                    if (st.finished()) {
                        console.accept(head + ": " + st.label() + " (skipped)");
                        continue;
                    }
                    console.accept(String.format(Locale.ROOT, "%s: %s: %s (%d of %d finished, %s elapsed)", head,
                            st.label(), st.meaning(), finished, entries.size(),
                            SummaryHtml.duration((System.nanoTime() - t0) / 1e9)));
                    long c0 = System.nanoTime();
                    CompareSummary.Entry done;
                    try {
                        CellResult r = runCell(e.cell(), st, e.result());
                        done = new CompareSummary.Entry(e.cell(), r.evaluated() ? CellState.DONE.label()
                                : CellState.STOPPED.label(), r);
                        finished++;
                        ran++;
                        console.accept(head + ": " + done.state() + " in "
                                + SummaryHtml.duration((System.nanoTime() - c0) / 1e9) + ": " + brief(r));
                    } catch (Exception ex) { // one cell's failure does not stop the others; the next run retries it
                        failed++;
                        done = new CompareSummary.Entry(e.cell(), CellState.FAILED.label(), null);
                        console.accept(head + ": failed: " + message(ex));
                    }
                    entries.set(i, done);
                    writeSummary(entries);
                }
            } finally {
                if (spark != null) spark.stop();
                spark = null;
            }
            CompareSummary summary = writeSummary(entries);
            console.accept(String.format(Locale.ROOT, "compare: %d of %d cells finished (%d run now, %d failed) in %s;"
                            + " summary %s%s", finished, entries.size(), ran, failed,
                    SummaryHtml.duration((System.nanoTime() - t0) / 1e9), out.resolve(SUMMARY_HTML),
                    failed == 0 ? "" : "; run the same command again to retry the failed cells (an interrupted "
                            + "training resumes from its checkpoint)"));
            return new Outcome(entries, ran, failed, summary);
        }
    }

    private static CellState stateOf(CompareSummary.Entry e) {
        for (CellState s : CellState.values()) if (s.label().equals(e.state())) return s;
        throw new IllegalStateException(e.state());
    }

    private static String message(Exception ex) {
        String m = ex.getMessage();
        return ex instanceof UserError || ex instanceof TrainingStoppedException ? m
                : ex.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String describe(CompareSummary.Entry e) {
        CellState s = stateOf(e);
        String d = s.label() + ": " + s.meaning();
        if (e.result() != null && e.result().evaluated()) d += " (" + brief(e.result()) + ")";
        return d;
    }

    private static String brief(CellResult r) {
        if (!r.evaluated()) return "training stopped (" + r.stopReason() + "), not evaluated";
        return String.format(Locale.ROOT, "success %s %% (non-trivial %s %%), random %s %%%s%s", pct(r.successPct()),
                pct(r.successNontrivialPct()), pct(r.randomPct()), r.collapsed() ? ", collapsed" : "",
                r.distractorProbeR2() == null ? "" : String.format(Locale.ROOT, ", distractor probe R² %.3f",
                        r.distractorProbeR2()));
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    // ---- states -------------------------------------------------------------------------------------------------

    private List<CompareSummary.Entry> inspectAll(boolean recover) throws IOException {
        List<CompareSummary.Entry> entries = new ArrayList<>();
        for (Cell c : plan.cells()) entries.add(inspect(c, recover));
        return entries;
    }

    private static List<CompareSummary.Entry> finishedOnly(List<CompareSummary.Entry> entries) {
        return entries.stream().map(e -> stateOf(e).finished() ? e : new CompareSummary.Entry(e.cell(), e.state(),
                null)).toList();
    }

    /** The cell's state on disk; for a finished cell also its results (kept for a re-evaluation's training time). */
    CompareSummary.Entry inspect(Cell c, boolean recover) throws IOException {
        Path dir = cellDir(c);
        JsonNode marker = CellFiles.readMarker(dir);
        if (marker != null) {
            CellResult r = CellResult.fromJson(marker.path("results"));
            if (!marker.path("spec").path("train").equals(trainSpec(c)))
                return new CompareSummary.Entry(c, CellState.STALE.label(), null);
            if (!r.evaluated()) return new CompareSummary.Entry(c, CellState.STOPPED.label(), r);
            if (!marker.path("spec").path("eval").equals(evalSpec(c)))
                return new CompareSummary.Entry(c, CellState.REEVALUATE.label(), r);
            return new CompareSummary.Entry(c, CellState.DONE.label(), r);
        }
        if (RunDirs.isEmpty(dir)) return new CompareSummary.Entry(c, CellState.PENDING.label(), null);
        return new CompareSummary.Entry(c, partialState(c, dir, recover).label(), null);
    }

    /** A cell directory without a marker: resume, evaluate, or restart (see the class comment). */
    private CellState partialState(Cell c, Path dir, boolean recover) throws IOException {
        if (!tables.ready(c)) return CellState.RESTART;
        if (recover) RunDirs.recoverCheckpoint(dir);
        Path ckpt = RunDirs.checkpoint(dir);
        if (!Files.isRegularFile(ckpt.resolve(CheckpointIO.MANIFEST))) return CellState.RESTART;
        Checkpoint from;
        try {
            from = CheckpointIO.load(ckpt);
        } catch (RuntimeException e) {
            return CellState.RESTART;
        }
        ExperimentConfig want;
        try {
            want = plan.config(c);
        } catch (RuntimeException e) {
            return CellState.RESTART;
        }
        if (!ConfigLoader.toTree(from.config()).equals(ConfigLoader.toTree(want))) return CellState.RESTART;
        String fp = tables.fingerprint(tables.of(c));
        if (fp == null || !fp.equals(from.provenance().tableFingerprint())) return CellState.RESTART;
        return from.provenance().epoch() >= want.train().epochs() ? CellState.EVALUATE : CellState.RESUME;
    }

    /** What a cell's training depends on, as JSON: its full config, its table's source, the averaging settings. */
    JsonNode trainSpec(Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        Object config;
        try {
            config = ConfigLoader.toTree(plan.config(c));
        } catch (RuntimeException e) {
            config = "unresolvable: " + e.getMessage();
        }
        m.put("config", config);
        m.put("table", tables.spec(c));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("workers", plan.spark().workers());
        s.put("averaging_frequency", plan.spark().averagingFrequency());
        m.put("spark", s);
        return CellFiles.tree(m);
    }

    /** What a cell's evaluation depends on: the task's evaluation settings. */
    JsonNode evalSpec(Cell c) {
        return CellFiles.tree(plan.task(c).eval().toMap());
    }

    private SparkSession spark() {
        if (spark == null) spark = SparkSessions.create("smwm compare " + plan.source(), master);
        return spark;
    }

    // ---- one cell -----------------------------------------------------------------------------------------------

    private Path cellDir(Cell c) {
        return out.resolve(CELLS).resolve(c.name());
    }

    private CellResult runCell(Cell c, CellState st, CellResult before) throws IOException {
        Task t = plan.task(c);
        String table = tables.ensure(c);
        Path dir = cellDir(c);
        Consumer<String> cell = line -> {
            if (!line.startsWith(SKIP_VALIDATION_NOTE)) console.accept("    " + line);
        };
        boolean trainedHere = false, resumed = st == CellState.RESUME;
        double trainSeconds;
        if (st == CellState.RESTART) CellFiles.deleteTree(dir);
        if (st == CellState.PENDING || st == CellState.RESTART || st == CellState.RESUME) {
            int every = plan.spark().checkpointEvery() != null ? plan.spark().checkpointEvery()
                    : AveragingConfig.DEFAULT_CHECKPOINT_EVERY;
            TrainRequest req = resumed
                    ? new TrainRequest(table, dir, null, ConfigOverrides.NONE, master, null, null, true, every, null,
                    false, true, false, true, false, null)
                    : new TrainRequest(table, dir, t.config(), plan.overrides(c), master, plan.spark().workers(),
                    plan.spark().averagingFrequency(), true, every, null, false, false, false, true, false, null);
            long t0 = System.nanoTime();
            try {
                TrainRun.execute(req, spark(), cell);
            } catch (TrainingStoppedException e) {
                if (e.reason() == TrainingStoppedException.Reason.FAILURE) throw e;
                CellResult r = CellResult.stopped(dir, e.reason().name().toLowerCase(Locale.ROOT),
                        resumed ? CellFiles.roundSeconds(dir) : (System.nanoTime() - t0) / 1e9, resumed);
                writeMarker(c, table, r);
                return r;
            }
            trainedHere = true;
            trainSeconds = resumed ? CellFiles.roundSeconds(dir) : (System.nanoTime() - t0) / 1e9;
        } else if (st == CellState.REEVALUATE && before != null) {
            trainSeconds = before.trainSeconds();
            resumed = before.resumed();
        } else {
            trainSeconds = CellFiles.roundSeconds(dir); // trained by an earlier, interrupted invocation
        }

        ComparePlan.Eval ev = t.eval();
        PlannerConfig pc = ev.plannerConfig();
        double evalSeconds = 0;
        for (long seed : ev.seeds()) {
            Path rep = dir.resolve(CellResult.evalDir(seed));
            if (st == CellState.EVALUATE && !trainedHere && CellFiles.reportComplete(rep, seed, ev, pc.method())) {
                evalSeconds += CellFiles.reportSeconds(rep);
                cell.accept("evaluation seed " + seed + ": kept the complete report in " + rep);
                continue;
            }
            cell.accept(String.format(Locale.ROOT, "evaluating %d pairs, eval seed %d, goal offset %d (%s %d × %d)",
                    ev.episodes(), seed, ev.offset(), pc.method(), pc.samples(), pc.iterations()));
            EvaluationRun.Outcome o = EvaluationRun.execute(new EvaluationRequest(dir, table, rep, ev.episodes(),
                    List.of(ev.offset()), null, pc.horizon(), seed, pc, null, null, true, true), cell);
            evalSeconds += o.wallSeconds();
        }
        long d0 = System.nanoTime();
        DiagnosisRun.execute(dir, table, ev.diagnoseSamples(), true, cell);
        double diagSeconds = (System.nanoTime() - d0) / 1e9;
        CellResult r = CellResult.read(dir, pc.method(), ev.offset(), ev.seeds(), trainSeconds, evalSeconds,
                diagSeconds, resumed);
        writeMarker(c, table, r);
        return r;
    }

    private void writeMarker(Cell c, String table, CellResult r) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", MARKER_SCHEMA);
        m.put("schema_version", 1);
        m.put("cell", c.name());
        m.put("task", c.task());
        m.put("distractors", c.distractors());
        m.put("method", c.method());
        m.put("seed", c.seed());
        m.put("table", table);
        m.put("table_fingerprint", tables.fingerprint(table));
        m.put("finished_utc", Instant.now().toString());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("train", trainSpec(c));
        spec.put("eval", evalSpec(c));
        m.put("spec", spec);
        m.put("results", r.toMap());
        AtomicFiles.write(cellDir(c).resolve(MARKER), JSON.writeValueAsBytes(m));
    }

    private CompareSummary writeSummary(List<CompareSummary.Entry> entries) throws IOException {
        CompareSummary s = new CompareSummary(plan, out.toString(), finishedOnly(entries));
        AtomicFiles.write(out.resolve(SUMMARY_JSON), JSON.writeValueAsBytes(s.toMap()));
        AtomicFiles.writeString(out.resolve(SUMMARY_HTML), SummaryHtml.render(s));
        return s;
    }

}
