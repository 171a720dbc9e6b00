package io.smwm.core.model;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Map;

/**
 * Immutable facade of a trained world model for everything downstream (planners, evaluation, diagnostics).
 * It owns a private copy of the graph and parameters; nothing here trains or changes them. All methods are batched,
 * return new arrays and are safe to call repeatedly (SameDiff's inference cache is disabled by the
 * {@code org.nd4j.autodiff.samediff=false} system property, a SameDiff 1.0.0-M2.1 bug in its inference array cache; see the regression test). Calls are
 * serialised (synchronized); for parallel planning give each thread its own instance ({@link #copy()}).
 *
 * <p>Shapes, paper's notation: B batch, S image side, C channels, latentDim = dim z, k·m = model action dim
 * (k frameskip primitive m-D actions concatenated). Actions passed to predict/rollout and returned by inferAction are
 * NORMALISED (z-scored with {@link #normalizer()}); use {@link #normaliseActions}/{@link #unnormaliseActions}.
 */
public final class WorldModel {
    private final WorldModelGraph graph;
    private final Normalizer normalizer;
    private ForwardKernel kernel;

    private WorldModel(WorldModelGraph graph, Normalizer normalizer) {
        this.graph = graph;
        this.normalizer = normalizer;
    }

    /** A model with the given parameters (laid out as {@link WorldModelGraph#flatParams()}), copied. */
    public static WorldModel of(ModelConfig config, LossConfig loss, Normalizer normalizer, INDArray flatParams) {
        if (normalizer.dim() != config.modelActionDim())
            throw new IllegalArgumentException("normalizer has " + normalizer.dim() + " dims, model action has k*m="
                    + config.modelActionDim());
        WorldModelGraph g = WorldModelGraph.build(config, loss, 0L);
        g.setFlatParams(flatParams);
        return new WorldModel(g, normalizer);
    }

    /** An independent instance with the same parameters (own graph), e.g. one per planning thread. */
    public WorldModel copy() {
        return of(graph.config(), graph.lossConfig(), normalizer, flatParams());
    }

    public ModelConfig config() { return graph.config(); }

    public LossConfig lossConfig() { return graph.lossConfig(); }

    public Normalizer normalizer() { return normalizer; }

    /** A copy of all parameters as one flat vector [numParams]. */
    public synchronized INDArray flatParams() { return graph.flatParams(); }

    /** z_t = f(o_t). images: B uint8 HWC frames, each byte[S·S·C]. Returns z [B, latentDim]. */
    public INDArray encode(byte[][] images) {
        return encodeInput(WorldModelGraph.imagesToInput(images, config()));
    }

    /** z_t = f(o_t). images: [B, S, S, C] uint8 (HWC). Returns z [B, latentDim]. */
    public INDArray encode(INDArray images) {
        return encodeInput(WorldModelGraph.imagesToInput(images, config()));
    }

    /** Single frames go through the encoder branch of o_{t+k}, which takes one frame whatever the context. */
    private synchronized INDArray encodeInput(INDArray nchw) {
        return graph.output(Map.of(WorldModelGraph.OBS_TK, nchw), WorldModelGraph.Z_TK).get(WorldModelGraph.Z_TK).dup();
    }

    /**
     * The planning state s_t = [z_{t−(c−1)k}, …, z_t] of context observations: each c = {@code model.context} uint8
     * HWC frames concatenated oldest first (byte[c·S·S·C], one model step apart). Returns s [B, c·latentDim]; equals
     * {@link #encode(byte[][])} for c = 1.
     */
    public INDArray encodeContext(byte[][] contextFrames) {
        int c = config().context(), n = config().imageBytes();
        byte[][] frames = new byte[contextFrames.length * c][];
        for (int b = 0; b < contextFrames.length; b++) {
            if (contextFrames[b] == null || contextFrames[b].length != c * n) {
                throw new IllegalArgumentException("context observation " + b + " must have " + c + " frames of " + n
                        + " bytes, got " + (contextFrames[b] == null ? "null" : contextFrames[b].length + " bytes"));
            }
            for (int f = 0; f < c; f++) {
                frames[b * c + f] = Arrays.copyOfRange(contextFrames[b], f * n, (f + 1) * n);
            }
        }
        return encode(frames).reshape('c', contextFrames.length, (long) c * config().latentDim());
    }

    /**
     * ẑ_{t+k} = g(s_t, a_t). s [B, c·latentDim] the planning state (z_t for c = 1), aNorm [B, k·m] normalised.
     * Returns ẑ [B, latentDim].
     */
    public synchronized INDArray predict(INDArray z, INDArray aNorm) {
        checkShape("s", z, config().stateDim());
        checkShape("aNorm", aNorm, config().modelActionDim());
        if (z.size(0) != aNorm.size(0))
            throw new IllegalArgumentException("z and aNorm batch sizes differ: " + z.size(0) + " vs " + aNorm.size(0));
        return graph.output(Map.of(WorldModelGraph.Z_IN, f32(z), WorldModelGraph.A_IN, f32(aNorm)),
                WorldModelGraph.G_OUT).get(WorldModelGraph.G_OUT).dup();
    }

    /**
     * Open-loop rollout: ẑ_{h+1} = g(ŝ_h, a_h) with ŝ_0 = s0 and ŝ_{h+1} the context shifted by ẑ_{h+1} (ẑ_{h+1} =
     * g(ẑ_h, a_h) for c = 1). s0 [B, c·latentDim], actions [B, H, k·m] normalised. Returns [B, H, latentDim] with entry
     * h = ẑ_{h+1} (the prediction after applying action h). Computed by {@link ForwardKernel} outside the SameDiff
     * graph: each step equals {@link #predict} up to float rounding.
     */
    public synchronized INDArray rollout(INDArray z0, INDArray actionsNorm) {
        checkRollout(z0, actionsNorm);
        INDArray out = Nd4j.create(DataType.FLOAT, z0.size(0), actionsNorm.size(1), config().latentDim());
        kernel().rollout(f32(z0), f32(actionsNorm), out, null);
        return out;
    }

    /**
     * The last latent of {@link #rollout} only, ẑ_H [B, latentDim], without keeping the trajectory (what planners
     * score). s0 [B, c·latentDim], actions [B, H, k·m] normalised, H ≥ 1.
     */
    public synchronized INDArray rolloutTerminal(INDArray z0, INDArray actionsNorm) {
        checkRollout(z0, actionsNorm);
        return kernel().rollout(f32(z0), f32(actionsNorm), null, null);
    }

    /**
     * {@link #rolloutTerminal(INDArray, INDArray)}, and per row the mean squared residual of the inverse model along the
     * rollout, r_b = (1/(H·k·m)) Σ_h ‖h(ŝ_h, ẑ_{h+1}) − a_h‖² (normalised actions), written into
     * {@code inverseResidual} [B] (float, c order).
     */
    public synchronized INDArray rolloutTerminal(INDArray z0, INDArray actionsNorm, INDArray inverseResidual) {
        checkRollout(z0, actionsNorm);
        if (inverseResidual.dataType() != DataType.FLOAT || inverseResidual.length() != z0.size(0))
            throw new IllegalArgumentException("inverseResidual must be float [" + z0.size(0) + "], got "
                    + inverseResidual.dataType() + " " + Arrays.toString(inverseResidual.shape()));
        return kernel().rollout(f32(z0), f32(actionsNorm), null, inverseResidual);
    }

    private void checkRollout(INDArray z0, INDArray actionsNorm) {
        checkShape("s0", z0, config().stateDim());
        if (actionsNorm.rank() != 3 || actionsNorm.size(2) != config().modelActionDim() || actionsNorm.size(0) != z0.size(0)
                || actionsNorm.size(1) < 1)
            throw new IllegalArgumentException("actions must be [B=" + z0.size(0) + ", H>=1, k*m=" + config().modelActionDim()
                    + "], got " + Arrays.toString(actionsNorm.shape()));
    }

    /** g outside SameDiff, built on first use (the parameters never change after construction). */
    private ForwardKernel kernel() {
        if (kernel == null) kernel = new ForwardKernel(graph);
        return kernel;
    }

    /**
     * â_t = h(s_t, z_{t+k}). s [B, c·latentDim] the planning state (z_t for c = 1), zNext [B, latentDim]. Returns
     * â [B, k·m], normalised.
     */
    public synchronized INDArray inferAction(INDArray z, INDArray zNext) {
        checkShape("s", z, config().stateDim());
        checkShape("zNext", zNext, config().latentDim());
        return graph.output(Map.of(WorldModelGraph.Z_IN, f32(z), WorldModelGraph.Z_IN_K, f32(zNext)),
                WorldModelGraph.H_OUT).get(WorldModelGraph.H_OUT).dup();
    }

    /** Raw model actions [B, k·m] -> normalised [B, k·m]. */
    public INDArray normaliseActions(INDArray raw) {
        checkShape("raw actions", raw, config().modelActionDim());
        return Nd4j.create(normalizer.normalise(raw.toFloatMatrix()));
    }

    /** Normalised model actions [B, k·m] -> raw [B, k·m] (what the env is stepped with, k primitive actions). */
    public INDArray unnormaliseActions(INDArray norm) {
        checkShape("normalised actions", norm, config().modelActionDim());
        return Nd4j.create(normalizer.unnormalise(norm.toFloatMatrix()));
    }

    private static INDArray f32(INDArray a) {
        return a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
    }

    private static void checkShape(String what, INDArray a, long cols) {
        if (a.rank() != 2 || a.size(1) != cols)
            throw new IllegalArgumentException(what + " must be [B, " + cols + "], got " + Arrays.toString(a.shape()));
    }
}
