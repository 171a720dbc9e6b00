package io.smwm.core.train;

import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.WorldModelLoss;
import io.smwm.core.viz.Plots;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The end of an epoch, the same for every {@link Trainer}: validation of the learner's current parameters with the
 * training loss, a stop when a validation term is non-finite (the epoch's checkpoint is then not written), the
 * collapse check on a fixed sample of held-out frames, and the epoch's {@code val} metrics row. With
 * {@link #failOnCollapse(boolean)} a collapse warning also stops training (after the {@code val} row, before the
 * epoch's checkpoint), as {@code --fail-on-collapse} asks.
 */
public final class EpochEnd {
    /** Held-out frames the collapse monitor encodes every epoch. */
    public static final int HELD_OUT_FRAMES = 256;

    private final Learner learner;
    private final TransitionSource validation;
    private final int batchSize;
    private final CollapseMonitor monitor;
    private final MetricsLog metrics;
    private final java.util.List<String> termNames;
    private boolean failOnCollapse;

    /**
     * @param learner    holds the parameters to validate (a distributed trainer sets the averaged ones first)
     * @param validation validation transitions, or null / empty for none (the loss terms are then NaN)
     * @param heldOut    where the collapse monitor's frames come from (the first {@link #HELD_OUT_FRAMES} of a fixed
     *                   shuffle); null or fewer than 2 transitions: the collapse check is not measured
     * @param metrics    receives the {@code val} and {@code error} rows
     */
    public EpochEnd(Learner learner, TransitionSource validation, TransitionSource heldOut, MetricsLog metrics) {
        this.learner = learner;
        this.validation = validation == null || validation.size() == 0 ? null : validation;
        this.batchSize = learner.trainConfig().batchSize();
        byte[][] frames = heldOutFrames(heldOut, learner.graph().config().context());
        this.monitor = frames == null ? null : new CollapseMonitor(frames);
        this.metrics = metrics;
        this.termNames = WorldModelLoss.names(learner.graph().lossConfig());
    }

    /**
     * Makes a collapse warning of the monitor ({@link CollapseMonitor.Check#warning()}: the latent std below
     * {@link CollapseMonitor#STD_FLOOR}, or the std or the effective rank fallen below half its best) stop training
     * with a {@link TrainingStoppedException} of reason {@link TrainingStoppedException.Reason#COLLAPSE}.
     */
    public EpochEnd failOnCollapse(boolean on) {
        this.failOnCollapse = on;
        return this;
    }

    /**
     * Closes epoch {@code epoch}: validates, checks for collapse and writes the {@code val} row (the loss terms,
     * latent std, effective rank, significant components, the top of the PCA spectrum, examples/s, any warning,
     * then {@code extra}).
     *
     * @param lastGood the last checkpoint written, named in the message when training stops here (null: none)
     * @throws TrainingStoppedException when a validation term is non-finite (reason NON_FINITE_LOSS), or with
     *         {@link #failOnCollapse} when the collapse monitor warns (reason COLLAPSE; the {@code val} row is written
     *         first)
     */
    public EpochSummary close(int epoch, long step, LossTerms trainMean, double examplesPerSec, Path lastGood,
                              Map<String, Object> extra) {
        learner.setEpoch(epoch); // the epoch's own objective (a driver's learner takes no steps itself)
        LossTerms v = validation == null ? LossTerms.missing(termNames)
                : learner.evaluate(validation, batchSize);
        if (validation != null && v.firstNonFinite() != null) {
            String msg = "training stopped after epoch " + epoch + ": non-finite validation " + v.firstNonFinite()
                    + " (" + v + "): the validation episodes hold NaN/Inf (smwm validate lists them) or the model "
                    + "diverged; last good checkpoint: " + (lastGood == null ? "none" : lastGood);
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("step", step);
            err.put("epoch", epoch);
            err.put("term", "val_" + v.firstNonFinite());
            err.put("message", msg);
            metrics.write("error", err);
            throw new TrainingStoppedException(msg, lastGood, null, TrainingStoppedException.Reason.NON_FINITE_LOSS);
        }
        CollapseMonitor.Check c = monitor == null ? CollapseMonitor.Check.unmeasured(epoch)
                : monitor.check(epoch, learner::encode);
        Map<String, Object> row = v.metricsRow(step, epoch);
        row.put("latent_std", c.latentStd());
        row.put("effective_rank", c.effectiveRank());
        row.put("significant_components", c.significantComponents());
        row.put("pca_top", c.topRatios(8));
        row.put("examples_per_s", examplesPerSec);
        if (c.warning() != null) row.put("warning", c.warning());
        row.putAll(extra);
        metrics.write("val", row);
        if (failOnCollapse && c.warning() != null) {
            String msg = "training stopped after epoch " + epoch + ": the collapse monitor flagged collapse ("
                    + c.warning() + ") and --fail-on-collapse is on; this epoch's checkpoint is not written; last "
                    + "good checkpoint: " + (lastGood == null ? "none" : lastGood);
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("step", step);
            err.put("epoch", epoch);
            err.put("term", "collapse");
            err.put("message", msg);
            metrics.write("error", err);
            throw new TrainingStoppedException(msg, lastGood, null, TrainingStoppedException.Reason.COLLAPSE);
        }
        return new EpochSummary(epoch, step, trainMean, v, examplesPerSec, c);
    }

    /** Draws {@code RUN/metrics/curves.png} from the rows written so far (nothing without a run or rows). */
    public static void plotCurves(MetricsLog metrics, Path runDir) {
        if (runDir != null && !metrics.rows().isEmpty())
            Plots.trainingCurves(metrics.rows(), runDir.resolve("metrics").resolve("curves.png"));
    }

    /** The current frames (with context) of the first {@link #HELD_OUT_FRAMES} transitions of a fixed shuffle. */
    private static byte[][] heldOutFrames(TransitionSource s, int context) {
        if (s == null || s.size() < 2) return null;
        Iterator<TransitionBatch> it = s.epoch(0, HELD_OUT_FRAMES, 12345L);
        return it.hasNext() ? it.next().currentFrames(context) : null;
    }
}
