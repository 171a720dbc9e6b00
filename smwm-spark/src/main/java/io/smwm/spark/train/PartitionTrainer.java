package io.smwm.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.loss.WorldModelLoss;
import io.smwm.core.model.Normalizer;
import io.smwm.core.optim.AdamState;
import io.smwm.core.train.Learner;
import io.smwm.core.train.TransitionBatch;
import io.smwm.core.util.NativeThreads;
import io.smwm.core.util.Seeds;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TableTransitionSource;
import io.smwm.spark.hadoop.ShippedHadoopConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor side of one averaging round for one partition: set the broadcast parameters (and Adam state) on a
 * cached {@link Learner}, take up to K local steps on the partition's own transition stream, return a
 * {@link RoundResult}.
 *
 * <p>Caches (static, per executor JVM): a Learner per executor thread and model (SameDiff graphs are not
 * thread-safe; building one costs seconds), reused across rounds; the partition's epoch stream with its position
 * in batches, reused when the next round asks for exactly that position (otherwise, after a retry on another
 * thread or executor or after a resume, the epoch is recreated from its seed and the first round·K batches
 * skipped, so the data order never depends on where a task ran); with {@code averageUpdaterState = false}, the
 * partition's own Adam moments from its previous round (falling back to the broadcast average when absent).
 */
public final class PartitionTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Test hook (system property, read in the task, so local mode only): "epoch:round:partition" makes the first
     * attempt of that task fail; with a trailing "!" every attempt fails (the job, and so training, stops).
     */
    public static final String FAULT_PROPERTY = "smwm.test.failTask";

    private static final ThreadLocal<Map<String, Learner>> LEARNERS = ThreadLocal.withInitial(HashMap::new);
    private static final ConcurrentHashMap<String, Stream> STREAMS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, LocalAdam> LOCAL_ADAM = new ConcurrentHashMap<>();
    /**
     * Streams rebuilt by reading the partition's data up to a round's position: only after a retried task lands where
     * the stream is not cached (each costs a pass over the partition's data so far). Tests read it.
     */
    static final java.util.concurrent.atomic.AtomicLong RECREATED = new java.util.concurrent.atomic.AtomicLong();

    private PartitionTrainer() {}

    /**
     * Everything a task needs, shipped as JSON text.
     *
     * @param runKey     identifies the run's data layout (caches are keyed by it)
     * @param hadoopConf the driver's Hadoop configuration entries ({@link ShippedHadoopConf#entries}); the task
     *                   opens the table with exactly these, never with the executor's default configuration
     * @param files      files[p] = file indices owned by partition p (round-robin by file index)
     * @param seeds      seeds[p] = the shuffle seed of partition p's stream
     */
    public record TaskSpec(String runKey, String tablePath, Map<String, String> hadoopConf, String configYaml,
                           float[] normMean, float[] normStd, int primitiveDim, int shuffleBuffer, long episodes,
                           double valFraction, long splitSeed, int[][] files, long[] seeds, int averagingFrequency,
                           boolean averageUpdaterState) {
        String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static TaskSpec fromJson(String s) {
            try {
                return JSON.readValue(s, TaskSpec.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String modelKey() {
            return Integer.toHexString(configYaml.hashCode()) + "/" + java.util.Arrays.hashCode(normMean) + "/"
                    + java.util.Arrays.hashCode(normStd);
        }
    }

    /** A partition's epoch iterator and how many batches it has handed out. */
    private static final class Stream {
        final int epoch;
        final Iterator<TransitionBatch> it;
        long position;

        Stream(int epoch, Iterator<TransitionBatch> it) {
            this.epoch = epoch;
            this.it = it;
        }
    }

    private record LocalAdam(long globalRound, float[] m, float[] v, long step) {}

    /**
     * Runs round {@code round} (0-based within {@code epoch}) for partition {@code p}: batches
     * [round·K, (round+1)·K) of the partition's epoch stream.
     *
     * @param params      the averaged parameters [N]
     * @param mv          the averaged Adam moments [m; v], 2N entries
     * @param adamStep    the averaged Adam step counter
     * @param globalRound rounds run since the start of training (keys the local Adam state)
     * @param threads     OpenMP threads for this task's native work (local mode: the process's cores shared among
     *                    the round's tasks), or 0 to leave the executor's setting ({@code OMP_NUM_THREADS})
     */
    static RoundResult run(String specJson, int p, int epoch, int round, long globalRound, float[] params, float[] mv,
                           long adamStep, int threads) {
        if (threads <= 0) return round(specJson, p, epoch, round, globalRound, params, mv, adamStep);
        int before = NativeThreads.forThisThread(); // the pooled task thread gets its own setting back afterwards
        NativeThreads.forThisThread(threads);
        try {
            return round(specJson, p, epoch, round, globalRound, params, mv, adamStep);
        } finally {
            NativeThreads.forThisThread(before);
        }
    }

    private static RoundResult round(String specJson, int p, int epoch, int round, long globalRound, float[] params,
                                     float[] mv, long adamStep) {
        long t0 = System.nanoTime();
        TaskSpec spec = TaskSpec.fromJson(specJson);
        injectFault(epoch, round, p);
        int k = spec.averagingFrequency();
        Stream s = stream(spec, p, epoch, (long) round * k);
        if (!s.it.hasNext()) return RoundResult.empty(System.nanoTime() - t0, false);

        ExperimentConfig cfg = ConfigLoader.parse(spec.configYaml(), "task spec");
        Learner learner = LEARNERS.get().computeIfAbsent(spec.modelKey(), key -> new Learner(cfg.model(), cfg.loss(),
                cfg.train(), Normalizer.ofTiled(spec.normMean(), spec.normStd(), spec.primitiveDim(),
                cfg.model().frameskip()), 0L));
        learner.setParams(Nd4j.createFromArray(params));
        learner.setEpoch(epoch);
        String adamKey = spec.runKey() + "/" + p;
        LocalAdam local = spec.averageUpdaterState() ? null : LOCAL_ADAM.get(adamKey);
        if (local != null && local.globalRound() == globalRound - 1) {
            learner.setUpdaterState(new AdamState(Nd4j.createFromArray(local.m()), Nd4j.createFromArray(local.v()),
                    local.step()));
        } else {
            learner.setUpdaterState(AdamState.fromFlat(Nd4j.createFromArray(mv), adamStep));
        }

        long examples = 0, steps = 0;
        double[] loss = new double[WorldModelLoss.names(cfg.loss()).size()]; // LossTerms.values() order
        double stdSum = 0;
        for (int i = 0; i < k && s.it.hasNext(); i++) {
            TransitionBatch b = s.it.next();
            s.position++;
            Learner.StepResult r = learner.step(b);
            examples += b.size();
            steps++;
            double[] terms = r.loss().values();
            for (int q = 0; q < loss.length; q++) loss[q] += terms[q] * b.size();
            stdSum += r.latentStd() * b.size();
        }
        boolean more = s.it.hasNext(); // an exhausted stream stays cached: later rounds of the epoch find it empty
        AdamState a = learner.updaterState();
        float[] m = a.m().toFloatVector(), v = a.v().toFloatVector();
        if (!spec.averageUpdaterState()) LOCAL_ADAM.put(adamKey, new LocalAdam(globalRound, m, v, a.step()));
        return new RoundResult(learner.params().toFloatVector(), m, v, examples, steps, a.step(), loss, stdSum,
                System.nanoTime() - t0, more, 1);
    }

    private static String streamKey(TaskSpec spec, int p) {
        return spec.runKey() + "/" + p;
    }

    /** The partition's stream of {@code epoch}, positioned at batch {@code position}. */
    private static Stream stream(TaskSpec spec, int p, int epoch, long position) {
        String key = streamKey(spec, p);
        Stream s = STREAMS.get(key);
        if (s != null && s.epoch == epoch && (s.position == position || (s.position < position && !s.it.hasNext()))) {
            return s; // where the last round left it, or exhausted (other partitions still have data this epoch)
        }
        TableTransitionSource src = source(spec, p);
        s = new Stream(epoch, src.epoch(epoch, ConfigLoader.parse(spec.configYaml(), "task spec").train().batchSize(),
                spec.seeds()[p]));
        if (position > 0) {
            RECREATED.incrementAndGet();
            LOG.info("partition {}: recreating epoch {} stream, skipping {} batches", p, epoch, position);
        }
        for (; s.position < position && s.it.hasNext(); s.position++) s.it.next();
        STREAMS.put(key, s);
        return s;
    }

    private static TableTransitionSource source(TaskSpec spec, int p) {
        EpisodeSplit split = EpisodeSplit.of(spec.episodes(), spec.valFraction(), spec.splitSeed());
        ExperimentConfig cfg = ConfigLoader.parse(spec.configYaml(), "task spec");
        ModelConfig m = cfg.model();
        try {
            return new TableTransitionSource(ShippedHadoopConf.toConf(spec.hadoopConf()), spec.tablePath(),
                    split::isTraining, m.frameskip(), spec.shuffleBuffer(), false, spec.files()[p], m.context(),
                    cfg.train()::chunkAt);
        } catch (IOException e) {
            throw new UncheckedIOException("partition " + p + ": cannot open " + spec.tablePath() + ": " + e, e);
        }
    }

    private static void injectFault(int epoch, int round, int p) {
        String f = System.getProperty(FAULT_PROPERTY);
        TaskContext tc = TaskContext.get();
        if (f == null || tc == null) return;
        String here = epoch + ":" + round + ":" + p;
        if (f.equals(here) && tc.attemptNumber() == 0 || f.equals(here + "!"))
            throw new IllegalStateException("injected fault (" + FAULT_PROPERTY + "=" + f + "), attempt "
                    + tc.attemptNumber());
    }

    /** The shuffle seed of partition p: partition 0 keeps the run's own, so one worker sees the local batches. */
    static long partitionSeed(long shuffleSeed, int p) {
        return p == 0 ? shuffleSeed : Seeds.derive(shuffleSeed, "partition", p);
    }

    /** Drops this JVM's cached streams and local Adam states of a run (the driver calls it at the end in local mode). */
    static void forget(String runKey) {
        STREAMS.keySet().removeIf(k -> k.startsWith(runKey + "/"));
        LOCAL_ADAM.keySet().removeIf(k -> k.startsWith(runKey + "/"));
    }
}
