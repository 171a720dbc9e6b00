package io.smwm.core.train;

import io.smwm.core.optim.AdamState;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.SigReg;
import io.smwm.core.loss.WorldModelLoss;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.model.direct.DirectWorldModel;
import io.smwm.core.util.Seeds;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The optimisation core shared by local and distributed training: a world-model graph plus Adam, stepping on
 * {@link TransitionBatch}es. It does not own epochs, validation schedules or files ({@link LocalTrainer} does), so a
 * Spark partition can keep one Learner per executor thread and, each averaging round: {@link #setParams},
 * {@link #setUpdaterState}, {@link #runSteps}, then send back {@link #params()} and {@link #updaterState()}.
 *
 * <p>Each step is one forward+backward pass, by the engine {@code train.engine} names: {@code direct}
 * ({@link DirectWorldModel}: matrix products on reused buffers, the default) or {@code samediff} (the graph's
 * {@code calculateGradientsAndOutputs}, which also returns the loss terms: SameDiff 1.0.0-M2.1 reports no loss values
 * from fit; the reference). Both give the same loss and gradients. Then a bias-corrected Adam update (PyTorch form:
 * p -= lr/(1-β1^t) · m / (√v/√(1-β2^t) + ε)) on the flat parameter vector, with optional global-norm clipping.
 * A non-finite loss term or gradient throws {@link NonFiniteLossException} BEFORE any parameter changes.
 *
 * <p>{@code loss.method} sigreg: step t's SIGReg directions are drawn from seed derive(train.seed, "sigreg", t)
 * ({@link SigReg#projections}), the same for both engines and for every Spark partition at that step; validation
 * ({@link #evaluate}) uses one fixed draw, derive(train.seed, "sigreg-validation"), so validation losses compare
 * across epochs. Methods with batch statistics (sigreg, vicreg-idm) evaluate a batch of one transition as that
 * transition twice with both engines (the SameDiff path always does, see {@link #step}).
 * Not thread-safe.
 */
public final class Learner {
    private final WorldModelGraph graph;
    /** The loss terms and z_t: what a SameDiff step asks the graph for. */
    private final List<String> stepOutputs;
    /** SIGReg's directions for validation (a fixed draw); null unless the method is sigreg. */
    private final float[] validationProjections;
    private final TrainConfig train;
    private final Normalizer normalizer;
    /** The direct engine, holding the live parameters; null with the samediff engine. */
    private final DirectWorldModel direct;
    /** With the direct engine: the graph's parameters are behind {@link #direct}'s (synced on {@link #graph()}). */
    private boolean graphStale;
    /** Adam's scratch: heap copies of parameters, gradient, m and v. */
    private float[] hostP, hostG, hostM, hostV;
    private AdamState adam;
    private double lr;

    /** Result of one step: loss terms before the update, mean per-dim std of z_t over the batch, gradient norm. */
    public record StepResult(long step, LossTerms loss, double latentStd, double gradNorm, int batchSize) {}

    public Learner(ModelConfig model, LossConfig loss, TrainConfig train, Normalizer normalizer, long initSeed) {
        this(WorldModelGraph.build(model, loss, initSeed), train, normalizer,
                TrainConfig.ENGINE_DIRECT.equals(train.engine()));
    }

    /**
     * Trains the given graph (e.g. one built with {@link WorldModelGraph#buildWithGradientOf}) with SameDiff,
     * whatever {@code train.engine} says: the graph's own loss variable defines the gradient.
     */
    public Learner(WorldModelGraph graph, TrainConfig train, Normalizer normalizer) {
        this(graph, train, normalizer, false);
    }

    private Learner(WorldModelGraph graph, TrainConfig train, Normalizer normalizer, boolean useDirect) {
        if (!useDirect && graph.config().projector() > 0)
            throw new IllegalArgumentException("model.projector " + graph.config().projector() + " trains only with "
                    + "train.engine " + TrainConfig.ENGINE_DIRECT + ": the SameDiff graph holds BatchNorm's inference form");
        if (normalizer.dim() != graph.config().modelActionDim())
            throw new IllegalArgumentException("normalizer has " + normalizer.dim() + " dims, model action has k*m="
                    + graph.config().modelActionDim());
        this.graph = graph;
        this.train = train;
        this.lr = train.lr();
        this.normalizer = normalizer;
        this.adam = AdamState.zeros(graph.numParams());
        this.direct = useDirect ? new DirectWorldModel(graph.config(), graph.lossConfig(), graph.flatParams()) : null;
        List<String> outs = new ArrayList<>(WorldModelLoss.names(graph.lossConfig()));
        outs.add(WorldModelGraph.Z_T);
        this.stepOutputs = List.copyOf(outs);
        this.validationProjections = graph.lossConfig().sigreg()
                ? SigReg.projections(graph.config().latentDim(), graph.lossConfig().sigregProjections(),
                Seeds.derive(train.seed(), "sigreg-validation")) : null;
    }

    /** SIGReg's directions for update {@code step} [latentDim·M] (null unless the method is sigreg). */
    private float[] projections(long step) {
        if (!graph.lossConfig().sigreg()) return null;
        return SigReg.projections(graph.config().latentDim(), graph.lossConfig().sigregProjections(),
                Seeds.derive(train.seed(), "sigreg", step));
    }

    /** Whether the method has batch statistics, so a batch of one is fed as its transition twice by both engines. */
    private boolean batchStatistics() {
        return graph.lossConfig().sigreg() || graph.lossConfig().vicreg();
    }

    /** The SameDiff graph, its parameters brought up to date with the direct engine's. */
    public WorldModelGraph graph() {
        if (graphStale) {
            graph.setFlatParams(direct.params());
            graphStale = false;
        }
        return graph;
    }

    public ModelConfig modelConfig() { return graph.config(); }

    /** The engine this learner steps with: {@link TrainConfig#ENGINE_DIRECT} or {@link TrainConfig#ENGINE_SAMEDIFF}. */
    public String engine() { return direct != null ? TrainConfig.ENGINE_DIRECT : TrainConfig.ENGINE_SAMEDIFF; }

    public Normalizer normalizer() { return normalizer; }

    public TrainConfig trainConfig() { return train; }

    /**
     * Sets the learning rate of the following steps to {@code train.lrAt(epoch)} (epoch 1-based), and the loss's
     * per-epoch weights ({@code loss.rolloutFromEpoch}) of the following steps and evaluations.
     */
    public void setEpoch(int epoch) {
        this.lr = train.lrAt(epoch);
        if (direct != null) direct.setEpoch(epoch);
    }

    /** Number of updates applied so far. */
    public long stepCount() { return adam.step(); }

    /**
     * The graph's placeholders for a batch: images to NCHW floats (o_t with its context frames), actions normalised,
     * and with method sigreg the validation draw of SIGReg's directions.
     */
    public Map<String, INDArray> placeholders(TransitionBatch b) {
        return placeholders(b, validationProjections);
    }

    private Map<String, INDArray> placeholders(TransitionBatch b, float[] projections) {
        ModelConfig c = graph.config();
        Map<String, INDArray> m = new HashMap<>();
        m.put(WorldModelGraph.OBS_T, WorldModelGraph.imagesToInput(b.obsT(), c, c.context()));
        m.put(WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(b.obsTk(), c));
        m.put(WorldModelGraph.ACTION, Nd4j.create(normalizer.normalise(b.actions())));
        if (projections != null)
            m.put(WorldModelLoss.SIGREG_PROJECTIONS, Nd4j.create(projections,
                    new long[]{c.latentDim(), graph.lossConfig().sigregProjections()}, 'c'));
        return m;
    }

    /**
     * One Adam step on {@code batch}. A batch of one transition is fed twice: SameDiff M2.1's gradient pass fails on
     * a batch dimension of 1, and the mean loss (so every gradient) of a transition repeated is its own.
     */
    public StepResult step(TransitionBatch batch) {
        if (direct != null) return directStep(batch);
        long stepNo = adam.step() + 1;
        Map<String, INDArray> in = placeholders(atLeastTwo(batch), projections(stepNo));
        OutAndGrad og = graph.outputsAndGradients(in, stepOutputs);
        try {
            LossTerms loss = WorldModelLoss.read(og.getOutputs());
            String bad = loss.firstNonFinite();
            if (bad != null) throw new NonFiniteLossException(stepNo, bad, loss.asMap().get(bad));
            INDArray g = graph.flatten(og.getGradients()), p = graph.flatParams();
            try {
                double gnorm = adam(p, g, stepNo);
                graph.setFlatParams(p);
                double zStd = og.getOutputs().get(WorldModelGraph.Z_T).std(0).meanNumber().doubleValue();
                return new StepResult(stepNo, loss, zStd, gnorm, batch.size());
            } finally {
                release(g);
                release(p);
            }
        } finally {
            // A step allocates tens of MB off-heap (frames, outputs, gradients); freeing them here instead of waiting
            // for the garbage collector keeps long runs from stalling in JavaCPP's forced collections.
            in.values().forEach(Learner::release);
            og.getOutputs().values().forEach(Learner::release);
            og.getGradients().values().forEach(Learner::release);
        }
    }

    private StepResult directStep(TransitionBatch batch) {
        long stepNo = adam.step() + 1;
        TransitionBatch b = batchStatistics() ? atLeastTwo(batch) : batch;
        DirectWorldModel.Pass pass = direct.lossAndGradient(b.obsT(), normalizer.normalise(b.actions()), b.obsTk(),
                projections(stepNo));
        LossTerms loss = pass.loss();
        String bad = loss.firstNonFinite();
        if (bad != null) throw new NonFiniteLossException(stepNo, bad, loss.asMap().get(bad));
        double gnorm = adam(direct.params(), direct.gradient(), stepNo);
        graphStale = true;
        return new StepResult(stepNo, loss, pass.latentStd(), gnorm, batch.size());
    }

    /**
     * Update t of Adam, PyTorch form (p -= lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)), with optional global-norm clipping,
     * in place on the whole flat arrays {@code p} and {@code g} [numParams], in one pass over heap copies (ND4J's
     * element-wise ops cost more than the arithmetic here); both engines use it. Returns the gradient's L2 norm
     * before clipping; a non-finite norm throws before anything changes.
     */
    private double adam(INDArray p, INDArray grad, long t) {
        int n = (int) p.length();
        if (hostG == null) {
            hostP = new float[n];
            hostG = new float[n];
            hostM = new float[n];
            hostV = new float[n];
        }
        grad.data().asNioFloat().get(0, hostG, 0, n);
        double ss = 0;
        for (int i = 0; i < n; i++) ss += (double) hostG[i] * hostG[i];
        double gnorm = Math.sqrt(ss);
        if (!Double.isFinite(gnorm)) throw new NonFiniteLossException(t, "gradient", gnorm);
        float scale = train.gradClip() > 0 && gnorm > train.gradClip() ? (float) (train.gradClip() / gnorm) : 1f;
        INDArray m = whole(adam.m()), v = whole(adam.v());
        p.data().asNioFloat().get(0, hostP, 0, n);
        m.data().asNioFloat().get(0, hostM, 0, n);
        v.data().asNioFloat().get(0, hostV, 0, n);
        float b1 = (float) train.beta1(), b2 = (float) train.beta2(), eps = (float) train.epsilon();
        float step = (float) (lr / (1 - Math.pow(train.beta1(), t)));
        float rootBc2 = (float) Math.sqrt(1 - Math.pow(train.beta2(), t));
        for (int i = 0; i < n; i++) {
            float gi = hostG[i] * scale;
            float mi = b1 * hostM[i] + (1 - b1) * gi, vi = b2 * hostV[i] + (1 - b2) * gi * gi;
            hostM[i] = mi;
            hostV[i] = vi;
            hostP[i] -= step * mi / ((float) Math.sqrt(vi) / rootBc2 + eps);
        }
        p.data().asNioFloat().put(0, hostP, 0, n);
        m.data().asNioFloat().put(0, hostM, 0, n);
        v.data().asNioFloat().put(0, hostV, 0, n);
        adam = new AdamState(m, v, t);
        return gnorm;
    }

    /** The array itself if it owns its whole buffer in C order, else a copy that does. */
    private static INDArray whole(INDArray a) {
        return a.isView() || a.offset() != 0 || a.ordering() != 'c' ? a.dup('c') : a;
    }

    /**
     * Milliseconds per phase of the direct engine's passes since the last reset ({@link DirectWorldModel#PHASES});
     * empty with the samediff engine. {@code reset} clears the counters after reading them.
     */
    public Map<String, Double> engineProfile(boolean reset) {
        if (direct == null) return Map.of();
        Map<String, Double> m = direct.phaseMillis();
        if (reset) direct.resetPhases();
        return m;
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
        if (direct != null) return direct.encode(images);
        return graph.output(Map.of(WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(images, graph.config())),
                WorldModelGraph.Z_TK).get(WorldModelGraph.Z_TK).dup();
    }

    /** Loss terms on a batch without any update (validation uses this, with the same loss definition). */
    public LossTerms evaluate(TransitionBatch batch) {
        if (direct != null) {
            TransitionBatch b = batchStatistics() ? atLeastTwo(batch) : batch;
            return direct.loss(b.obsT(), normalizer.normalise(b.actions()), b.obsTk(), validationProjections);
        }
        return WorldModelLoss.read(graph.output(placeholders(atLeastTwo(batch)),
                WorldModelLoss.names(graph.lossConfig()).toArray(new String[0])));
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

    /**
     * Size-weighted mean loss over one pass of {@code source}: batches of consecutive transitions
     * ({@link TransitionSource#inOrder}, whose shared frames the direct engine encodes once) when every term is a
     * mean over transitions; the shuffled epoch 0 when a term depends on the batch's statistics ({@code sigreg},
     * {@code vicreg-idm}), so its value means what it does in training.
     */
    public LossTerms evaluate(TransitionSource source, int batchSize) {
        LossTerms.Mean mean = new LossTerms.Mean();
        Iterator<TransitionBatch> batches = batchStatistics() ? source.epoch(0, batchSize, 0L)
                : source.inOrder(batchSize);
        for (Iterator<TransitionBatch> it = batches; it.hasNext(); ) {
            TransitionBatch b = it.next();
            mean.add(evaluate(b), b.size());
        }
        return mean.mean();
    }

    /** All parameters as one flat vector [N] (a copy), layout {@link WorldModelGraph#params()}. */
    public INDArray params() { return direct != null ? direct.params().dup() : graph.flatParams(); }

    /** Sets all parameters from a flat vector [N] (e.g. the averaged broadcast). */
    public void setParams(INDArray flat) {
        if (direct != null) {
            direct.setParams(flat);
            graphStale = true;
        } else {
            graph.setFlatParams(flat);
        }
    }

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
        return WorldModel.of(graph.config(), graph.lossConfig(), normalizer, params());
    }
}
