package io.smwm.core.train;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.checkpoint.Provenance;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.util.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a world model on one machine: epochs of seeded shuffled batches, Adam ({@link Learner}), validation with
 * the same loss after every epoch, metrics rows ({@link MetricsLog}), a collapse check ({@link CollapseMonitor}) and a
 * checkpoint {@code RUN/checkpoint} replaced atomically after every epoch. A non-finite loss, in a training step or in
 * an epoch's validation, stops training with a {@link TrainingStoppedException} naming the step or epoch and the
 * term; the previous epoch's checkpoint stays intact.
 * Seeds: init = derive(seed, "init"), shuffles = derive(seed, "shuffle") per epoch inside the source.
 */
public final class LocalTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTrainer.class);

    private final ExperimentConfig config;
    private final Learner learner;
    private final Path runDir;
    private final String tableFingerprint, parentRun;

    /** Summary of one epoch: mean training loss, validation loss (NaN terms when no validation), collapse reading. */
    public record EpochSummary(int epoch, long step, LossTerms train, LossTerms val, double examplesPerSec,
                               CollapseMonitor.Check collapse) {}

    public record Result(WorldModel model, List<EpochSummary> epochs, Path checkpoint) {
        public EpochSummary last() { return epochs.get(epochs.size() - 1); }
    }

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

    /**
     * Splits {@code data} into train/validation by {@code train.valFraction} (seeded permutation of transitions,
     * seed derive(seed, "split")) and trains. Table-backed sources should split by episode instead (smwm-data).
     */
    public Result fit(InMemoryTransitionSource data) {
        InMemoryTransitionSource[] tv = data.split(config.train().valFraction(), Seeds.derive(config.train().seed(), "split"));
        return fit(tv[0], tv[1].size() == 0 ? null : tv[1]);
    }

    /** Trains for {@code train.epochs} epochs; {@code val} may be null. */
    public Result fit(TransitionSource train, TransitionSource val) {
        int bs = config.train().batchSize();
        long shuffleSeed = Seeds.derive(config.train().seed(), "shuffle");
        CollapseMonitor monitor = new CollapseMonitor(heldOutFrames(val != null && val.size() >= 2 ? val : train));
        List<EpochSummary> epochs = new ArrayList<>();
        Path ckpt = runDir == null ? null : runDir.resolve("checkpoint"), lastGood = null;
        long stepsPerEpoch = (train.size() + bs - 1) / bs;
        long logEvery = Math.max(1, stepsPerEpoch / 5);
        LOG.info("training {} params on {} transitions ({} steps/epoch, {} epochs), validation {}",
                learner.graph().numParams(), train.size(), stepsPerEpoch, config.train().epochs(),
                val == null ? 0 : val.size());
        try (MetricsLog metrics = runDir == null ? MetricsLog.none() : MetricsLog.inRun(runDir)) {
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
                        throw new TrainingStoppedException(msg, lastGood, e);
                    }
                    double dt = (System.nanoTime() - ts) / 1e9;
                    examples += b.size();
                    mean.add(r.loss(), b.size());
                    Map<String, Object> row = r.loss().metricsRow(r.step(), epoch);
                    row.put("latent_std", r.latentStd());
                    row.put("grad_norm", r.gradNorm());
                    row.put("examples_per_s", b.size() / dt);
                    metrics.write("train", row);
                    if (r.step() % logEvery == 0)
                        LOG.info("epoch {} step {}: loss {} (fwd {}, inv {}), latent std {}", epoch, r.step(),
                                f(r.loss().total()), f(r.loss().fwd()), f(r.loss().inv()), f(r.latentStd()));
                }
                double eps = examples / ((System.nanoTime() - t0) / 1e9);
                LossTerms v = val == null || val.size() == 0 ? new LossTerms(Double.NaN, Double.NaN, Double.NaN)
                        : learner.evaluate(val, bs);
                if (val != null && val.size() > 0 && v.firstNonFinite() != null) {
                    String msg = nonFiniteValidation(epoch, v, lastGood);
                    LOG.error(msg);
                    metrics.write("error", Map.of("step", learner.stepCount(), "epoch", epoch, "term",
                            "val_" + v.firstNonFinite(), "message", msg));
                    throw new TrainingStoppedException(msg, lastGood, null);
                }
                CollapseMonitor.Check c = monitor.check(epoch, learner::encode);
                Map<String, Object> vr = v.metricsRow(learner.stepCount(), epoch);
                vr.put("latent_std", c.latentStd());
                vr.put("effective_rank", c.effectiveRank());
                vr.put("significant_components", c.significantComponents());
                vr.put("pca_top", c.topRatios(8));
                vr.put("examples_per_s", eps);
                if (c.warning() != null) vr.put("warning", c.warning());
                metrics.write("val", vr);
                EpochSummary s = new EpochSummary(epoch, learner.stepCount(), mean.mean(), v, eps, c);
                epochs.add(s);
                LOG.info("epoch {} done: train loss {}, val loss {} (fwd {}, inv {}), {} examples/s", epoch,
                        f(s.train().total()), f(v.total()), f(v.fwd()), f(v.inv()), String.format("%.1f", eps));
                if (ckpt != null) {
                    CheckpointIO.save(checkpoint(epoch), ckpt, true);
                    lastGood = ckpt;
                }
            }
            if (runDir != null)
                io.smwm.core.viz.Plots.trainingCurves(metrics.rows(), runDir.resolve("metrics").resolve("curves.png"));
        }
        return new Result(learner.snapshot(), List.copyOf(epochs), lastGood);
    }

    /** The current state as a checkpoint (config, normalizer, params, Adam state, provenance). */
    public Checkpoint checkpoint(int epoch) {
        return new Checkpoint(config, learner.normalizer(), learner.params(), learner.updaterState(),
                Provenance.of(tableFingerprint, config.train().seed(), parentRun, learner.stepCount(), epoch));
    }

    /**
     * The message when validation gives a non-finite loss term: the epoch's checkpoint is not written (shared with the
     * distributed trainer).
     */
    public static String nonFiniteValidation(int epoch, LossTerms v, java.nio.file.Path lastGood) {
        return "training stopped after epoch " + epoch + ": non-finite validation " + v.firstNonFinite() + " ("
                + v + "): the validation episodes hold NaN/Inf (smwm validate lists them) or the model diverged; "
                + "last good checkpoint: " + (lastGood == null ? "none" : lastGood);
    }

    private byte[][] heldOutFrames(TransitionSource s) {
        Iterator<TransitionBatch> it = s.epoch(0, 256, 12345L);
        byte[][] f = it.next().currentFrames(config.model().context());
        return f.length >= 2 ? f : Arrays.copyOf(f, f.length);
    }


    private static String f(double v) {
        return String.format("%.5f", v);
    }
}
