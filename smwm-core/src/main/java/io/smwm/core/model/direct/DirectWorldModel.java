package io.smwm.core.model.direct;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.SigReg;
import io.smwm.core.loss.VicReg;
import io.smwm.core.model.ParamSpec;
import io.smwm.core.model.WorldModelGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loss (L = L_fwd + λ·L_inv, or another {@code loss.method}'s, as {@link io.smwm.core.loss.WorldModelLoss}
 * defines it) and its gradient for every parameter, computed without SameDiff: the encoder's
 * convolutions as im2col matrix products on channels-last images ({@link ConvLayer}), every matrix product through
 * ND4J's BLAS into buffers kept between steps of the same batch size, and every element-wise step (ReLU and tanh
 * derivatives, pooling, the loss) in Java on heap copies. The function is {@link WorldModelGraph}'s (same
 * parameters, same layout, same loss definition with the target not detached), so the graph is the reference and
 * tests hold the two to each other.
 *
 * <p>Parameters live in one flat vector [numParams] laid out as {@link WorldModelGraph#paramSpecs} (the checkpoint
 * and averaging layout); {@link #gradient()} has the same layout. Inputs per transition: o_t as {@code context} uint8
 * HWC frames concatenated oldest first, the normalised action [k·m], o_{t+k} one uint8 HWC frame. Inside, the
 * B·context frames of o_t (slice b·context + f) and the B frames of o_{t+k} (slice B·context + b) go through the
 * encoder as one batch of at most N = B·(context+1) images: frames repeated within the batch (transitions cut from
 * consecutive model steps share them) are encoded once and their gradients summed ({@link FrameDedup}). The extra terms of {@code sigreg} and {@code vicreg-idm} are computed on
 * heap copies of the latents ({@link SigReg}, {@link VicReg}); their gradients w.r.t. the latents are added to dL/dz
 * before the encoder's backward pass. With {@code loss.rolloutSteps} &gt; 1 the rollout term ({@link Rollout}) feeds g
 * its own predictions along the batch's runs of consecutive transitions; g's parameter gradients of those passes and
 * of the one-step pass are summed.
 *
 * <p>Mutable, not thread-safe: one per trainer thread, like {@link io.smwm.core.train.Learner}.
 */
public final class DirectWorldModel {
    /** Encoder row counts of batches with shared frames are rounded up to a multiple of this (padding rows get no gradient). */
    private static final int ROWS_QUANTUM = 16;

    /** Where a pass's time goes, for {@link #phaseMillis()}: names in order. */
    public static final List<String> PHASES = PhaseClock.NAMES;

    private final ModelConfig c;
    private final LossConfig lossConfig;
    private final double lambda;
    private final long numParams;
    private final INDArray params, grads;
    private final Map<String, INDArray> p = new HashMap<>(), g = new HashMap<>();
    private final Map<String, Integer> offsets = new HashMap<>();
    private final HostBuffers host;
    private final DirectEncoder encoder;
    private final Dense[] fwd = new Dense[3], inv = new Dense[3];
    private final Map<Integer, Heads> heads = new LinkedHashMap<>();
    private final PhaseClock clock = new PhaseClock();
    private int lastDistinct;
    private double rollWeight; // w of L_roll in this epoch (loss.rolloutFromEpoch)

    /** Loss terms before any update and the mean per-dimension std of z_t over the batch. */
    public record Pass(LossTerms loss, double latentStd) {}

    /**
     * The {@code smwm} objective L_fwd + λ·L_inv.
     *
     * @param config the model (any conv stack of 3×3 stride-2 layers, context, centred frames, coordinate channels)
     * @param lambda λ of the inverse term
     * @param flatParams initial parameters [numParams] (copied)
     */
    public DirectWorldModel(ModelConfig config, double lambda, INDArray flatParams) {
        this(config, new LossConfig(lambda), flatParams);
    }

    /**
     * @param config the model (any conv stack of 3×3 stride-2 layers, context, centred frames, coordinate channels)
     * @param loss the objective ({@code loss.method} and its weights)
     * @param flatParams initial parameters [numParams] (copied)
     */
    public DirectWorldModel(ModelConfig config, LossConfig loss, INDArray flatParams) {
        this.c = config;
        this.lossConfig = loss;
        this.lambda = loss.lambda();
        List<ParamSpec> specs = WorldModelGraph.paramSpecs(config);
        this.numParams = specs.stream().mapToLong(ParamSpec::length).sum();
        if (flatParams.length() != numParams)
            throw new IllegalArgumentException("flat parameter vector must have " + numParams + " entries, got "
                    + flatParams.length());
        if (numParams > Integer.MAX_VALUE) throw new IllegalArgumentException("model too large for the direct engine");
        this.params = flatParams.reshape(numParams).castTo(DataType.FLOAT).dup('c');
        this.grads = Nd4j.zeros(DataType.FLOAT, numParams);
        this.host = new HostBuffers(grads);
        long off = 0;
        for (ParamSpec s : specs) {
            long n = s.length();
            long[] sh = s.shape(), shape = sh.length == 4 ? new long[]{sh[0] * sh[1] * sh[2], sh[3]} : sh;
            p.put(s.name(), params.get(NDArrayIndex.interval(off, off + n)).reshape('c', shape));
            g.put(s.name(), grads.get(NDArrayIndex.interval(off, off + n)).reshape('c', shape));
            offsets.put(s.name(), (int) off);
            off += n;
        }
        this.rollWeight = loss.rolloutWeightAt(1);
        this.encoder = new DirectEncoder(config, p, g, offsets, host, clock);
        for (int i = 0; i < 3; i++) {
            fwd[i] = dense("fwd_fc" + i);
            inv[i] = dense("inv_fc" + i);
        }
    }

    private Dense dense(String name) {
        return new Dense(p.get(name + "_W"), p.get(name + "_b"), g.get(name + "_W"), offsets.get(name + "_b"), host);
    }

    public long numParams() { return numParams; }

    /** The live flat parameter vector [numParams] (updated in place by the optimiser). */
    public INDArray params() { return params; }

    /** The live flat gradient [numParams] of the last {@link #lossAndGradient} call. */
    public INDArray gradient() { return grads; }

    /** Copies {@code flat} [numParams] into the parameters. */
    public void setParams(INDArray flat) {
        if (flat.length() != numParams)
            throw new IllegalArgumentException("flat parameter vector must have " + numParams + " entries, got "
                    + flat.length());
        params.assign(flat.reshape(numParams));
    }

    /** Milliseconds spent in each of {@link #PHASES} since the last {@link #resetPhases()}, summed over passes. */
    public Map<String, Double> phaseMillis() {
        return clock.millis();
    }

    public void resetPhases() { clock.reset(); }

    /** The following passes belong to epoch {@code epoch} (1-based): L_roll's weight per {@code loss.rolloutFromEpoch}. */
    public void setEpoch(int epoch) {
        this.rollWeight = lossConfig.rolloutWeightAt(epoch);
    }

    /**
     * Distinct frames the encoder saw in the last training or loss pass, of the batch's B·(context+1) frames: fewer
     * when transitions share frames ({@code train.chunk} &gt; 1), which is where the direct engine saves work.
     */
    public int lastDistinctFrames() { return lastDistinct; }

    /** Buffers of g and h for B transitions, and the frame-sharing map of its B·(c+1) frames. */
    private final class Heads {
        final Mlp g, h;
        final int[] slot, first;
        final float[] z, dz; // latents and their gradient per frame slice [B·(c+1)·latentDim], when frames are shared
        final Rollout roll; // null without loss.rolloutSteps > 1
        final float[] dzRoll, dZp; // the rollout's gradients w.r.t. the slices' latents and the one-step ẑ [B·l]

        Heads(int b) {
            g = new Mlp(fwd, b);
            h = new Mlp(inv, b);
            int n = b * (c.context() + 1);
            slot = new int[n];
            first = new int[n];
            z = new float[n * c.latentDim()];
            dz = new float[n * c.latentDim()];
            boolean r = lossConfig.rollout();
            roll = r ? new Rollout(fwd, b, c.context(), c.latentDim(), c.modelActionDim(), lossConfig.rolloutSteps(),
                    c.residualForward()) : null;
            dzRoll = r ? new float[n * c.latentDim()] : null;
            dZp = r ? new float[b * c.latentDim()] : null;
        }

        void close() {
            g.close();
            h.close();
            if (roll != null) roll.close();
        }
    }

    private Heads heads(int b) {
        return DirectEncoder.cached(heads, b, Heads::new, Heads::close);
    }

    /**
     * Forward and backward pass on a batch; the gradient lands in {@link #gradient()}. Not for {@code sigreg}, which
     * needs its directions ({@link #lossAndGradient(byte[][], float[][], byte[][], float[])}).
     */
    public Pass lossAndGradient(byte[][] obsT, float[][] actions, byte[][] obsTk) {
        return pass(obsT, actions, obsTk, null, true);
    }

    /**
     * Forward and backward pass on a batch; the gradient lands in {@link #gradient()}.
     *
     * @param obsT        o_t: B observations of {@code context} uint8 HWC frames each, oldest first
     * @param actions     a_t normalised [B][k·m]
     * @param obsTk       o_{t+k}: B uint8 HWC frames
     * @param projections SIGReg's directions A [latentDim, M] row-major ({@link SigReg#projections}); null unless the
     *                    method is {@code sigreg}
     */
    public Pass lossAndGradient(byte[][] obsT, float[][] actions, byte[][] obsTk, float[] projections) {
        return pass(obsT, actions, obsTk, projections, true);
    }

    /** The loss terms on a batch, no gradient (not for {@code sigreg}: it needs its directions). */
    public LossTerms loss(byte[][] obsT, float[][] actions, byte[][] obsTk) {
        return pass(obsT, actions, obsTk, null, false).loss();
    }

    /** The loss terms on a batch, no gradient; {@code projections} as in {@link #lossAndGradient(byte[][], float[][], byte[][], float[])}. */
    public LossTerms loss(byte[][] obsT, float[][] actions, byte[][] obsTk, float[] projections) {
        return pass(obsT, actions, obsTk, projections, false).loss();
    }

    /** z = f(o) for single uint8 HWC frames [B][S·S·C]: a new [B, latentDim] array. */
    public INDArray encode(byte[][] frames) {
        if (frames.length == 0) throw new IllegalArgumentException("no frames to encode");
        int frame = c.imageSize() * c.imageSize() * c.channels();
        DirectEncoder.Workspace w = encoder.workspace(frames.length);
        clock.start();
        for (int b = 0; b < frames.length; b++) {
            checkObs(frames[b], frame, b);
            encoder.loadFrame(frames[b], 0, w.x, b);
        }
        clock.lap(PhaseClock.FRAMES);
        w.used = frames.length;
        encoder.forward(w, false);
        return Nd4j.create(Arrays.copyOf(w.z, w.n * c.latentDim()), new long[]{w.n, c.latentDim()}, 'c');
    }

    private Pass pass(byte[][] obsT, float[][] actions, byte[][] obsTk, float[] projections, boolean backward) {
        int bsz = obsT.length, ctx = c.context(), l = c.latentDim(), am = c.modelActionDim();
        if (bsz == 0 || actions.length != bsz || obsTk.length != bsz)
            throw new IllegalArgumentException("a batch needs the same number (≥ 1) of o_t, a_t and o_{t+k}, got "
                    + bsz + ", " + actions.length + ", " + obsTk.length);
        if (lossConfig.sigreg() && (projections == null || projections.length != l * lossConfig.sigregProjections()))
            throw new IllegalArgumentException("loss.method sigreg needs its directions, latentDim x sigregProjections = "
                    + l + " x " + lossConfig.sigregProjections() + " floats, got "
                    + (projections == null ? "none" : projections.length + ""));
        int n = bsz * (ctx + 1), frame = c.imageSize() * c.imageSize() * c.channels(), sl = ctx * l;
        clock.start();
        for (int b = 0; b < bsz; b++) {
            checkObs(obsT[b], ctx * frame, b);
            checkObs(obsTk[b], frame, b);
            if (actions[b] == null || actions[b].length != am)
                throw new IllegalArgumentException("action " + b + " must have k·m=" + am + " entries");
        }
        Heads hd = heads(bsz);
        // each distinct frame is encoded once; without repeats row i is slice i, as the graph lays them out
        int distinct = FrameDedup.slots(obsT, obsTk, ctx, frame, hd.slot, hd.first);
        boolean shared = distinct < n;
        lastDistinct = distinct;
        DirectEncoder.Workspace w = encoder.workspace(shared ? Math.min(n, -Math.floorDiv(-distinct, ROWS_QUANTUM) * ROWS_QUANTUM) : n);
        for (int u = 0; u < distinct; u++) {
            int i = hd.first[u];
            encoder.loadFrame(FrameDedup.array(obsT, obsTk, ctx, i), FrameDedup.offset(ctx, frame, bsz, i), w.x, u);
        }
        clock.lap(PhaseClock.FRAMES);
        w.used = distinct;
        encoder.forward(w, backward); // a pass with a gradient is a training pass (BatchNorm: batch statistics)
        float[] z = w.z;
        if (shared) { // latents per slice from the distinct frames' rows
            z = hd.z;
            for (int i = 0; i < n; i++) System.arraycopy(w.z, hd.slot[i] * l, z, i * l, l);
        }
        int tk = bsz * ctx * l; // where z_{t+k} rows start in z
        // g([s_t, a]) and h([s_t, z_{t+k}]); s_t row b = z rows b·ctx .. b·ctx+ctx-1, contiguous
        Mlp mg = hd.g, mh = hd.h;
        for (int b = 0; b < bsz; b++) {
            System.arraycopy(z, b * sl, mg.inHost, b * (sl + am), sl);
            System.arraycopy(actions[b], 0, mg.inHost, b * (sl + am) + sl, am);
            System.arraycopy(z, b * sl, mh.inHost, b * (sl + l), sl);
            System.arraycopy(z, tk + b * l, mh.inHost, b * (sl + l) + sl, l);
        }
        boolean residual = c.residualForward();
        float[] zp = mg.forward(!residual), aHat = mh.forward(false);
        if (residual) { // ẑ = z_t + g's linear output; z_t = the newest context latent of row b
            for (int b = 0; b < bsz; b++) {
                int zt = (b * ctx + ctx - 1) * l;
                for (int j = 0; j < l; j++) zp[b * l + j] += z[zt + j];
            }
        }
        double sf = 0, si = 0;
        for (int b = 0; b < bsz; b++) {
            for (int j = 0; j < l; j++) {
                double d = zp[b * l + j] - z[tk + b * l + j];
                sf += d * d;
            }
            for (int j = 0; j < am; j++) {
                double d = aHat[b * am + j] - actions[b][j];
                si += d * d;
            }
        }
        double lf = sf / ((double) bsz * l), li = si / ((double) bsz * am);
        ExtraTerms.Extra extra = lossConfig.sigreg() || lossConfig.vicreg()
                ? ExtraTerms.of(c, lossConfig, z, bsz, projections, backward) : null;
        double total = lf + lambda * li + (extra == null ? 0 : extra.weighted());
        Map<String, Double> terms = new LinkedHashMap<>(extra == null ? Map.of() : extra.terms());
        double rollScale = 0;
        if (hd.roll != null) { // g's open-loop error along the batch's runs; 0 when it has none
            double sse = hd.roll.forward(hd.slot, bsz, z, zp, actions);
            int count = hd.roll.count();
            double lr = count == 0 ? 0 : sse / ((double) count * l);
            rollScale = count == 0 ? 0 : rollWeight / ((double) count * l);
            terms.put(LossTerms.ROLL, lr); // measured and reported before it counts (rollWeight 0)
            total += rollWeight * lr;
        }
        LossTerms loss = new LossTerms(lf, li, total, terms);
        double zStd = latentStd(z, bsz, ctx, l);
        if (!backward) {
            clock.lap(PhaseClock.HEADS);
            return new Pass(loss, zStd);
        }
        // dL/dẑ = 2(ẑ − z_{t+k})/(B·l), through tanh (residual: straight to g's output and to z_t); dL/dâ = 2λ(â − a)/(B·k·m)
        float[] dz = shared ? hd.dz : w.dz;
        double cf = 2.0 / ((double) bsz * l), ci = 2.0 * lambda / ((double) bsz * am);
        for (int b = 0; b < bsz; b++) {
            for (int j = 0; j < l; j++) {
                int i = b * l + j;
                double d = cf * (zp[i] - z[tk + i]);
                dz[tk + i] = (float) -d; // the target's own gradient (not detached)
                mg.dOutHost[i] = (float) (residual ? d : d * (1 - (double) zp[i] * zp[i]));
            }
            for (int j = 0; j < am; j++) mh.dOutHost[b * am + j] = (float) (ci * (aHat[b * am + j] - actions[b][j]));
        }
        boolean rolled = false; // the rollout's g passes wrote g's gradients first, so the one-step pass adds to them
        if (hd.roll != null && rollWeight > 0) {
            Arrays.fill(hd.dzRoll, 0f);
            Arrays.fill(hd.dZp, 0f);
            rolled = hd.roll.backward(rollScale, hd.dzRoll, hd.dZp);
            if (rolled) // dL_roll/dẑ_1 joins the one-step gradient at g's output (through tanh unless residual)
                for (int i = 0; i < bsz * l; i++)
                    mg.dOutHost[i] += residual ? hd.dZp[i] : hd.dZp[i] * (1 - zp[i] * zp[i]);
        }
        float[] dInG = mg.backward(rolled), dInH = mh.backward();
        for (int b = 0; b < bsz; b++) {
            for (int j = 0; j < sl; j++) dz[b * sl + j] = dInG[b * (sl + am) + j] + dInH[b * (sl + l) + j];
            for (int j = 0; j < l; j++) dz[tk + b * l + j] += dInH[b * (sl + l) + sl + j];
            if (residual) {
                int zt = (b * ctx + ctx - 1) * l;
                for (int j = 0; j < l; j++) dz[zt + j] += mg.dOutHost[b * l + j];
            }
        }
        if (rolled) for (int i = 0; i < n * l; i++) dz[i] += hd.dzRoll[i];
        if (extra != null) extra.addGradient(dz);
        if (shared) { // each distinct frame's gradient is the sum over its uses; padding rows get none
            Arrays.fill(w.dz, 0f);
            for (int i = 0; i < n; i++)
                for (int j = 0, o = hd.slot[i] * l; j < l; j++) w.dz[o + j] += dz[i * l + j];
        }
        clock.lap(PhaseClock.HEADS);
        encoder.backward(w);
        return new Pass(loss, zStd);
    }

    /** Mean over dimensions of the batch std (n−1 denominator) of z_t, the newest context latent of each row. */
    private static double latentStd(float[] z, int bsz, int ctx, int l) {
        double total = 0;
        for (int j = 0; j < l; j++) {
            double s = 0, s2 = 0;
            for (int b = 0; b < bsz; b++) {
                double v = z[(b * ctx + ctx - 1) * l + j];
                s += v;
                s2 += v * v;
            }
            double mean = s / bsz, var = bsz > 1 ? (s2 - bsz * mean * mean) / (bsz - 1) : 0;
            total += Math.sqrt(Math.max(0, var));
        }
        return total / l;
    }

    private static void checkObs(byte[] o, int len, int b) {
        if (o == null || o.length != len)
            throw new IllegalArgumentException("observation " + b + " must have " + len + " bytes (uint8 HWC), got "
                    + (o == null ? "null" : o.length + " bytes"));
    }

}
