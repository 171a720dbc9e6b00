package io.smwm.spark.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.eval.EvalConfig;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.Evaluator;
import io.smwm.core.eval.StartGoalPair;
import io.smwm.core.eval.report.EvaluationProvenance;
import io.smwm.core.eval.report.ReportWriter;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.train.TrainingStoppedException;
import io.smwm.core.util.UserError;
import io.smwm.core.util.Version;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.eval.TablePairSource;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.spark.hadoop.HadoopStore;
import io.smwm.spark.registry.Benchmark;
import io.smwm.spark.registry.BenchmarkResult;
import io.smwm.spark.registry.Gate;
import io.smwm.spark.registry.GateConfig;
import io.smwm.spark.registry.ModelRegistry;
import io.smwm.spark.registry.RegistryJob;
import io.smwm.spark.registry.TrainingOutcome;
import io.smwm.spark.run.RetrainRequest.BenchmarkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One scheduled retraining ({@code smwm retrain}): under the registry's job lock, train a candidate into a hidden
 * staging directory of the registry ({@link TrainRun}, from scratch or warm-started from the promoted version,
 * failing on collapse by default), evaluate it on the registry's benchmark pairs (drawn and stored on the first
 * retrain: {@link Benchmark}), write its provenance, and commit it as the next version with the gate's decision
 * ({@link Gate}, against the version current at commit time); a promoted candidate becomes {@code current}.
 *
 * <p>A candidate whose training stopped on a non-finite loss or on collapse is a verdict on the model: it is
 * committed as a rejected version (decision.json says why; no evaluation). Any other failure (a bad table or flag, a
 * failed Spark job) ends the job with an exception, commits nothing and leaves {@code current} alone; the staging
 * directory stays for inspection until the next job removes it.
 */
public final class RetrainRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a retrain produced: the committed version, the gate's decision and the report (null if not evaluated). */
    public record Outcome(ModelRegistry.Version version, Gate.Decision decision, EvaluationReport report,
                          Optional<ModelRegistry.Version> current) {
        public boolean promoted() { return decision.promote(); }
    }

    /** Where the benchmark pairs will be drawn from, checked before training; sampled after it. */
    private record Draw(TablePairSource source, Benchmark.Source from, EnvConfig env, String envId, int episodes,
                        long seed, PlannerConfig planner, int history, int goalOffset) {}

    private RetrainRun() {}

    /** Runs the job; {@code console} receives progress lines. */
    public static Outcome execute(RetrainRequest req, Consumer<String> console) throws IOException {
        TrainRequest t0 = req.train();
        if (t0.resume() || t0.overwrite())
            throw new UserError("retrain trains every candidate into a new version; --resume and --overwrite do not "
                    + "apply");
        if (req.evalSlices() != null && (req.evalMaster() == null || req.evalSlices() < 1))
            throw new UserError("--eval-slices applies to a distributed evaluation (add --eval-master) and must be "
                    + ">= 1, got " + req.evalSlices());
        GateConfig gate = req.gate() == null ? GateConfig.DEFAULTS : GateConfig.load(req.gate());
        PlannerConfig planner = planner(req.benchmark());
        Path regDir = HadoopStore.isUri(req.registry()) ? null : Path.of(req.registry()); // else on a Hadoop path
        RunDirs.checkNoOverlap("--registry", regDir, "--data", RunDirs.local(t0.data()));
        if (req.benchmark().table() != null)
            RunDirs.checkNoOverlap("--registry", regDir, "--benchmark-data", RunDirs.local(req.benchmark().table()));
        ModelRegistry reg = ModelRegistry.openOrCreate(req.registry());
        try (RegistryJob job = reg.startJob("smwm retrain")) {
            return run(req, reg, job, gate, planner, console);
        }
    }

    private static Outcome run(RetrainRequest req, ModelRegistry reg, RegistryJob job, GateConfig gate,
                               PlannerConfig planner, Consumer<String> console) throws IOException {
        TrainRequest t0 = req.train();
        TableMetadata meta;
        try (TrajectoryReader r = TrajectoryReader.open(t0.data())) {
            meta = r.metadata();
        }
        ExperimentConfig cfg = t0.overrides().apply(TrainRun.resolveConfig(t0.config(), meta));
        TrainingData.checkCompatible(meta, cfg, t0.data());
        EnvConfig tableEnv = TrainingData.envConfig(meta);
        Optional<Benchmark> stored = reg.benchmark();
        Draw draw = null;
        if (stored.isPresent()) {
            checkSameSpec(req.benchmark(), stored.get());
            stored.get().checkFits(meta.env().id(), tableEnv, cfg, t0.data());
        } else {
            draw = prepareDraw(req.benchmark(), planner, meta, cfg, t0.data());
        }
        Optional<ModelRegistry.Version> atStart = reg.current();
        Path warm = null;
        if (req.warmStart()) {
            if (atStart.isPresent()) warm = atStart.get().checkpoint();
            else console.accept("note: --warm-start: no version is promoted yet; this candidate trains from scratch");
        }
        ModelRegistry.Staging s = job.stage();
        console.accept("candidate " + s.name() + " in " + reg.location() + (warm == null ? ", from scratch"
                : ", warm-started from " + atStart.get().name()) + "; promoted now: "
                + atStart.map(ModelRegistry.Version::name).orElse("none"));

        TrainingOutcome training;
        try {
            training = TrainingOutcome.of(TrainRun.execute(t0.withOut(s.dir()).withWarmStart(warm), console).result());
        } catch (TrainingStoppedException e) {
            if (e.reason() == TrainingStoppedException.Reason.FAILURE) throw e;
            training = TrainingOutcome.stopped(e, s.dir());
            console.accept("candidate " + s.name() + ": " + e.getMessage());
        }

        Benchmark bench;
        if (stored.isPresent()) {
            bench = stored.get();
        } else {
            job.saveBenchmark(drawPairs(draw));
            bench = reg.benchmark().orElseThrow(); // every version plans the stored pairs, read back
            console.accept(String.format(Locale.ROOT, "benchmark: %d pairs (goal offset %d) drawn from %s, %s; stored "
                    + "in %s", bench.episodes(), bench.goalOffset(), bench.source().table(), bench.source().episodes(),
                    reg.benchmarkLocation()));
        }

        BenchmarkResult result = null;
        EvaluationReport report = null;
        if (training.completed()) {
            report = evaluate(req, reg, s, bench, cfg);
            result = BenchmarkResult.read(s.dir().resolve("eval").resolve("report.json"), bench.planner().method(),
                    bench.goalOffset());
        }
        writeProvenance(s, t0, meta, warm == null ? null : atStart.get().name(), atStart, bench, training, result);

        final BenchmarkResult candidate = result;
        final TrainingOutcome trained = training;
        Gate.Decision[] decided = new Gate.Decision[1];
        ModelRegistry.Version v = job.commit(s, current -> {
            BenchmarkResult base = current.isPresent() ? BenchmarkResult.read(current.get().report(),
                    bench.planner().method(), bench.goalOffset()) : null;
            decided[0] = Gate.decide(gate, trained, candidate, current.map(ModelRegistry.Version::name).orElse(null),
                    base);
            return new ModelRegistry.Decision(decided[0].promote(), Gate.toJson(decided[0], gate));
        });
        return new Outcome(v, decided[0], report, reg.current());
    }

    private static PlannerConfig planner(BenchmarkSpec b) {
        String name = b.planner() == null ? "cem" : b.planner();
        PlannerConfig pc = switch (name) {
            case "cem" -> PlannerConfig.cem();
            case "mppi" -> PlannerConfig.mppi();
            default -> throw new UserError("unknown --planner '" + name + "'; valid: cem, mppi");
        };
        try {
            if (b.samples() != null) pc = pc.withSamples(b.samples());
            if (b.iterations() != null) pc = pc.withIterations(b.iterations());
        } catch (IllegalArgumentException e) {
            throw new UserError("--eval-samples/--eval-iterations: " + e.getMessage());
        }
        int n = b.episodes() == null ? BenchmarkSpec.DEFAULT_EPISODES : b.episodes();
        if (n < 1 || n > EvaluationRun.MAX_EPISODES)
            throw new UserError("--eval-episodes must be in [1, " + EvaluationRun.MAX_EPISODES + "], got " + n);
        if ((long) n * pc.samples() > EvaluationRun.MAX_BATCH_ROWS)
            throw new UserError("--eval-episodes x --eval-samples = " + (long) n * pc.samples() + " candidate plans "
                    + "are solved at once, more than " + EvaluationRun.MAX_BATCH_ROWS + "; use fewer of either");
        int o = b.goalOffset() == null ? BenchmarkSpec.DEFAULT_GOAL_OFFSET : b.goalOffset();
        if (o < 1 || o > EvaluationRun.MAX_GOAL_OFFSET)
            throw new UserError("--goal-offset must be in [1, " + EvaluationRun.MAX_GOAL_OFFSET + "], got " + o);
        return pc;
    }

    /** A benchmark option given for a registry that has its pairs must name the stored value. */
    private static void checkSameSpec(BenchmarkSpec b, Benchmark stored) {
        List<String> diff = new ArrayList<>();
        if (b.episodes() != null && b.episodes() != stored.episodes())
            diff.add("--eval-episodes " + b.episodes() + " (stored: " + stored.episodes() + ")");
        if (b.goalOffset() != null && b.goalOffset() != stored.goalOffset())
            diff.add("--goal-offset " + b.goalOffset() + " (stored: " + stored.goalOffset() + ")");
        if (b.seed() != null && b.seed() != stored.evalSeed())
            diff.add("--eval-seed " + b.seed() + " (stored: " + stored.evalSeed() + ")");
        if (b.planner() != null && !b.planner().equals(stored.planner().method()))
            diff.add("--planner " + b.planner() + " (stored: " + stored.planner().method() + ")");
        if (b.samples() != null && b.samples() != stored.planner().samples())
            diff.add("--eval-samples " + b.samples() + " (stored: " + stored.planner().samples() + ")");
        if (b.iterations() != null && b.iterations() != stored.planner().iterations())
            diff.add("--eval-iterations " + b.iterations() + " (stored: " + stored.planner().iterations() + ")");
        if (b.table() != null && !b.table().equals(stored.source().table()))
            diff.add("--benchmark-data " + b.table() + " (stored pairs come from " + stored.source().table() + ")");
        if (!diff.isEmpty())
            throw new UserError("the registry's benchmark is fixed when it is first drawn, and these options differ "
                    + "from it: " + String.join(", ", diff) + "; drop them (or use a new registry for another "
                    + "benchmark)");
    }

    /** Checks, before training, that the pairs can be drawn; the draw itself waits for a validated table. */
    private static Draw prepareDraw(BenchmarkSpec b, PlannerConfig planner, TableMetadata dataMeta,
                                    ExperimentConfig cfg, String data) throws IOException {
        int episodes = b.episodes() == null ? BenchmarkSpec.DEFAULT_EPISODES : b.episodes();
        int offset = b.goalOffset() == null ? BenchmarkSpec.DEFAULT_GOAL_OFFSET : b.goalOffset();
        long seed = b.seed() == null ? 0L : b.seed();
        int history = (cfg.model().context() - 1) * cfg.model().frameskip();
        EnvConfig env = TrainingData.envConfig(dataMeta);
        if (b.table() != null) {
            TableMetadata m;
            try (TrajectoryReader r = TrajectoryReader.open(b.table())) {
                m = r.metadata();
            }
            EnvConfig be = TrainingData.envConfig(m);
            if (!m.env().id().equals(dataMeta.env().id()) || !be.equals(env) || m.action().dim() != dataMeta.action().dim())
                throw new UserError("--benchmark-data " + b.table() + " holds " + m.env().id() + "/" + be.variant()
                        + " at " + be.imageSize() + " px with distractors " + be.distractors() + ", --data "
                        + data + " " + dataMeta.env().id() + "/" + env.variant() + " at " + env.imageSize()
                        + " px with distractors " + env.distractors() + "; the benchmark must be of the same task");
            new TableValidator().requireValid(b.table());
            EpisodeSplit all = EpisodeSplit.of(m.episodes(), 0.0, 0L);
            return new Draw(new TablePairSource(b.table(), all, offset, history),
                    new Benchmark.Source(b.table(), m.fingerprint(), "all " + m.episodes() + " episodes"), env,
                    dataMeta.env().id(), episodes, seed, planner, history, offset);
        }
        EpisodeSplit split = TrainingData.split(dataMeta, cfg);
        if (split.validationEpisodes() == 0)
            throw new UserError("the first candidate's split holds out no episodes (train.valFraction "
                    + cfg.train().valFraction() + "), so the benchmark pairs would come from its training data; "
                    + "pass --benchmark-data TABLE (a table of the same task kept out of training)");
        return new Draw(new TablePairSource(data, split, offset, history),
                new Benchmark.Source(data, dataMeta.fingerprint(), String.format(Locale.ROOT, "the %d held-out "
                        + "episodes of the first candidate's split (train.seed %d, train.valFraction %s)",
                        split.validationEpisodes(), cfg.train().seed(), cfg.train().valFraction())), env,
                dataMeta.env().id(), episodes, seed, planner, history, offset);
    }

    /** The pairs {@code smwm evaluate} would draw with the same table, split, pairs, offset and seed. */
    private static Benchmark drawPairs(Draw d) {
        EvalConfig ec = EvalConfig.protocol(d.episodes(), 2.0, d.planner().horizon(), d.seed());
        List<StartGoalPair> pairs = new Evaluator(null, null, ec).pairs(d.source());
        return Benchmark.of(d.envId(), d.env(), d.goalOffset(), 2.0, d.planner().horizon(), d.seed(), d.planner(),
                d.history(), d.from(), pairs);
    }

    private static EvaluationReport evaluate(RetrainRequest req, ModelRegistry reg, ModelRegistry.Staging s,
                                             Benchmark bench, ExperimentConfig cfg) throws IOException {
        Path ckptDir = s.dir().resolve("checkpoint");
        Checkpoint ckpt = CheckpointIO.load(ckptDir);
        EvaluationRun.Planned p = EvaluationRun.plan(ckptDir, ckpt, bench.envId(), bench.env(), bench.evalConfig(),
                bench.planner(), List.of(bench.pairSource()), req.evalMaster(), req.evalSlices(), null);
        String finalCkpt = reg.location() + "/" + ModelRegistry.VERSIONS + "/" + s.name() + "/checkpoint";
        Map<String, Object> prov = new EvaluationProvenance(finalCkpt, bench.source().table(),
                bench.source().fingerprint(), cfg.train().seed(), cfg.loss().lambda(), bench.evalSeed(),
                p.wallSeconds(), p.where()).toMap();
        prov.put("benchmark", reg.benchmarkLocation());
        prov.put("benchmark_sha256", bench.sha256());
        ReportWriter.write(p.report(), s.dir().resolve("eval"), prov, false);
        return p.report();
    }

    private static void writeProvenance(ModelRegistry.Staging s, TrainRequest t, TableMetadata meta, String parent,
                                        Optional<ModelRegistry.Version> atStart, Benchmark bench,
                                        TrainingOutcome training, BenchmarkResult result) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "smwm.registry.version");
        m.put("schema_version", 1);
        m.put("version", s.name());
        m.put("created_utc", Instant.now().toString());
        m.put("table", t.data());
        m.put("table_fingerprint", meta.fingerprint());
        m.put("table_episodes", meta.episodes());
        m.put("warm_start", parent != null);
        m.put("parent_version", parent);
        m.put("promoted_at_start", atStart.map(ModelRegistry.Version::name).orElse(null));
        m.put("config", "config.yaml");
        m.put("training", training.toMap());
        Map<String, Object> ev = null;
        if (result != null) {
            ev = new LinkedHashMap<>();
            ev.put("method", result.method());
            ev.put("goal_offset", result.goalOffset());
            ev.put("episodes", result.episodes());
            ev.put("success_rate", result.successRate());
            ev.put("success_rate_nontrivial", result.successRateNontrivial());
            ev.put("report", "eval/report.json");
        }
        m.put("evaluation", ev);
        m.put("benchmark_sha256", bench.sha256());
        m.put("smwm_version", Version.current());
        Files.write(s.dir().resolve(ModelRegistry.PROVENANCE), JSON.writeValueAsBytes(m));
    }
}
