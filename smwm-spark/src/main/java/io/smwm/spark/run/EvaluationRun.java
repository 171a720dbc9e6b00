package io.smwm.spark.run;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.eval.EvalConfig;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.Evaluator;
import io.smwm.core.eval.MinGoalDistance;
import io.smwm.core.eval.PairSource;
import io.smwm.core.eval.report.EvaluationProvenance;
import io.smwm.core.eval.report.ReportWriter;
import io.smwm.core.plan.EnsembleLatentModel;
import io.smwm.core.plan.LatentModel;
import io.smwm.core.plan.LinearMetricLatentModel;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.WorldModelLatentModel;
import io.smwm.core.stats.Whitening;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.eval.CostMetric;
import io.smwm.data.eval.TablePairSource;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.spark.eval.DistributedEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * One evaluation, as {@code smwm evaluate} and the quickstart start it: checks the request's ranges and the report
 * directory (under its lock), loads the run's checkpoint, checks it against the table, validates the table, draws
 * the start/goal pairs from the held-out episodes, plans with the model (on the driver, or spread over Spark
 * executors) and the random policy on the same pairs, and writes {@code report.json/md/html} with its provenance.
 */
public final class EvaluationRun {
    /** Most start/goal pairs per goal offset, and the longest goal offset, one evaluation takes. */
    public static final int MAX_EPISODES = 100_000, MAX_GOAL_OFFSET = 1_000_000;
    /** Plans are batched over a goal offset's episodes: episodes × samples candidate rows at once, at most this. */
    public static final long MAX_BATCH_ROWS = 2_000_000;

    /** What an evaluation produced: the report and where it was written. */
    public record Outcome(EvaluationReport report, Path reportDir, double wallSeconds) {}

    private EvaluationRun() {}

    /** Checks {@code req}, evaluates and writes the report; {@code console} receives notes (not the results). */
    public static Outcome execute(EvaluationRequest req, Consumer<String> console) throws IOException {
        return execute(req, null, console);
    }

    /**
     * {@link #execute(EvaluationRequest, Consumer)}, naming the checkpoint {@code checkpointLabel} in the report's
     * provenance (null: its directory), e.g. the URI of a run on a Hadoop path read from a local copy.
     */
    public static Outcome execute(EvaluationRequest req, String checkpointLabel, Consumer<String> console)
            throws IOException {
        check(req);
        Path run = req.run(), ckptDir = run.resolve("checkpoint"), dir = req.reportDir();
        RunDirs.checkNoOverlap("--out", dir, "--data", RunDirs.local(req.data()));
        RunDirs.checkNoOverlap("--out", dir, "the checkpoint", ckptDir);
        RunDirs.checkReportOut(dir, req.overwrite());
        RunDirs.recoverCheckpoint(run);
        if (!Files.isDirectory(ckptDir))
            throw new UserError("no checkpoint at " + ckptDir + "; train first (smwm train --out " + run + ")");
        Checkpoint ckpt = CheckpointIO.load(ckptDir);
        TableMetadata meta;
        try (TrajectoryReader r = TrajectoryReader.open(req.data())) {
            meta = r.metadata();
        }
        TrainingData.checkCompatible(meta, ckpt.config(), req.data());
        EnvConfig envCfg = evaluationEnv(meta, req.taskParams()); // a bad task param fails before anything is written
        List<Member> members = ensembleMembers(req, ckpt, meta, console);
        if (req.skipValidation())
            console.accept("note: --skip-validation: " + req.data() + " is not validated before evaluating");
        else
            new TableValidator().requireValid(req.data());
        try (RunLock lock = RunLock.acquire(dir, "smwm evaluate")) {
            RunDirs.checkReportOut(dir, req.overwrite()); // again, as the report directory's only writer
            return evaluate(req, ckptDir, checkpointLabel == null ? ckptDir.toString() : checkpointLabel, ckpt, meta,
                    envCfg, members, dir, console);
        }
    }

    /** An ensemble member: its checkpoint directory and checkpoint. */
    private record Member(Path dir, Checkpoint ckpt) {}

    /**
     * The request's further ensemble members, loaded and checked: each fits the table (its task), has the same action
     * space and context as the run, and, where it was trained on this very table, holds out the same episodes, so
     * that the pairs are held out from it. A member trained on another table is noted on {@code console}.
     */
    private static List<Member> ensembleMembers(EvaluationRequest req, Checkpoint ckpt, TableMetadata meta,
                                                Consumer<String> console) throws IOException {
        List<Member> out = new ArrayList<>();
        EpisodeSplit split = TrainingData.split(meta, ckpt.config());
        for (Path m : req.ensemble()) {
            Path dir = m.resolve("checkpoint");
            RunDirs.recoverCheckpoint(m);
            if (!Files.isDirectory(dir))
                throw new UserError("--ensemble: no checkpoint at " + dir);
            Checkpoint c = CheckpointIO.load(dir);
            TrainingData.checkCompatible(meta, c.config(), req.data());
            var a = ckpt.config().model();
            var b = c.config().model();
            if (a.context() != b.context() || a.frameskip() != b.frameskip() || a.actionDim() != b.actionDim())
                throw new UserError("--ensemble: " + m + " has context " + b.context() + ", frameskip " + b.frameskip()
                        + " and action dimension " + b.actionDim() + "; the run has " + a.context() + ", "
                        + a.frameskip() + " and " + a.actionDim());
            if (!c.provenance().tableFingerprint().equals(meta.fingerprint())) {
                // trained on another table: it z-scores actions by that table's statistics (the ensemble hands it
                // converted actions), and which of this table's episodes it saw cannot be read from its split
                console.accept("note: --ensemble: " + m + " was trained on another table (fingerprint "
                        + c.provenance().tableFingerprint() + ", not " + meta.fingerprint() + "): it rates the same env "
                        + "actions in its own normalisation; that the pairs' episodes were not in its data is yours to know");
            } else {
                EpisodeSplit other = TrainingData.split(meta, c.config());
                for (long e = 0; e < meta.episodes(); e++) {
                    if (split.isValidation(e) != other.isValidation(e))
                        throw new UserError("--ensemble: " + m + " holds out other episodes than the run (episode " + e
                                + "), so some pairs would come from episodes it trained on; train it with the run's "
                                + "train.splitSeed (" + ckpt.config().train().splitRoot() + ") and train.valFraction");
                }
            }
            out.add(new Member(dir, c));
        }
        return out;
    }

    /** The table's task with the request's task params set over its own (only those of the success test). */
    private static EnvConfig evaluationEnv(TableMetadata meta, Map<String, String> taskParams) {
        try {
            return Environments.withEvaluationParams(meta.env().id(), TrainingData.envConfig(meta), taskParams);
        } catch (IllegalArgumentException e) {
            throw new UserError("--param: " + e.getMessage());
        }
    }

    private static void check(EvaluationRequest req) {
        if (!req.ensemble().isEmpty() && req.master() != null)
            throw new UserError("--ensemble plans on the driver; drop --master");
        if (req.slices() != null && req.master() == null)
            throw new UserError("--slices applies to a distributed evaluation; add --master (e.g. local[2])");
        if (req.slices() != null && req.slices() < 1)
            throw new UserError("--slices must be >= 1, got " + req.slices());
        if (req.episodes() < 1 || req.episodes() > MAX_EPISODES)
            throw new UserError("--episodes must be in [1, " + MAX_EPISODES + "], got " + req.episodes());
        List<Integer> offsets = req.goalOffsets();
        if (offsets.isEmpty()) throw new UserError("no goal offset given");
        for (Integer o : offsets) {
            if (o == null || o < 1 || o > MAX_GOAL_OFFSET)
                throw new UserError((offsets.size() > 1 ? "--goal-offsets entries" : "--goal-offset")
                        + " must be in [1, " + MAX_GOAL_OFFSET + "] env steps, got " + o);
        }
        Integer budget = req.budget();
        if (budget != null && offsets.size() > 1)
            throw new UserError("--budget applies to one --goal-offset; a --goal-offsets sweep uses 2 x offset");
        if (budget != null && (budget < 1 || budget > 100L * offsets.get(0)))
            throw new UserError("--budget must be in [1, 100 x goal offset = " + 100L * offsets.get(0)
                    + "] env steps, got " + budget);
        PlannerConfig pc = req.planner();
        if ((long) req.episodes() * pc.samples() > MAX_BATCH_ROWS)
            throw new UserError("--episodes x --samples = " + (long) req.episodes() * pc.samples() + " candidate "
                    + "plans are solved at once per goal offset, more than " + MAX_BATCH_ROWS + "; use fewer of either");
        if (req.executeSteps() < 1 || req.executeSteps() > pc.horizon())
            throw new UserError("--execute-steps must be in 1.." + pc.horizon() + " (the planner's horizon), got "
                    + req.executeSteps());
        Double w = req.costWhitening();
        if (w != null && !(w >= 0 && w <= 1))
            throw new UserError("--cost-whitening must be 0 (off) or a floor in (0, 1], got " + w);
        Double d = req.minGoalDistance();
        if (d != null && (!(d >= 0) || d.isInfinite()))
            throw new UserError("--min-goal-distance must be a finite number >= 0 (in the units of the task's goal "
                    + "error, e.g. m for cube), got " + d);
    }

    private static Outcome evaluate(EvaluationRequest req, Path ckptDir, String ckptLabel, Checkpoint ckpt,
                                    TableMetadata meta, EnvConfig envCfg, List<Member> members, Path dir,
                                    Consumer<String> console)
            throws IOException {
        ExperimentConfig cfg = ckpt.config();
        List<Integer> offsets = req.goalOffsets();
        Supplier<Environment> envs = () -> Environments.create(meta.env().id(), envCfg);
        if (!req.taskParams().isEmpty())
            console.accept("task params set for this evaluation: " + new TreeMap<>(req.taskParams()) + "; success: "
                    + envs.get().goalErrorSpec().names() + " each under its threshold");
        double factor = req.budget() == null ? 2.0 : req.budget() / (double) offsets.get(0);
        EvalConfig ec = EvalConfig.protocol(req.episodes(), factor, req.executeSteps(), req.seed())
                .withRecordStates(req.recordStates());
        EpisodeSplit split = TrainingData.split(meta, cfg);
        List<PairSource> sources = new ArrayList<>();
        MinGoalDistance far = req.minGoalDistance() == null ? null : new MinGoalDistance(req.minGoalDistance());
        for (int o : offsets)
            sources.add(new TablePairSource(req.data(), split, o,
                    (cfg.model().context() - 1) * cfg.model().frameskip(), far, envs));
        PlannerConfig planner = req.plannerFor(cfg);
        Whitening metric = null;
        if (planner.costWhitening() > 0) {
            metric = CostMetric.fit(req.data(), split, new WorldModelLatentModel(ckpt.toModel()),
                    planner.costWhitening());
            console.accept("planning cost: the squared latent distance after a whitening fitted to the training "
                    + "episodes' frames (floor " + planner.costWhitening() + ": " + metric.floored() + " of "
                    + ckpt.config().model().latentDim() + " directions floored)");
        }
        Planned p;
        if (members.isEmpty()) {
            p = plan(ckptDir, ckpt, meta.env().id(), envCfg, ec, planner, sources, req.master(), req.slices(), metric);
        } else {
            List<LatentModel> models = new ArrayList<>();
            models.add(latentModel(ckpt, metric));
            for (Member m : members) {
                Whitening w = planner.costWhitening() > 0 ? CostMetric.fit(req.data(), split,
                        new WorldModelLatentModel(m.ckpt().toModel()), planner.costWhitening()) : null;
                models.add(latentModel(m.ckpt(), w));
            }
            console.accept("planning with an ensemble of " + models.size() + " models (the run and " + req.ensemble()
                    + "): the cost is the sum of their costs" + (metric != null ? ", each whitened on its own" : ""));
            p = onDriver(new EnsembleLatentModel(models), envs, ec, planner, sources);
        }
        EvaluationProvenance prov = new EvaluationProvenance(ckptLabel, req.data(), meta.fingerprint(),
                cfg.train().seed(), cfg.loss().lambda(), req.seed(), p.wallSeconds(), p.where());
        Map<String, Object> provenance = new LinkedHashMap<>(prov.toMap());
        if (!req.taskParams().isEmpty()) provenance.put("task_params", new TreeMap<>(req.taskParams()));
        if (!members.isEmpty()) {
            List<String> dirs = new ArrayList<>();
            for (Member m : members) dirs.add(m.dir().toString());
            provenance.put("ensemble", dirs);
        }
        ReportWriter.write(p.report(), dir, provenance, req.overwrite());
        return new Outcome(p.report(), dir, p.wallSeconds());
    }

    /** A report as planned, where it was planned ("driver" or the Spark master and slices), and how long it took. */
    public record Planned(EvaluationReport report, String where, double wallSeconds) {}

    /**
     * Plans with the checkpoint's model and the random baseline on the given pair sources: on the driver
     * ({@code master} null) or spread over Spark executors (a session of its own, stopped afterwards). Writes nothing;
     * {@link #execute} and the retraining job ({@link RetrainRun}, on a registry's stored benchmark pairs) use it.
     *
     * @param envId  the task of the pairs; {@code envCfg} builds its env
     * @param slices with a master: tasks per goal offset; null: Spark's default parallelism
     * @param metric the cost's whitening ({@link CostMetric#fit}) when {@code planner.costWhitening} &gt; 0, else null
     */
    public static Planned plan(Path ckptDir, Checkpoint ckpt, String envId, EnvConfig envCfg, EvalConfig ec,
                               PlannerConfig planner, List<PairSource> sources, String master, Integer slices,
                               Whitening metric) {
        if ((planner.costWhitening() > 0) != (metric != null)) {
            throw new IllegalArgumentException("planner.costWhitening " + planner.costWhitening() + " needs "
                    + (metric == null ? "a fitted whitening (CostMetric.fit)" : "no whitening"));
        }
        if (master == null) {
            return onDriver(latentModel(ckpt, metric), () -> Environments.create(envId, envCfg), ec, planner, sources);
        }
        Map<String, PlannerConfig> planners = new LinkedHashMap<>();
        planners.put(planner.method(), planner);
        long t0 = System.nanoTime();
        SparkSession spark = SparkSessions.create("smwm evaluate", master);
        try {
            int n = slices != null ? slices : spark.sparkContext().defaultParallelism();
            EvaluationReport rep = DistributedEvaluator.evaluate(spark, ckptDir.toAbsolutePath(), envId, envCfg, ec,
                    planners, sources, n, metric);
            String where = "spark " + spark.sparkContext().master() + ", " + n + " slices per goal offset";
            return new Planned(rep, where, (System.nanoTime() - t0) / 1e9);
        } finally {
            spark.stop();
        }
    }

    /** The checkpoint's model as the planner sees it: through the whitening {@code metric} when not null. */
    private static LatentModel latentModel(Checkpoint ckpt, Whitening metric) {
        LatentModel lm = new WorldModelLatentModel(ckpt.toModel());
        return metric == null ? lm : new LinearMetricLatentModel(lm, metric.w(), metric.wInv());
    }

    private static Planned onDriver(LatentModel lm, Supplier<Environment> envs, EvalConfig ec, PlannerConfig planner,
                                    List<PairSource> sources) {
        Map<String, PlannerConfig> planners = new LinkedHashMap<>();
        planners.put(planner.method(), planner);
        long t0 = System.nanoTime();
        EvaluationReport rep = new Evaluator(envs, lm, ec).evaluate(planners, sources);
        return new Planned(rep, "driver", (System.nanoTime() - t0) / 1e9);
    }
}
