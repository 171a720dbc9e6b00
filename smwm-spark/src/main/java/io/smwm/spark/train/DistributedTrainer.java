package io.smwm.spark.train;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.checkpoint.Provenance;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.WorldModelLoss;
import io.smwm.core.model.Normalizer;
import io.smwm.core.optim.AdamState;
import io.smwm.core.train.EpochEnd;
import io.smwm.core.train.EpochSummary;
import io.smwm.core.train.Learner;
import io.smwm.core.train.MetricsLog;
import io.smwm.core.train.ParameterAverage;
import io.smwm.core.train.TrainResult;
import io.smwm.core.train.Trainer;
import io.smwm.core.train.TrainingStoppedException;
import io.smwm.core.train.TransitionSource;
import io.smwm.core.util.NativeThreads;
import io.smwm.core.util.Seeds;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.table.TableMetadata;
import io.smwm.spark.hadoop.ShippedHadoopConf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a world model on Spark by synchronous parameter averaging.
 *
 * <p><b>Data.</b> The table's part files are dealt to N partitions round-robin (file i to partition i mod N);
 * episodes never straddle files, so no shuffle is needed. Partition p streams the training-split episodes of its
 * files through a {@link io.smwm.data.batch.TableTransitionSource} epoch (file order and a shuffle buffer seeded
 * from the run's shuffle seed, the epoch and p; partition 0 uses the run's shuffle seed itself). Frames are decoded
 * only inside the task.
 *
 * <p><b>Rounds and epochs.</b> Round r of an epoch gives each partition batches [r·K, (r+1)·K) of its epoch
 * stream; the partitions start from the same broadcast parameters and Adam state, take their local steps, and the
 * driver replaces the model with the examples-weighted mean (tree-reduced). A partition whose stream is exhausted
 * returns no examples and weighs nothing; the epoch ends after the round in which no partition has batches left.
 * So with N = 1 and K = 1 every round is exactly one {@link io.smwm.core.train.LocalTrainer} step on the same batch (same seeds, same
 * file order, same shuffle): the loss trajectory equals the single-JVM one by construction.
 *
 * <p><b>What travels.</b> Driver → tasks: a JSON task spec (config, normaliser, file assignment, seeds, and the
 * driver's Hadoop configuration entries, with which the tasks open the table) and two broadcast float arrays, the
 * parameters [N] and Adam's [m; v] [2N], plus the step counter. Tasks → driver: a
 * {@link RoundResult} of primitive arrays, combined pairwise with treeReduce. After every epoch the driver validates
 * with the same loss on the validation split and runs the collapse check; it checkpoints (atomically) every R
 * rounds and at every epoch end, recording epoch and round in the provenance so {@code --resume} continues at the
 * next round with the same data order.
 *
 * <p><b>Parameter averaging over epochs.</b> With {@code train.averageEpochs} A &gt; 0 the driver also keeps the mean
 * of the averaged parameters after every round of the last A epochs ({@link ParameterAverage}); checkpoints carry it
 * (resumable), the epoch-end validation in the window measures it, and it is the returned model. The rounds
 * themselves always continue from the last iterate.
 */
public final class DistributedTrainer implements Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    private final SparkSession spark;
    private final ExperimentConfig config;
    private final Normalizer normalizer;
    private final AveragingConfig averaging;
    private final String tablePath;
    private final TableMetadata meta;
    private final EpisodeSplit split;
    private final Path runDir;
    private final String parentRun;
    private final int shuffleBuffer;
    private final Learner learner; // the driver's copy: initial parameters, validation, collapse check
    /** The loss terms of the config's method, in the order of {@link RoundResult#lossSums()}. */
    private final List<String> termNames;
    private Consumer<String> progress = s -> { };
    private boolean failOnCollapse;

    /** One round as the driver saw it. */
    public record RoundSummary(int epoch, int round, long step, LossTerms loss, long examples, double roundSeconds,
                               double computeSeconds, int activePartitions) {
        public double overheadSeconds() { return Math.max(0, roundSeconds - computeSeconds); }
    }

    private final List<RoundSummary> rounds = new ArrayList<>();

    public DistributedTrainer(SparkSession spark, ExperimentConfig config, Normalizer normalizer,
                              AveragingConfig averaging, String tablePath, TableMetadata meta, EpisodeSplit split,
                              Path runDir, String parentRun, int shuffleBuffer) {
        this.spark = spark;
        this.config = config;
        this.normalizer = normalizer;
        this.averaging = averaging;
        this.tablePath = tablePath;
        this.meta = meta;
        this.split = split;
        this.runDir = runDir;
        this.parentRun = parentRun == null ? "" : parentRun;
        this.shuffleBuffer = shuffleBuffer;
        this.learner = new Learner(config.model(), config.loss(), config.train(), normalizer,
                Seeds.derive(config.train().seed(), "init"));
        this.termNames = WorldModelLoss.names(config.loss());
        if (meta.files().size() < averaging.workers())
            LOG.warn("{} workers but the table has only {} part files: {} partitions will have no data",
                    averaging.workers(), meta.files().size(), averaging.workers() - meta.files().size());
    }

    /** Receives one console line per round and per epoch (the CLI prints them). */
    public DistributedTrainer onProgress(Consumer<String> p) {
        this.progress = p;
        return this;
    }

    public List<RoundSummary> rounds() { return List.copyOf(rounds); }

    /** Stop training when the collapse monitor warns ({@link EpochEnd#failOnCollapse}); off by default. */
    public DistributedTrainer failOnCollapse(boolean on) {
        this.failOnCollapse = on;
        return this;
    }

    /**
     * Starts a fresh run (epoch 1, new Adam state) from these parameters instead of the seeded initialisation: a warm
     * start from another model of the same architecture. A {@code resume} checkpoint passed to {@link #fit} wins.
     */
    public DistributedTrainer startFrom(org.nd4j.linalg.api.ndarray.INDArray params) {
        learner.setParams(params);
        return this;
    }

    /**
     * What decides the order in which this trainer sees the data, as recorded in every checkpoint's provenance
     * ({@link Provenance#dataOrder}): a resume must use the same, or its rounds skip other batches than the ones the
     * checkpoint's run would have trained on next.
     */
    public static Map<String, String> dataOrder(AveragingConfig a, int shuffleBuffer) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DATA_ORDER_TRAINER, "spark-averaging");
        m.put("workers", String.valueOf(a.workers()));
        m.put("averaging_frequency", String.valueOf(a.averagingFrequency()));
        m.put("average_updater", String.valueOf(a.averageUpdaterState()));
        m.put("shuffle_buffer", String.valueOf(shuffleBuffer));
        return m;
    }

    /** The key of {@link #dataOrder} that names the trainer. */
    public static final String DATA_ORDER_TRAINER = "trainer";

    /** file i goes to partition i mod N. */
    public static int[][] assignFiles(int files, int workers) {
        int[][] out = new int[workers][];
        for (int p = 0; p < workers; p++) {
            final int pp = p;
            out[p] = IntStream.range(0, files).filter(i -> i % workers == pp).toArray();
        }
        return out;
    }

    /**
     * Trains to {@code train.epochs}; {@code val} may be null; {@code resume} (may be null) continues from a
     * checkpoint: its parameters, Adam state, and position (epoch, round) from its provenance.
     */
    @Override
    public TrainResult fit(TransitionSource val, Checkpoint resume) {
        int n = averaging.workers(), k = averaging.averagingFrequency(), bs = config.train().batchSize();
        long shuffleSeed = Seeds.derive(config.train().seed(), "shuffle");
        PartitionTrainer.TaskSpec spec = new PartitionTrainer.TaskSpec(UUID.randomUUID().toString(), tablePath,
                ShippedHadoopConf.entries(spark.sparkContext().hadoopConfiguration()), ConfigLoader.toYaml(config), normalizer.mean(), normalizer.std(), normalizer.primitiveDim(),
                shuffleBuffer, meta.episodes(), split.valFraction(), split.seed(),
                assignFiles(meta.files().size(), n),
                IntStream.range(0, n).mapToLong(p -> PartitionTrainer.partitionSeed(shuffleSeed, p)).toArray(), k,
                averaging.averageUpdaterState());
        String specJson = spec.toJson();

        int startEpoch = 1, startRound = 0;
        if (resume != null) {
            learner.setParams(resume.params());
            if (resume.updater() != null) learner.setUpdaterState(resume.updater());
            startEpoch = resume.provenance().epoch() + 1;
            startRound = resume.provenance().round();
        }
        float[] params = learner.params().toFloatVector();
        AdamState a0 = learner.updaterState();
        float[] mv = a0.flat().toFloatVector();
        long adamStep = a0.step();
        ParameterAverage average = ParameterAverage.resume(resume == null ? null : resume.average(), params.length);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Integer> parts = jsc.parallelize(IntStream.range(0, n).boxed().collect(Collectors.toList()), n);
        List<EpochSummary> epochs = new ArrayList<>();
        Path ckpt = runDir == null ? null : runDir.resolve("checkpoint"), lastGood = resume == null ? null : ckpt;
        long globalRound = 0;
        LOG.info("distributed training: {} params, {} ({} part files), epochs {}..{}, from round {}",
                learner.graph().numParams(), averaging.describe(), meta.files().size(), startEpoch,
                config.train().epochs(), startRound);
        try (MetricsLog metrics = runDir == null ? MetricsLog.none() : MetricsLog.inRun(runDir)) {
            EpochEnd end = new EpochEnd(learner, val, val, metrics).failOnCollapse(failOnCollapse);
            for (int epoch = startEpoch; epoch <= config.train().epochs(); epoch++) {
                LossTerms.Mean mean = new LossTerms.Mean();
                long epochStart = System.nanoTime(), epochExamples = 0;
                boolean more = true;
                for (int round = epoch == startEpoch ? startRound : 0; more; round++, globalRound++) {
                    long t0 = System.nanoTime();
                    Broadcast<float[]> bp = jsc.broadcast(params);
                    Broadcast<float[]> bmv = jsc.broadcast(mv);
                    final int e = epoch, r = round;
                    final long gr = globalRound, st = adamStep;
                    jsc.setJobDescription("smwm train epoch " + epoch + "/" + config.train().epochs() + " round "
                            + round + " (" + averaging.describe() + ")");
                    RoundResult res;
                    final int taskThreads = threadsPerLocalTask(n);
                    NativeThreads.Limit shared = taskThreads == 0 ? NativeThreads.Limit.NONE
                            : NativeThreads.limit(taskThreads);
                    try {
                        res = parts.mapPartitionsWithIndex((p, it) -> List.of(PartitionTrainer.run(specJson, p, e,
                                r, gr, bp.value(), bmv.value(), st, taskThreads)).iterator(), true)
                                .treeReduce(RoundResult::combine);
                    } catch (Exception ex) { // SparkException (job aborted after maxFailures) is checked in Scala
                        throw stopped(ex, epoch, round, lastGood, metrics);
                    } finally {
                        shared.close(); // the driver's validation and collapse check get every thread back
                        jsc.setJobDescription(null);
                        bp.destroy();
                        bmv.destroy();
                    }
                    more = res.more();
                    if (res.examples() > 0) {
                        params = res.params();
                        mv = concat(res.m(), res.v());
                        adamStep = res.adamStep();
                        if (ParameterAverage.inWindow(config.train(), epoch)) average.add(params);
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    LossTerms loss = res.examples() == 0 ? LossTerms.missing(termNames)
                            : LossTerms.of(termNames, perExample(res.lossSums(), res.examples()));
                    RoundSummary rs = new RoundSummary(epoch, round, adamStep, loss, res.examples(), secs,
                            res.maxComputeNanos() / 1e9, res.active());
                    rounds.add(rs);
                    if (res.examples() > 0) mean.add(loss, res.examples());
                    epochExamples += res.examples();
                    metrics.write("train", roundRow(rs, res));
                    progress.accept(String.format("epoch %d round %d: step %d, loss %.5f (%s), "
                                    + "%.0f examples/s, round %.2fs (compute %.2fs, averaging %.0f%%)", epoch, round,
                            adamStep, loss.total(), loss.describe(), res.examples() / secs, secs,
                            rs.computeSeconds(), 100 * rs.overheadSeconds() / secs));
                    if (more && ckpt != null && (round + 1) % averaging.checkpointEvery() == 0) {
                        save(ckpt, params, mv, adamStep, epoch - 1, round + 1, average);
                        lastGood = ckpt;
                    }
                }
                double eps = epochExamples / ((System.nanoTime() - epochStart) / 1e9);
                learner.setParams(Nd4j.createFromArray(modelParams(params, average)));
                if (epochExamples == 0) {
                    String msg = "training stopped: epoch " + epoch + " trained on no examples (its rounds start past "
                            + "the end of every partition's data: a resume with other data-order settings than the "
                            + "checkpoint's?); last good checkpoint: " + (lastGood == null ? "none" : lastGood);
                    LOG.error(msg);
                    metrics.write("error", Map.of("epoch", epoch, "message", msg));
                    throw new TrainingStoppedException(msg, lastGood, null);
                }
                long rss = org.bytedeco.javacpp.Pointer.physicalBytes(); // resident set of the driver's JVM
                LOG.info("epoch {}: driver process memory {} MB (resident)", epoch, rss >> 20);
                EpochSummary s = end.close(epoch, adamStep, mean.mean(), eps, lastGood, Map.of("process_bytes", rss));
                epochs.add(s);
                LossTerms v = s.val();
                progress.accept(String.format("epoch %d done: train loss %.5f, validation loss %.5f (%s)%s, "
                        + "%.0f examples/s", epoch, mean.mean().total(), v.total(), v.describe(),
                        average.count() == 0 ? "" : " of the average of " + average.count() + " rounds' parameters",
                        eps));
                if (ckpt != null) {
                    save(ckpt, params, mv, adamStep, epoch, 0, average);
                    lastGood = ckpt;
                }
            }
            EpochEnd.plotCurves(metrics, runDir);
        } finally {
            PartitionTrainer.forget(spec.runKey());
        }
        learner.setParams(Nd4j.createFromArray(modelParams(params, average)));
        learner.setUpdaterState(AdamState.fromFlat(Nd4j.createFromArray(mv), adamStep));
        return new TrainResult(learner.snapshot(), epochs, lastGood);
    }

    /**
     * Native threads per task in local mode, where the round's N ≥ 2 tasks run in this process and share its cores:
     * max(1, cores / N), which the round sets for BLAS here and for OpenMP in each task's thread
     * ({@link PartitionTrainer#run}) instead of every core per task (two tasks of two threads on two cores
     * oversubscribe them). 0 on a cluster, where the executors' own {@code OMP_NUM_THREADS} (the deploy files set it
     * to {@code spark.task.cpus}) governs.
     */
    private int threadsPerLocalTask(int tasks) {
        if (!spark.sparkContext().isLocal() || tasks < 2) return 0;
        return Math.max(1, Runtime.getRuntime().availableProcessors() / tasks);
    }

    /** The model's parameters: the average over the window when it has begun, else the last iterate. */
    private static float[] modelParams(float[] iterate, ParameterAverage average) {
        return average.count() == 0 ? iterate : average.mean();
    }

    private void save(Path ckpt, float[] params, float[] mv, long step, int epochsDone, int round,
                      ParameterAverage average) {
        Checkpoint c = new Checkpoint(config, normalizer, Nd4j.createFromArray(params),
                AdamState.fromFlat(Nd4j.createFromArray(mv), step),
                Provenance.of(meta.fingerprint(), config.train().seed(), parentRun, step, epochsDone, round)
                        .withDataOrder(dataOrder(averaging, shuffleBuffer)), average.toCheckpoint());
        CheckpointIO.save(c, ckpt, true);
        LOG.info("checkpoint {} at step {} (epochs done {}, round {})", ckpt, step, epochsDone, round);
    }

    private TrainingStoppedException stopped(Exception ex, int epoch, int round, Path lastGood,
                                             MetricsLog metrics) {
        String msg = "distributed training stopped in epoch " + epoch + " round " + round + ": "
                + rootMessage(ex) + "; last good checkpoint: " + (lastGood == null ? "none" : lastGood
                + " (continue with --resume)");
        LOG.error(msg);
        metrics.write("error", Map.of("epoch", epoch, "round", round, "message", msg));
        return new TrainingStoppedException(msg, lastGood, ex, nonFinite(ex)
                ? TrainingStoppedException.Reason.NON_FINITE_LOSS : TrainingStoppedException.Reason.FAILURE);
    }

    /** A task that failed on a non-finite loss (its exception arrives wrapped, or as text in Spark's message). */
    private static boolean nonFinite(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof io.smwm.core.train.NonFiniteLossException
                    || (c.getMessage() != null && c.getMessage().contains("NonFiniteLossException"))) return true;
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        String m = t.getMessage();
        if (t instanceof SparkException && m != null) {
            int i = m.indexOf("): ");
            if (i >= 0) m = m.substring(i + 3);
            int nl = m.indexOf('\n');
            if (nl >= 0) m = m.substring(0, nl);
            m = m.replaceFirst("^([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error): ", ""); // the task's class name
        }
        return m;
    }

    /** Loss sums over examples -> per-example means. */
    private static double[] perExample(double[] sums, long examples) {
        double[] out = new double[sums.length];
        for (int i = 0; i < sums.length; i++) out[i] = sums[i] / examples;
        return out;
    }

    private static float[] concat(float[] m, float[] v) {
        float[] out = new float[m.length + v.length];
        System.arraycopy(m, 0, out, 0, m.length);
        System.arraycopy(v, 0, out, m.length, v.length);
        return out;
    }

    private static Map<String, Object> roundRow(RoundSummary rs, RoundResult res) {
        Map<String, Object> m = rs.loss().metricsRow(rs.step(), rs.epoch());
        m.put("round", rs.round());
        m.put("examples", rs.examples());
        m.put("local_steps", res.steps());
        m.put("active_partitions", rs.activePartitions());
        m.put("latent_std", res.examples() == 0 ? null : res.latentStdSum() / res.examples());
        m.put("examples_per_s", rs.examples() / rs.roundSeconds());
        m.put("round_s", rs.roundSeconds());
        m.put("compute_s", rs.computeSeconds());
        m.put("overhead_s", rs.overheadSeconds());
        return m;
    }
}
