package io.smwm.spark.cli;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.eval.EvalConfig;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.FailureDiagnosis;
import io.smwm.core.eval.Evaluator;
import io.smwm.core.eval.MethodResult;
import io.smwm.core.eval.PairSource;
import io.smwm.core.eval.report.ReportWriter;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.WorldModelLatentModel;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.eval.TablePairSource;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.spark.eval.DistributedEvaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** {@code smwm evaluate}: plan toward goal images on held-out start/goal pairs; the paper's protocol. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Plan in latent space toward goal frames from held-out episodes (the paper's evaluation protocol) and write RUN/eval/report.{json,md,html} with plots.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run directory (with checkpoint/).")
    Path run;

    @Option(names = "--data", required = true, description = "The table the run was trained on (its held-out episodes give the pairs).")
    String data;

    @Option(names = "--episodes", defaultValue = "100", description = "Start/goal pairs per goal offset (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--planner", defaultValue = "cem", description = "cem or mppi (default: ${DEFAULT-VALUE}).")
    String planner;

    @Option(names = "--goal-offset", defaultValue = "25", description = "Env steps from start to goal (default: ${DEFAULT-VALUE}).")
    int goalOffset;

    @Option(names = "--goal-offsets", split = ",", description = "A horizon sweep, e.g. 25,40,55,70,85,100 (budget = 2 x offset).")
    List<Integer> goalOffsets;

    @Option(names = "--budget", description = "Env-step budget (default: 2 x goal offset, 50 for 25).")
    Integer budget;

    @Option(names = "--execute-steps", defaultValue = "5", description = "Model steps of each plan executed before "
            + "re-planning, 1..horizon (default: ${DEFAULT-VALUE}, the paper's whole 5-step plan = 25 env actions).")
    int executeSteps;

    @Option(names = "--plan-pick", defaultValue = "mean", description = "What each solve executes: mean (the "
            + "paper's CEM: the final sampling mean) or best (the lowest-cost candidate seen, when it beats the mean). "
            + "Default: ${DEFAULT-VALUE}.")
    String planPick;

    @Option(names = "--samples", description = "Planner candidates per iteration (default: the paper's 300).")
    Integer samples;

    @Option(names = "--iterations", description = "Planner iterations per solve (default: the paper's 30).")
    Integer iterations;

    @Option(names = "--noise-correlation", description = "AR(1) correlation ρ in [0, 1) of the planner's sampling "
            + "noise along each plan's primitive steps (default: 0, the paper's independent noise).")
    Double noiseCorrelation;

    @Option(names = "--clip-samples", arity = "1", paramLabel = "true|false", description = "Project every candidate "
            + "into the env's action box before the model sees it (default: false for CEM, as the paper's code "
            + "samples; true for MPPI). Executed actions are clipped either way.")
    Boolean clipSamples;

    @Option(names = "--seed", defaultValue = "0", description = "Evaluation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Report directory (default: RUN/eval).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing report.")
    boolean overwrite;

    @Option(names = "--master", description = "Spread the episodes over Spark executors (local[2], spark://..., yarn); "
            + "the report equals the driver-only one for the same seed. Default: plan on the driver, no Spark.")
    String master;

    @Option(names = "--slices", description = "With --master: tasks per goal offset, each a contiguous slice of the "
            + "pairs (default: Spark's default parallelism).")
    Integer slices;

    @Option(names = "--skip-validation", description = "Do not validate the table first (for a table validated since "
            + "it last changed); the reader's per-row checks still apply.")
    boolean skipValidation;

    private PlannerConfig pc;

    /** Most start/goal pairs per goal offset, and the longest goal offset, one evaluation takes. */
    static final int MAX_EPISODES = 100_000, MAX_GOAL_OFFSET = 1_000_000;
    /** Plans are batched over a goal offset's episodes: episodes x samples candidate rows at once, at most this. */
    static final long MAX_BATCH_ROWS = 2_000_000;

    @Override
    public Integer call() throws Exception {
        if (slices != null && master == null) {
            throw new UserError("--slices applies to a distributed evaluation; add --master (e.g. local[2])");
        }
        if (slices != null && slices < 1) {
            throw new UserError("--slices must be >= 1, got " + slices);
        }
        if (episodes < 1 || episodes > MAX_EPISODES) {
            throw new UserError("--episodes must be in [1, " + MAX_EPISODES + "], got " + episodes);
        }
        List<Integer> offsets = goalOffsets == null || goalOffsets.isEmpty() ? List.of(goalOffset) : goalOffsets;
        for (Integer o : offsets) {
            if (o == null || o < 1 || o > MAX_GOAL_OFFSET) {
                throw new UserError((offsets.size() > 1 ? "--goal-offsets entries" : "--goal-offset")
                        + " must be in [1, " + MAX_GOAL_OFFSET + "] env steps, got " + o);
            }
        }
        if (budget != null && offsets.size() > 1) {
            throw new UserError("--budget applies to one --goal-offset; a --goal-offsets sweep uses 2 x offset");
        }
        if (budget != null && (budget < 1 || budget > 100L * offsets.get(0))) {
            throw new UserError("--budget must be in [1, 100 x goal offset = " + 100L * offsets.get(0) + "] env steps, got "
                    + budget);
        }
        pc = switch (planner) {
            case "cem" -> PlannerConfig.cem();
            case "mppi" -> PlannerConfig.mppi();
            default -> throw new UserError("unknown --planner '" + planner + "'; valid: cem, mppi");
        };
        pc = switch (planPick) {
            case "mean" -> pc;
            case "best" -> pc.withReturnBest(true);
            default -> throw new UserError("unknown --plan-pick '" + planPick + "'; valid: mean, best");
        };
        try {
            pc = samples == null ? pc : pc.withSamples(samples);
            pc = iterations == null ? pc : pc.withIterations(iterations);
            pc = noiseCorrelation == null ? pc : pc.withNoiseCorrelation(noiseCorrelation);
            pc = clipSamples == null ? pc : pc.withClipSamples(clipSamples);
        } catch (IllegalArgumentException e) {
            throw new UserError("--samples/--iterations/--noise-correlation: " + e.getMessage());
        }
        if ((long) episodes * pc.samples() > MAX_BATCH_ROWS) {
            throw new UserError("--episodes x --samples = " + (long) episodes * pc.samples() + " candidate plans are "
                    + "solved at once per goal offset, more than " + MAX_BATCH_ROWS + "; use fewer of either");
        }
        if (executeSteps < 1 || executeSteps > pc.horizon()) {
            throw new UserError("--execute-steps must be in 1.." + pc.horizon() + " (the planner's horizon), got "
                    + executeSteps);
        }
        Path ckptDir = run.resolve("checkpoint");
        Path dir = out != null ? out : run.resolve("eval");
        Path dataDir = RunDirs.local(data);
        RunDirs.checkNoOverlap("--out", dir, "--data", dataDir);
        RunDirs.checkNoOverlap("--out", dir, "the checkpoint", ckptDir);
        RunDirs.checkReportOut(dir, overwrite);
        RunDirs.recoverCheckpoint(run);
        if (!Files.isDirectory(ckptDir)) {
            throw new UserError("no checkpoint at " + ckptDir + "; train first (smwm train --out " + run + ")");
        }
        Checkpoint ckpt = CheckpointIO.load(ckptDir);
        TableMetadata meta;
        try (TrajectoryReader r = TrajectoryReader.open(data)) {
            meta = r.metadata();
        }
        TrainingData.checkCompatible(meta, ckpt.config(), data);
        if (skipValidation) {
            System.out.println("note: --skip-validation: " + data + " is not validated before evaluating");
        } else {
            new TableValidator().requireValid(data);
        }
        try (RunLock lock = RunLock.acquire(dir, "smwm evaluate")) {
            RunDirs.checkReportOut(dir, overwrite); // again, as the report directory's only writer
            return evaluate(ckptDir, ckpt, meta, dir, offsets);
        }
    }

    private int evaluate(Path ckptDir, Checkpoint ckpt, TableMetadata meta, Path dir, List<Integer> offsets)
            throws Exception {
        ExperimentConfig cfg = ckpt.config();
        EnvConfig envCfg = TrainingData.envConfig(meta);
        Supplier<Environment> envs = () -> Environments.create(meta.env().id(), envCfg);
        double factor = budget == null ? 2.0 : budget / (double) offsets.get(0);
        EvalConfig ec = new EvalConfig(episodes, factor, executeSteps, seed, true, true, 4, true);
        EpisodeSplit split = TrainingData.split(meta, cfg);
        List<PairSource> sources = new ArrayList<>();
        for (int o : offsets) {
            sources.add(new TablePairSource(data, split, o, (cfg.model().context() - 1) * cfg.model().frameskip()));
        }
        Map<String, PlannerConfig> planners = new LinkedHashMap<>();
        planners.put(pc.method(), pc);
        long t0 = System.nanoTime();
        EvaluationReport rep;
        String where;
        if (master == null) {
            rep = new Evaluator(envs, new WorldModelLatentModel(ckpt.toModel()), ec).evaluate(planners, sources);
            where = "driver";
        } else {
            SparkSession spark = SparkSessions.create("smwm evaluate", master);
            try {
                int n = slices != null ? slices : spark.sparkContext().defaultParallelism();
                rep = DistributedEvaluator.evaluate(spark, ckptDir.toAbsolutePath(), meta.env().id(), envCfg, ec,
                        planners, sources, n);
                where = "spark " + spark.sparkContext().master() + ", " + n + " slices per goal offset";
            } finally {
                spark.stop();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("checkpoint", ckptDir.toString());
        prov.put("table", data);
        prov.put("table_fingerprint", meta.fingerprint());
        prov.put("train_seed", cfg.train().seed());
        prov.put("lambda", cfg.loss().lambda());
        prov.put("eval_seed", seed);
        prov.put("wall_seconds", secs);
        prov.put("evaluated_on", where);
        ReportWriter.write(rep, dir, prov, overwrite);
        System.out.printf("%-8s %6s %6s %9s %8s %8s %12s%n", "method", "offset", "budget", "success", "n", "stderr",
                "plan ms/solve");
        for (MethodResult m : rep.results()) {
            System.out.printf("%-8s %6d %6d %8.1f%% %8d %7.1f%% %12s%n", m.method(), m.goalOffset(), m.budget(),
                    100 * m.successRate(), m.episodes(), 100 * m.stderr(),
                    Double.isNaN(m.planMsMedian()) ? "-" : String.format("%.1f", m.planMsMedian()));
        }
        for (MethodResult m : rep.results()) {
            System.out.println(m.describe());
        }
        for (MethodResult m : rep.results()) {
            FailureDiagnosis d = FailureDiagnosis.of(rep.episodes(), m.method(), m.goalOffset());
            if (d != null && d.failures() > 0) {
                System.out.println(d.describe(m.method(), m.goalOffset()));
            }
        }
        System.out.printf("evaluated in %.0f s; report %s%n", secs, dir.resolve("report.html"));
        return 0;
    }
}
