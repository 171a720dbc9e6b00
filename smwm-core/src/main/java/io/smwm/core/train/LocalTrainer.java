package io.smwm.core.train;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.checkpoint.Provenance;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.util.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Trains a world model on one machine: epochs of seeded shuffled batches, Adam ({@link Learner}), the shared end of
 * every epoch ({@link EpochEnd}: validation, collapse check, metrics row), metrics rows ({@link MetricsLog}) and a
 * checkpoint {@code RUN/checkpoint} replaced atomically after every epoch. A non-finite loss, in a training step or in
 * an epoch's validation, stops training with a {@link TrainingStoppedException} naming the step or epoch and the
 * term; the previous epoch's checkpoint stays intact. With {@code train.averageEpochs} &gt; 0 the parameters after every
 * step of the last epochs are averaged ({@link ParameterAverage}); the average is validated at those epochs' ends,
 * saved with the checkpoint, and is the returned model, while the steps continue from the last iterate.
 * Seeds: init = derive(seed, "init"), shuffles = derive(seed, "shuffle") per epoch inside the source.
 */
public final class LocalTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTrainer.class);

    private final ExperimentConfig config;
    private final Learner learner;
    private final Path runDir;
    private final String tableFingerprint, parentRun;
    private boolean failOnCollapse;

    /**
     * @param runDir           where metrics/ and checkpoint/ go; null keeps everything in memory
     * @param tableFingerprint recorded in checkpoints ("" for synthetic data)
     * @param parentRun        recorded in checkpoints ("" when from scratch)
     */
    public LocalTrainer(ExperimentConfig config, Normalizer normalizer, Path runDir, String tableFingerprint,
                        String parentRun) {
        this.config = config;
        this.learner = new Learner(config.model(), config.loss(), config.train(), normalizer,
                Seeds.derive(config.train().seed(), "init"));
        this.runDir = runDir;
        this.tableFingerprint = tableFingerprint;
        this.parentRun = parentRun;
    }

    public Learner learner() { return learner; }

    /** Stop training when the collapse monitor warns ({@link EpochEnd#failOnCollapse}); off by default. */
    public LocalTrainer failOnCollapse(boolean on) {
        this.failOnCollapse = on;
        return this;
    }

    /**
     * Splits {@code data} into train/validation by {@code train.valFraction} (seeded permutation of transitions,
     * seed derive(seed, "split")) and trains. Table-backed sources should split by episode instead (smwm-data).
     */
    public TrainResult fit(InMemoryTransitionSource data) {
        InMemoryTransitionSource[] tv = data.split(config.train().valFraction(), Seeds.derive(config.train().splitRoot(), "split"));
        return fit(tv[0], tv[1].size() == 0 ? null : tv[1]);
    }

    /** This trainer on {@code train} as a {@link Trainer}; it starts from the initial parameters (no resume). */
    public Trainer on(TransitionSource train) {
        return (val, resume) -> {
            if (resume != null)
                throw new UnsupportedOperationException("the single-JVM trainer cannot resume a checkpoint yet");
            return fit(train, val);
        };
    }

    /** Trains for {@code train.epochs} epochs; {@code val} may be null. */
    public TrainResult fit(TransitionSource train, TransitionSource val) {
        int bs = config.train().batchSize();
        long shuffleSeed = Seeds.derive(config.train().seed(), "shuffle");
        List<EpochSummary> epochs = new ArrayList<>();
        Path ckpt = runDir == null ? null : runDir.resolve("checkpoint"), lastGood = null;
        ParameterAverage average = ParameterAverage.empty((int) learner.graph().numParams());
        long stepsPerEpoch = (train.size() + bs - 1) / bs;
        long logEvery = Math.max(1, stepsPerEpoch / 5);
        LOG.info("training {} params on {} transitions ({} steps/epoch, {} epochs), validation {}",
                learner.graph().numParams(), train.size(), stepsPerEpoch, config.train().epochs(),
                val == null ? 0 : val.size());
        try (MetricsLog metrics = runDir == null ? MetricsLog.none() : MetricsLog.inRun(runDir)) {
            EpochEnd end = new EpochEnd(learner, val, val != null && val.size() >= 2 ? val : train, metrics)
                    .failOnCollapse(failOnCollapse);
            for (int epoch = 1; epoch <= config.train().epochs(); epoch++) {
                learner.setEpoch(epoch);
                LossTerms.Mean mean = new LossTerms.Mean();
                long t0 = System.nanoTime(), examples = 0;
                for (Iterator<TransitionBatch> it = train.epoch(epoch, bs, shuffleSeed); it.hasNext(); ) {
                    TransitionBatch b = it.next();
                    long ts = System.nanoTime();
                    Learner.StepResult r;
                    try {
                        r = learner.step(b);
                    } catch (NonFiniteLossException e) {
                        String msg = "training stopped at step " + e.step() + " (epoch " + epoch + "): non-finite "
                                + e.term() + "; last good checkpoint: " + (lastGood == null ? "none" : lastGood);
                        LOG.error(msg);
                        metrics.write("error", Map.of("step", e.step(), "epoch", epoch, "term", e.term(), "message", msg));
                        throw new TrainingStoppedException(msg, lastGood, e,
                                TrainingStoppedException.Reason.NON_FINITE_LOSS);
                    }
                    if (ParameterAverage.inWindow(config.train(), epoch)) average.add(learner.params().toFloatVector());
                    double dt = (System.nanoTime() - ts) / 1e9;
                    examples += b.size();
                    mean.add(r.loss(), b.size());
                    Map<String, Object> row = r.loss().metricsRow(r.step(), epoch);
                    row.put("latent_std", r.latentStd());
                    row.put("grad_norm", r.gradNorm());
                    row.put("examples_per_s", b.size() / dt);
                    metrics.write("train", row);
                    if (r.step() % logEvery == 0)
                        LOG.info("epoch {} step {}: loss {} ({}), latent std {}", epoch, r.step(),
                                f(r.loss().total()), r.loss().describe(), f(r.latentStd()));
                }
                double eps = examples / ((System.nanoTime() - t0) / 1e9);
                INDArray iterate = learner.params();
                if (average.count() > 0) learner.setParams(Nd4j.createFromArray(average.mean()));
                EpochSummary s = end.close(epoch, learner.stepCount(), mean.mean(), eps, lastGood, Map.of());
                learner.setParams(iterate);
                epochs.add(s);
                LossTerms v = s.val();
                LOG.info("epoch {} done: train loss {}, val loss {} ({}), {} examples/s", epoch,
                        f(s.train().total()), f(v.total()), v.describe(), String.format("%.1f", eps));
                if (ckpt != null) {
                    CheckpointIO.save(checkpoint(epoch, average), ckpt, true);
                    lastGood = ckpt;
                }
            }
            EpochEnd.plotCurves(metrics, runDir);
        }
        WorldModel model = average.count() == 0 ? learner.snapshot() : WorldModel.of(config.model(), config.loss(),
                learner.normalizer(), Nd4j.createFromArray(average.mean()));
        return new TrainResult(model, epochs, lastGood);
    }

    /** The current state as a checkpoint (config, normalizer, params, Adam state, provenance), no average. */
    public Checkpoint checkpoint(int epoch) {
        return checkpoint(epoch, ParameterAverage.empty((int) learner.graph().numParams()));
    }

    private Checkpoint checkpoint(int epoch, ParameterAverage average) {
        return new Checkpoint(config, learner.normalizer(), learner.params(), learner.updaterState(),
                Provenance.of(tableFingerprint, config.train().seed(), parentRun, learner.stepCount(), epoch),
                average.toCheckpoint());
    }

    private static String f(double v) {
        return String.format("%.5f", v);
    }
}
