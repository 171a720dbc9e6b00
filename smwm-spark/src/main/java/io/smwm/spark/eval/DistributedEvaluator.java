package io.smwm.spark.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.render.RgbImage;
import io.smwm.core.eval.EpisodeRecord;
import io.smwm.core.eval.EpisodeRunner;
import io.smwm.core.eval.EvalConfig;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.Evaluator;
import io.smwm.core.eval.Evaluator.MethodOutcome;
import io.smwm.core.eval.Filmstrip;
import io.smwm.core.eval.PairSource;
import io.smwm.core.eval.StartGoalPair;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.LatentModel;
import io.smwm.core.plan.LinearMetricLatentModel;
import io.smwm.core.plan.WorldModelLatentModel;
import io.smwm.core.stats.Whitening;
import io.smwm.core.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation protocol of {@link Evaluator} with the episodes spread over Spark executors.
 *
 * <p>The driver draws every goal offset's pairs exactly as {@link Evaluator#evaluate} does (same seeds) and cuts
 * each pair list into at most {@code slicesPerOffset} contiguous slices; one Spark task per (offset, slice). A task
 * receives its slice as JSON text (start and goal states, goal frame bytes, recorded actions), loads the checkpoint
 * once from the broadcast checkpoint files (the bytes of {@code RUN/checkpoint/*}, checked by
 * {@link CheckpointIO#load} like any checkpoint, so executors need not see the driver's run directory, only the
 * jar), and runs every method on the slice with {@link Evaluator#runSlice}, planning batched over the slice's
 * episodes. It returns the per-episode
 * records and filmstrip frames as JSON text; no Java-serialised objects of ours travel or are stored. The driver
 * concatenates the slices in pair order and builds the report with {@link Evaluator#report}.
 *
 * <p>Contract: since per-episode planner and baseline streams depend only on the seed and the episode's global
 * index, and the latent model's outputs for one episode do not depend on the other rows of a batch, the report is
 * the driver-only report for the same seed: same results (pair statistics included: each episode record carries
 * its pair's solved-at-start flag and start-goal error, computed on the executor from the same states), episodes,
 * curves, filmstrips and configuration. Only measured times differ ({@code plan_ms_median}, wall seconds).
 */
public final class DistributedEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedEvaluator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private DistributedEvaluator() {}

    /** One start/goal pair as primitives (frames as raw HWC bytes of width x height). */
    public record PairData(String id, float[] startState, float[] startDistractorState, int width, int height,
                           byte[] goalFrame, float[] goalState, int goalOffset, float[][] recordedActions,
                           byte[][] startHistory) {
        static PairData of(StartGoalPair p) {
            byte[][] hist = p.startHistory().stream().map(RgbImage::data).toArray(byte[][]::new);
            return new PairData(p.id(), p.startState(), p.startDistractorState(), p.goalFrame().width(),
                    p.goalFrame().height(), p.goalFrame().data(), p.goalState(), p.goalOffset(),
                    p.recordedActions(), hist);
        }

        StartGoalPair toPair() {
            List<RgbImage> hist = new ArrayList<>();
            for (byte[] f : startHistory == null ? new byte[0][] : startHistory) {
                hist.add(new RgbImage(width, height, f));
            }
            return new StartGoalPair(id, startState, startDistractorState, new RgbImage(width, height, goalFrame),
                    goalState, goalOffset, recordedActions, hist);
        }
    }

    /**
     * What one task evaluates: a contiguous slice of one goal offset's pairs, and how. Shipped as JSON text.
     * {@code metric} and {@code metricInverse}: the cost's whitening W and W⁻¹ [D·D] when the planners use one, else
     * null.
     */
    public record TaskSpec(int task, int source, int goalOffset, int firstEpisode, String envId, EnvConfig env,
                           EvalConfig eval, List<String> methods, List<PlannerConfig> planners,
                           List<PairData> pairs, float[] metric, float[] metricInverse) {}

    /** One kept filmstrip as primitives. */
    public record StripData(String method, int goalOffset, String pairId, boolean success, int width, int height,
                            List<byte[]> frames, List<String> captions) {
        static StripData of(Filmstrip f) {
            RgbImage first = f.frames().get(0);
            return new StripData(f.method(), f.goalOffset(), f.pairId(), f.success(), first.width(), first.height(),
                    f.frames().stream().map(RgbImage::data).toList(), f.captions());
        }

        Filmstrip toFilmstrip() {
            return new Filmstrip(method, goalOffset, pairId, success,
                    frames.stream().map(b -> new RgbImage(width, height, b)).toList(), captions);
        }
    }

    /** One method's episodes on a task's slice. */
    public record MethodData(String method, int goalOffset, int budget, List<EpisodeRecord> episodes,
                             List<StripData> filmstrips) {}

    /** What a task returns, as JSON text. */
    public record TaskResult(int task, List<MethodData> methods) {}

    /**
     * Evaluates on the session's executors; see the class doc for the contract.
     *
     * @param checkpointDir   the run's checkpoint directory, read on the driver and broadcast
     * @param envId           the task of the pairs (the table's env id)
     * @param envConfig       how to build its env (variant, frame size, distractors, params)
     * @param slicesPerOffset at most this many tasks per goal offset (&gt;= 1; fewer when there are fewer pairs)
     * @param metric          the cost's whitening when the planners use one ({@code planner.costWhitening}), else null
     */
    public static EvaluationReport evaluate(SparkSession spark, Path checkpointDir, String envId, EnvConfig envConfig,
                                            EvalConfig cfg, Map<String, PlannerConfig> planners,
                                            List<PairSource> sources, int slicesPerOffset, Whitening metric) {
        if (slicesPerOffset < 1) {
            throw new IllegalArgumentException("slices per goal offset must be >= 1, got " + slicesPerOffset);
        }
        Evaluator driver = new Evaluator(() -> Environments.create(envId, envConfig), null, cfg);
        driver.check(planners, sources);
        List<String> methods = new ArrayList<>(planners.keySet());
        List<PlannerConfig> configs = new ArrayList<>(planners.values());
        List<String> specs = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            PairSource src = sources.get(s);
            List<StartGoalPair> pairs = driver.pairs(src);
            int n = pairs.size(), slices = Math.min(slicesPerOffset, n);
            for (int k = 0; k < slices; k++) {
                int from = (int) ((long) n * k / slices), to = (int) ((long) n * (k + 1) / slices);
                specs.add(json(new TaskSpec(specs.size(), s, src.goalOffset(), from, envId, envConfig, cfg, methods,
                        configs, pairs.subList(from, to).stream().map(PairData::of).toList(),
                        metric == null ? null : metric.w(), metric == null ? null : metric.wInv())));
            }
        }
        String[] names;
        byte[][] files;
        try {
            List<Path> list = checkpointFiles(checkpointDir);
            names = list.stream().map(p -> p.getFileName().toString()).toArray(String[]::new);
            files = new byte[list.size()][];
            for (int i = 0; i < files.length; i++) {
                files[i] = Files.readAllBytes(list.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpointDir, e);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[][]> ckpt = jsc.broadcast(files);
        LOG.info("distributed evaluation: {} tasks ({} offsets, up to {} slices each), checkpoint {} ({} files, "
                + "{} bytes) broadcast", specs.size(), sources.size(), slicesPerOffset, checkpointDir, names.length,
                Stream.of(files).mapToLong(b -> b.length).sum());
        List<String> collected;
        jsc.setJobDescription("smwm evaluate: " + specs.size() + " tasks");
        try {
            collected = jsc.parallelize(specs, specs.size())
                    .mapPartitions(it -> runTasks(it, names, ckpt.value()))
                    .collect();
        } catch (Exception e) { // SparkException is checked in Scala, not declared in Java
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new UserError("distributed evaluation failed: " + root.getMessage()
                    + " (rerun without --master to evaluate on the driver; --verbose shows the trace)", e);
        } finally {
            jsc.setJobDescription(null);
            ckpt.destroy();
        }
        TaskResult[] byTask = new TaskResult[specs.size()];
        for (String s : collected) {
            TaskResult r = parse(s, TaskResult.class);
            byTask[r.task()] = r;
        }
        return merge(driver, planners, sources, specs, byTask);
    }

    /** Concatenates the tasks' slices, which are in (source, slice) order, per source and method. */
    private static EvaluationReport merge(Evaluator driver, Map<String, PlannerConfig> planners,
                                          List<PairSource> sources, List<String> specs, TaskResult[] byTask) {
        List<List<MethodOutcome>> perSource = new ArrayList<>();
        List<Map<String, MethodData>> acc = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            perSource.add(new ArrayList<>());
            acc.add(new LinkedHashMap<>());
        }
        int[] expectedFirst = new int[sources.size()];
        for (int t = 0; t < byTask.length; t++) {
            TaskSpec spec = parse(specs.get(t), TaskSpec.class);
            TaskResult r = byTask[t];
            if (r == null) {
                throw new IllegalStateException("no result for evaluation task " + t);
            }
            if (spec.firstEpisode() != expectedFirst[spec.source()]) {
                throw new IllegalStateException("task " + t + " starts at episode " + spec.firstEpisode()
                        + ", expected " + expectedFirst[spec.source()]);
            }
            expectedFirst[spec.source()] += spec.pairs().size();
            Map<String, MethodData> m = acc.get(spec.source());
            for (MethodData d : r.methods()) {
                if (d.episodes().size() != spec.pairs().size()) {
                    throw new IllegalStateException("task " + t + " returned " + d.episodes().size() + " "
                            + d.method() + " episodes for " + spec.pairs().size() + " pairs");
                }
                m.merge(d.method(), new MethodData(d.method(), d.goalOffset(), d.budget(),
                        new ArrayList<>(d.episodes()), new ArrayList<>(d.filmstrips())), (a, b) -> {
                    a.episodes().addAll(b.episodes());
                    a.filmstrips().addAll(b.filmstrips());
                    return a;
                });
            }
        }
        for (int s = 0; s < sources.size(); s++) {
            for (MethodData d : acc.get(s).values()) {
                perSource.get(s).add(new MethodOutcome(d.method(), d.goalOffset(), d.budget(),
                        new EpisodeRunner.Outcome(List.copyOf(d.episodes()),
                                d.filmstrips().stream().map(StripData::toFilmstrip).toList())));
            }
        }
        return driver.report(planners, sources, perSource);
    }

    /** Executor side: each task spec of the partition, with the checkpoint loaded once for the partition. */
    static java.util.Iterator<String> runTasks(java.util.Iterator<String> specs, String[] names, byte[][] files)
            throws IOException {
        List<String> out = new ArrayList<>();
        if (!specs.hasNext()) {
            return out.iterator();
        }
        Checkpoint ckpt = loadCheckpoint(names, files);
        WorldModelLatentModel model = new WorldModelLatentModel(ckpt.toModel());
        while (specs.hasNext()) {
            TaskSpec spec = parse(specs.next(), TaskSpec.class);
            Map<String, PlannerConfig> planners = new LinkedHashMap<>();
            for (int i = 0; i < spec.methods().size(); i++) {
                planners.put(spec.methods().get(i), spec.planners().get(i));
            }
            LatentModel planned = spec.metric() == null ? model
                    : new LinearMetricLatentModel(model, spec.metric(), spec.metricInverse());
            Evaluator ev = new Evaluator(() -> Environments.create(spec.envId(), spec.env()), planned, spec.eval());
            List<StartGoalPair> pairs = spec.pairs().stream().map(PairData::toPair).toList();
            List<MethodData> methods = new ArrayList<>();
            for (MethodOutcome m : ev.runSlice(planners, pairs, spec.firstEpisode(), spec.goalOffset())) {
                methods.add(new MethodData(m.method(), m.goalOffset(), m.budget(), m.outcome().episodes(),
                        m.outcome().filmstrips().stream().map(StripData::of).toList()));
            }
            out.add(json(new TaskResult(spec.task(), methods)));
        }
        return out.iterator();
    }

    /** Loads the broadcast checkpoint files from memory, with every check of a checkpoint on disk. */
    static Checkpoint loadCheckpoint(String[] names, byte[][] files) {
        java.util.Map<String, byte[]> byName = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) byName.put(names[i], files[i]);
        return CheckpointIO.load(byName, "(broadcast to the executor)");
    }

    private static List<Path> checkpointFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UserError("no checkpoint at " + dir);
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T parse(String s, Class<T> type) {
        try {
            return JSON.readValue(s, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read evaluation " + type.getSimpleName() + " JSON", e);
        }
    }
}
