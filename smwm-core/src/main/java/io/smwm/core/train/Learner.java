package io.smwm.core.train;

import io.smwm.core.optim.AdamState;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.WorldModelLoss;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.model.WorldModelGraph;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The optimisation core shared by local and distributed training: a world-model graph plus Adam, stepping on
 * {@link TransitionBatch}es. It does not own epochs, validation schedules or files ({@link LocalTrainer} does), so a
 * Spark partition can keep one Learner per executor thread and, each averaging round: {@link #setParams},
 * {@link #setUpdaterState}, {@link #runSteps}, then send back {@link #params()} and {@link #updaterState()}.
 *
 * <p>Each step is one SameDiff forward+backward pass ({@code calculateGradientsAndOutputs}) that also returns the
 * loss terms (so no listener is needed, SameDiff 1.0.0-M2.1 reports no loss values from fit), then a bias-corrected Adam update (PyTorch form:
 * p -= lr/(1-β1^t) · m / (√v/√(1-β2^t) + ε)) on the flat parameter vector, with optional global-norm clipping.
 * A non-finite loss term or gradient throws {@link NonFiniteLossException} BEFORE any parameter changes.
 * Not thread-safe.
 */
public final class Learner {
    private static final List<String> STEP_OUTPUTS = List.of(LossTerms.FWD, LossTerms.INV, LossTerms.TOTAL,
            WorldModelGraph.Z_T);

    private final WorldModelGraph graph;
    private final TrainConfig train;
    private final Normalizer normalizer;
    private AdamState adam;
    private double lr;

    /** Result of one step: loss terms before the update, mean per-dim std of z_t over the batch, gradient norm. */
    public record StepResult(long step, LossTerms loss, double latentStd, double gradNorm, int batchSize) {}

    public Learner(ModelConfig model, LossConfig loss, TrainConfig train, Normalizer normalizer, long initSeed) {
        this(WorldModelGraph.build(model, loss, initSeed), train, normalizer);
    }

    /** Trains the given graph (e.g. one built with {@link WorldModelGraph#buildWithGradientOf}). */
    public Learner(WorldModelGraph graph, TrainConfig train, Normalizer normalizer) {
        if (normalizer.dim() != graph.config().modelActionDim())
            throw new IllegalArgumentException("normalizer has " + normalizer.dim() + " dims, model action has k*m="
                    + graph.config().modelActionDim());
        this.graph = graph;
        this.train = train;
        this.lr = train.lr();
        this.normalizer = normalizer;
        this.adam = AdamState.zeros(graph.numParams());
    }

    public WorldModelGraph graph() { return graph; }

    public Normalizer normalizer() { return normalizer; }

    public TrainConfig trainConfig() { return train; }

    /** Sets the learning rate of the following steps to {@code train.lrAt(epoch)} (epoch 1-based). */
    public void setEpoch(int epoch) {
        this.lr = train.lrAt(epoch);
    }

    /** Number of updates applied so far. */
    public long stepCount() { return adam.step(); }

    /** The graph's placeholders for a batch: images to NCHW floats (o_t with its context frames), actions normalised. */
    public Map<String, INDArray> placeholders(TransitionBatch b) {
        ModelConfig c = graph.config();
        return Map.of(WorldModelGraph.OBS_T, WorldModelGraph.imagesToInput(b.obsT(), c, c.context()),
                WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(b.obsTk(), c),
                WorldModelGraph.ACTION, Nd4j.create(normalizer.normalise(b.actions())));
    }

    /**
     * One Adam step on {@code batch}. A batch of one transition is fed twice: SameDiff M2.1's gradient pass fails on
     * a batch dimension of 1, and the mean loss (so every gradient) of a transition repeated is its own.
     */
    public StepResult step(TransitionBatch batch) {
        long stepNo = adam.step() + 1;
        Map<String, INDArray> in = placeholders(atLeastTwo(batch));
        OutAndGrad og = graph.outputsAndGradients(in, STEP_OUTPUTS);
        try {
            LossTerms loss = WorldModelLoss.read(og.getOutputs());
            String bad = loss.firstNonFinite();
            if (bad != null) throw new NonFiniteLossException(stepNo, bad, loss.asMap().get(bad));
            INDArray g = graph.flatten(og.getGradients());
            try {
                double gnorm = g.norm2Number().doubleValue();
                if (!Double.isFinite(gnorm)) throw new NonFiniteLossException(stepNo, "gradient", gnorm);
                if (train.gradClip() > 0 && gnorm > train.gradClip()) g.muli(train.gradClip() / gnorm);
                applyAdam(g);
                double zStd = og.getOutputs().get(WorldModelGraph.Z_T).std(0).meanNumber().doubleValue();
                return new StepResult(stepNo, loss, zStd, gnorm, batch.size());
            } finally {
                release(g);
            }
        } finally {
            // A step allocates tens of MB off-heap (frames, outputs, gradients); freeing them here instead of waiting
            // for the garbage collector keeps long runs from stalling in JavaCPP's forced collections.
            in.values().forEach(Learner::release);
            og.getOutputs().values().forEach(Learner::release);
            og.getGradients().values().forEach(Learner::release);
        }
    }

    /** Frees an array's off-heap buffer now (it must not be used afterwards); views and closed arrays are skipped. */
    private static void release(INDArray a) {
        if (a != null && !a.wasClosed() && a.closeable()) a.close();
    }

    /** Runs up to {@code k} steps from {@code batches} (fewer if it runs out); returns the per-step results. */
    public List<StepResult> runSteps(Iterator<TransitionBatch> batches, int k) {
        List<StepResult> out = new ArrayList<>(k);
        for (int i = 0; i < k && batches.hasNext(); i++) out.add(step(batches.next()));
        return out;
    }

    /** z = f(o) with the current parameters; single frames, uint8 HWC [B][S·S·C], returns [B, latentDim]. */
    public INDArray encode(byte[][] images) {
        return graph.output(Map.of(WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(images, graph.config())),
                WorldModelGraph.Z_TK).get(WorldModelGraph.Z_TK).dup();
    }

    /** Loss terms on a batch without any update (validation uses this, with the same loss definition). */
    public LossTerms evaluate(TransitionBatch batch) {
        return WorldModelLoss.read(graph.output(placeholders(atLeastTwo(batch)),
                WorldModelLoss.NAMES.toArray(new String[0])));
    }

    /** The batch itself, or a one-transition batch with its transition twice (the same mean loss). */
    static TransitionBatch atLeastTwo(TransitionBatch b) {
        if (b.size() != 1) {
            return b;
        }
        return new TransitionBatch(new byte[][] {b.obsT()[0], b.obsT()[0]}, new float[][] {b.actions()[0],
                b.actions()[0]}, new byte[][] {b.obsTk()[0], b.obsTk()[0]},
                b.states() == null ? null : new float[][] {b.states()[0], b.states()[0]});
    }

    /** Size-weighted mean loss over one pass of {@code source}. */
    public LossTerms evaluate(TransitionSource source, int batchSize) {
        LossTerms.Mean mean = new LossTerms.Mean();
        for (Iterator<TransitionBatch> it = source.epoch(0, batchSize, 0L); it.hasNext(); ) {
            TransitionBatch b = it.next();
            mean.add(evaluate(b), b.size());
        }
        return mean.mean();
    }

    private void applyAdam(INDArray g) {
        long t = adam.step() + 1;
        double b1 = train.beta1(), b2 = train.beta2();
        INDArray m = adam.m(), v = adam.v();
        INDArray gm = g.mul(1 - b1), g2 = g.mul(g).muli(1 - b2);
        m.muli(b1).addi(gm);
        v.muli(b2).addi(g2);
        double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
        INDArray denom = Transforms.sqrt(v, true).divi(Math.sqrt(bc2)).addi(train.epsilon());
        INDArray update = m.div(denom).muli(lr / bc1);
        INDArray p = graph.flatParams();
        p.subi(update);
        graph.setFlatParams(p);
        adam = new AdamState(m, v, t);
        for (INDArray a : new INDArray[] {gm, g2, denom, update, p}) release(a);
    }

    /** All parameters as one flat vector [N] (a copy), layout {@link WorldModelGraph#params()}. */
    public INDArray params() { return graph.flatParams(); }

    /** Sets all parameters from a flat vector [N] (e.g. the averaged broadcast). */
    public void setParams(INDArray flat) { graph.setFlatParams(flat); }

    /** A copy of the Adam state (m, v [N] and step). */
    public AdamState updaterState() { return adam.copy(); }

    /** Replaces the Adam state (copied); m and v must have N entries. */
    public void setUpdaterState(AdamState s) {
        if (s.m().length() != graph.numParams())
            throw new IllegalArgumentException("Adam state must have " + graph.numParams() + " entries per moment, got "
                    + s.m().length());
        adam = new AdamState(s.m().reshape(s.m().length()).dup(), s.v().reshape(s.v().length()).dup(), s.step());
    }

    /** An immutable snapshot of the current parameters as a {@link WorldModel}. */
    public WorldModel snapshot() {
        return WorldModel.of(graph.config(), graph.lossConfig(), normalizer, graph.flatParams());
    }
}
