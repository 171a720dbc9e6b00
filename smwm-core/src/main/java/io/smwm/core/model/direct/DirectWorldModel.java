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

import static io.smwm.core.model.direct.HostBuffers.get;
import static io.smwm.core.model.direct.HostBuffers.put;

/**
 * The training loss (L = L_fwd + λ·L_inv, or another {@code loss.method}'s, as {@link io.smwm.core.loss.WorldModelLoss}
 * defines it) and its gradient for every parameter, computed without SameDiff: the encoder's
 * convolutions as im2col matrix products on channels-last images ({@link Conv3x3}), every matrix product through
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
 * before the encoder's backward pass.
 *
 * <p>Mutable, not thread-safe: one per trainer thread, like {@link io.smwm.core.train.Learner}.
 */
public final class DirectWorldModel {
    /**
     * Distinct batch sizes whose buffers are kept: a full batch, an epoch's last, smaller one, and with shared
     * frames ({@link FrameDedup}) the distinct-frame counts, rounded up to a multiple of {@link #ROWS_QUANTUM}.
     */
    private static final int KEPT_WORKSPACES = 4;
    /** Encoder row counts of batches with shared frames are rounded up to a multiple of this (padding rows get no gradient). */
    private static final int ROWS_QUANTUM = 16;

    /** Where a pass's time goes, for {@link #phaseMillis()}: names in order. */
    public static final List<String> PHASES = List.of("frames -> floats", "im2col", "conv matmuls (forward)",
            "copies + ReLU", "pool + encoder fc", "g and h, forward + backward", "encoder fc + pool backward",
            "conv matmuls (backward)", "col2im + ReLU masks");
    private static final int FRAMES = 0, IM2COL = 1, CONV_FWD = 2, COPY = 3, POOL_FC = 4, HEADS = 5, POOL_FC_BWD = 6,
            CONV_BWD = 7, COL2IM = 8;

    private final ModelConfig c;
    private final LossConfig lossConfig;
    private final double lambda;
    private final long numParams;
    private final INDArray params, grads;
    private final Map<String, INDArray> p = new HashMap<>(), g = new HashMap<>();
    private final Map<String, Integer> offsets = new HashMap<>();
    private final HostBuffers host;
    private final Conv3x3[] convs;
    private final int flat;
    private final INDArray coordCols; // [oh0·ow0, 18] im2col of the coordinate channels, or null
    private final Dense encFc;
    private final Dense[] fwd = new Dense[3], inv = new Dense[3];
    private final Map<Integer, Workspace> workspaces = new LinkedHashMap<>();
    private final Map<Integer, Heads> heads = new LinkedHashMap<>();
    private final long[] phaseNanos = new long[PHASES.size()];
    private long lap;
    private int lastDistinct;

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
        int layers = config.convChannels().size();
        this.convs = new Conv3x3[layers];
        int side = config.imageSize(), in = config.channels();
        for (int i = 0; i < layers; i++) {
            convs[i] = new Conv3x3(side, side, in, config.convChannels().get(i));
            side = convs[i].oh();
            in = convs[i].cout();
        }
        this.flat = in * (side / 2) * (side / 2);
        if (flat != config.flatFeatures())
            throw new IllegalStateException("encoder output " + flat + " != model.flatFeatures " + config.flatFeatures());
        this.coordCols = config.coordChannels() ? coordinateColumns(config.imageSize(), convs[0].cout()) : null;
        this.encFc = dense("enc_fc");
        for (int i = 0; i < 3; i++) {
            fwd[i] = dense("fwd_fc" + i);
            inv[i] = dense("inv_fc" + i);
        }
    }

    private Dense dense(String name) {
        return new Dense(p.get(name + "_W"), p.get(name + "_b"), g.get(name + "_W"), offsets.get(name + "_b"), host);
    }

    private static INDArray coordinateColumns(int side, int cout) {
        float[] img = new float[side * side * 2];
        for (int r = 0; r < side; r++)
            for (int q = 0; q < side; q++) {
                img[(r * side + q) * 2] = side == 1 ? 0f : 2f * q / (side - 1) - 1f;
                img[(r * side + q) * 2 + 1] = side == 1 ? 0f : 2f * r / (side - 1) - 1f;
            }
        Conv3x3 k = new Conv3x3(side, side, 2, cout);
        float[] cols = new float[k.outPixels() * k.k()];
        k.im2col(img, 1, cols);
        return Nd4j.create(cols, new long[]{k.outPixels(), k.k()}, 'c');
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
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < PHASES.size(); i++) m.put(PHASES.get(i), phaseNanos[i] / 1e6);
        return m;
    }

    public void resetPhases() { Arrays.fill(phaseNanos, 0); }

    /**
     * Distinct frames the encoder saw in the last training or loss pass, of the batch's B·(context+1) frames: fewer
     * when transitions share frames ({@code train.chunk} &gt; 1), which is where the direct engine saves work.
     */
    public int lastDistinctFrames() { return lastDistinct; }

    private void lap(int phase) {
        long now = System.nanoTime();
        phaseNanos[phase] += now - lap;
        lap = now;
    }

    /** Encoder buffers for N images, reused across steps. */
    private final class Workspace {
        final int n;
        final float[] x, scratch, pooled, dPooled, dA, z, dz;
        final int[] argmax;
        final float[][] a;
        final INDArray[] cols, y;
        final INDArray pool, zA, dzA, dPoolA;

        Workspace(int n) {
            this.n = n;
            x = new float[n * convs[0].inSize()];
            a = new float[convs.length][];
            cols = new INDArray[convs.length];
            y = new INDArray[convs.length];
            int maxCols = 0, maxIn = 0;
            for (int i = 0; i < convs.length; i++) {
                Conv3x3 k = convs[i];
                long rows = (long) n * k.outPixels();
                if (rows * Math.max(k.k(), k.cout()) > Integer.MAX_VALUE)
                    throw new IllegalArgumentException("batch of " + n + " images is too large for the direct engine");
                cols[i] = Dense.buffer((int) rows, k.k());
                y[i] = Dense.buffer((int) rows, k.cout());
                a[i] = new float[(int) rows * k.cout()];
                maxCols = Math.max(maxCols, (int) rows * k.k());
                if (i > 0) maxIn = Math.max(maxIn, n * k.inSize());
            }
            scratch = new float[maxCols];
            dA = new float[Math.max(maxIn, a[convs.length - 1].length)];
            pooled = new float[n * flat];
            dPooled = new float[n * flat];
            argmax = new int[n * flat];
            pool = Dense.buffer(n, flat);
            dPoolA = Dense.buffer(n, flat);
            int l = c.latentDim();
            z = new float[n * l];
            dz = new float[n * l];
            zA = Dense.buffer(n, l);
            dzA = Dense.buffer(n, l);
        }

        void close() {
            for (INDArray arr : cols) arr.close();
            for (INDArray arr : y) arr.close();
            for (INDArray arr : new INDArray[] {pool, dPoolA, zA, dzA}) arr.close();
        }
    }

    /** Buffers of g and h for B transitions, and the frame-sharing map of its B·(c+1) frames. */
    private final class Heads {
        final Mlp g, h;
        final int[] slot, first;
        final float[] z, dz; // latents and their gradient per frame slice [B·(c+1)·latentDim], when frames are shared

        Heads(int b) {
            g = new Mlp(fwd, b);
            h = new Mlp(inv, b);
            int n = b * (c.context() + 1);
            slot = new int[n];
            first = new int[n];
            z = new float[n * c.latentDim()];
            dz = new float[n * c.latentDim()];
        }

        void close() {
            g.close();
            h.close();
        }
    }

    private static <T> T cached(Map<Integer, T> cache, int key, java.util.function.IntFunction<T> make,
                                java.util.function.Consumer<T> close) {
        T w = cache.remove(key);
        if (w == null) {
            if (cache.size() >= KEPT_WORKSPACES) close.accept(cache.remove(cache.keySet().iterator().next()));
            w = make.apply(key);
        }
        cache.put(key, w); // most recently used last
        return w;
    }

    private Workspace workspace(int n) {
        return cached(workspaces, n, Workspace::new, Workspace::close);
    }

    private Heads heads(int b) {
        return cached(heads, b, Heads::new, Heads::close);
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
        Workspace w = workspace(frames.length);
        lap = System.nanoTime();
        for (int b = 0; b < frames.length; b++) {
            checkObs(frames[b], frame, b);
            loadFrame(frames[b], 0, w.x, b);
        }
        lap(FRAMES);
        encoderForward(w);
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
        lap = System.nanoTime();
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
        Workspace w = workspace(shared ? Math.min(n, -Math.floorDiv(-distinct, ROWS_QUANTUM) * ROWS_QUANTUM) : n);
        for (int u = 0; u < distinct; u++) {
            int i = hd.first[u];
            loadFrame(FrameDedup.array(obsT, obsTk, ctx, i), FrameDedup.offset(ctx, frame, bsz, i), w.x, u);
        }
        lap(FRAMES);
        encoderForward(w);
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
        Extra extra = lossConfig.sigreg() || lossConfig.vicreg() ? extraTerms(z, bsz, projections, backward) : null;
        LossTerms loss = extra == null ? new LossTerms(lf, li, lf + lambda * li)
                : new LossTerms(lf, li, lf + lambda * li + extra.weighted, extra.terms);
        double zStd = latentStd(z, bsz, ctx, l);
        if (!backward) {
            lap(HEADS);
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
        float[] dInG = mg.backward(), dInH = mh.backward();
        for (int b = 0; b < bsz; b++) {
            for (int j = 0; j < sl; j++) dz[b * sl + j] = dInG[b * (sl + am) + j] + dInH[b * (sl + l) + j];
            for (int j = 0; j < l; j++) dz[tk + b * l + j] += dInH[b * (sl + l) + sl + j];
            if (residual) {
                int zt = (b * ctx + ctx - 1) * l;
                for (int j = 0; j < l; j++) dz[zt + j] += mg.dOutHost[b * l + j];
            }
        }
        if (extra != null) extra.addGradient(dz);
        if (shared) { // each distinct frame's gradient is the sum over its uses; padding rows get none
            Arrays.fill(w.dz, 0f);
            for (int i = 0; i < n; i++)
                for (int j = 0, o = hd.slot[i] * l; j < l; j++) w.dz[o + j] += dz[i * l + j];
        }
        lap(HEADS);
        encoderBackward(w);
        return new Pass(loss, zStd);
    }

    /**
     * The extra terms of the method on the latents of one pass: their values, their weighted sum, and (with
     * backward) the weighted sum's gradient w.r.t. the rows of z it read ({@code rows[i]} is where row i of the
     * heap copy sits in z).
     */
    private record Extra(Map<String, Double> terms, double weighted, int[] rows, double[] dz, int l) {
        void addGradient(float[] dzOut) {
            for (int i = 0; i < rows.length; i++)
                for (int j = 0; j < l; j++) dzOut[rows[i] + j] += (float) dz[i * l + j];
        }
    }

    /**
     * {@code sigreg}: SIGReg over the c + 1 slices (the context frames of o_t, then o_{t+k}), each of the B latents
     * of that frame; {@code vicreg-idm}: L_var and L_cov of z_t, the newest context latent of each row.
     */
    private Extra extraTerms(float[] z, int bsz, float[] projections, boolean backward) {
        int ctx = c.context(), l = c.latentDim();
        int[] rows;
        if (lossConfig.sigreg()) { // slice-major: slice f < ctx holds z rows b·ctx + f, slice ctx the z_{t+k} rows
            rows = new int[(ctx + 1) * bsz];
            for (int f = 0; f <= ctx; f++)
                for (int b = 0; b < bsz; b++) rows[f * bsz + b] = (f < ctx ? b * ctx + f : bsz * ctx + b) * l;
        } else {
            rows = new int[bsz];
            for (int b = 0; b < bsz; b++) rows[b] = (b * ctx + ctx - 1) * l;
        }
        double[] dzd = backward ? new double[rows.length * l] : null;
        Map<String, Double> terms = new LinkedHashMap<>();
        double weighted;
        if (lossConfig.sigreg()) { // x = z·A and dz = dx·Aᵀ through BLAS (float, as the graph), the rest in double
            int m = lossConfig.sigregProjections();
            float[] zf = new float[rows.length * l];
            for (int i = 0; i < rows.length; i++) System.arraycopy(z, rows[i], zf, i * l, l);
            double w = lossConfig.sigregWeight(), s;
            try (INDArray za = Nd4j.create(zf, new long[]{rows.length, l}, 'c');
                 INDArray a = Nd4j.create(projections, new long[]{l, m}, 'c');
                 INDArray xa = Nd4j.create(DataType.FLOAT, new long[]{rows.length, m}, 'c')) {
                Nd4j.gemm(za, a, xa, false, false, 1.0, 0.0);
                float[] xf = xa.data().asFloat();
                double[] x = new double[xf.length], dx = backward ? new double[xf.length] : null;
                for (int i = 0; i < x.length; i++) x[i] = xf[i];
                s = SigReg.ofProjections(x, ctx + 1, bsz, m, lossConfig.sigregKnots(), w, dx);
                if (backward) {
                    for (int i = 0; i < x.length; i++) xf[i] = (float) dx[i];
                    try (INDArray dxa = Nd4j.create(xf, new long[]{rows.length, m}, 'c')) {
                        Nd4j.gemm(dxa, a, za, false, true, 1.0, 0.0); // dz = dx·Aᵀ, into za's buffer
                        float[] g = za.data().asFloat();
                        for (int i = 0; i < g.length; i++) dzd[i] = g[i];
                    }
                }
            }
            terms.put(LossTerms.SIGREG, s);
            weighted = w * s;
        } else {
            double[] zd = new double[rows.length * l];
            for (int i = 0; i < rows.length; i++) for (int j = 0; j < l; j++) zd[i * l + j] = z[rows[i] + j];
            VicReg.Terms t = VicReg.value(zd, bsz, l, lossConfig.vicregVar(), lossConfig.vicregCov(), dzd);
            terms.put(LossTerms.VAR, t.var());
            terms.put(LossTerms.COV, t.cov());
            weighted = lossConfig.vicregVar() * t.var() + lossConfig.vicregCov() * t.cov();
        }
        return new Extra(terms, weighted, rows, dzd, l);
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

    /** uint8 HWC frame at {@code from} in {@code src} -> image {@code img} of {@code x} in [0,1] (centred per channel if set). */
    private void loadFrame(byte[] src, int from, float[] x, int img) {
        int hw = c.imageSize() * c.imageSize(), ch = c.channels(), size = hw * ch, base = img * size;
        for (int i = 0; i < size; i++) x[base + i] = (src[from + i] & 0xFF) * (1f / 255f);
        if (!c.centerFrames()) return;
        for (int k = 0; k < ch; k++) {
            double sum = 0;
            for (int q = 0; q < hw; q++) sum += x[base + q * ch + k];
            float mean = (float) (sum / hw);
            for (int q = 0; q < hw; q++) x[base + q * ch + k] -= mean;
        }
    }

    /** The encoder on the N images in {@code w.x}: z into {@code w.z} [N·latentDim]; keeps what backward needs. */
    private void encoderForward(Workspace w) {
        float[] in = w.x;
        for (int i = 0; i < convs.length; i++) {
            Conv3x3 k = convs[i];
            k.im2col(in, w.n, w.scratch);
            put(w.scratch, w.n * k.outPixels() * k.k(), w.cols[i]);
            lap(IM2COL);
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.XwPlusB(
                    new INDArray[] {w.cols[i], p.get("enc_conv" + i + "_W"), p.get("enc_conv" + i + "_b")}, w.y[i]));
            lap(CONV_FWD);
            float[] a = w.a[i];
            get(w.y[i], a);
            if (i == 0 && coordCols != null) {
                float[] term = new float[k.outPixels() * k.cout()];
                get(coordCols.mmul(p.get(WorldModelGraph.COORD_WEIGHTS)), term);
                for (int img = 0, per = term.length; img < w.n; img++)
                    for (int q = 0, o = img * per; q < per; q++) a[o + q] += term[q];
            }
            relu(a, a.length);
            lap(COPY);
            in = a;
        }
        Conv3x3 last = convs[convs.length - 1];
        Conv3x3.maxPool(w.a[convs.length - 1], w.n, last.oh(), last.ow(), last.cout(), w.pooled, w.argmax);
        put(w.pooled, w.n * flat, w.pool);
        encFc.forward(w.pool, w.zA);
        get(w.zA, w.z);
        for (int q = 0; q < w.z.length; q++) w.z[q] = (float) Math.tanh(w.z[q]);
        lap(POOL_FC);
    }

    /** From dL/dz in {@code w.dz}: every encoder gradient into {@link #gradient()}. */
    private void encoderBackward(Workspace w) {
        for (int q = 0; q < w.dz.length; q++) w.dz[q] *= 1 - w.z[q] * w.z[q];
        put(w.dz, w.dz.length, w.dzA);
        encFc.backward(w.pool, w.dzA, w.dz, w.n, w.dPoolA);
        get(w.dPoolA, w.dPooled);
        int last = convs.length - 1;
        float[] dA = w.dA, aLast = w.a[last];
        Arrays.fill(dA, 0, aLast.length, 0f);
        for (int i = 0, m = w.n * flat; i < m; i++) dA[w.argmax[i]] += w.dPooled[i];
        mask(dA, aLast, aLast.length);
        lap(POOL_FC_BWD);
        for (int i = last; i >= 0; i--) {
            Conv3x3 k = convs[i];
            int rows = w.n * k.outPixels();
            put(dA, rows * k.cout(), w.y[i]); // dy of layer i, over the forward output
            host.putColumnSums(dA, rows, k.cout(), offsets.get("enc_conv" + i + "_b"));
            if (i == 0 && coordCols != null) {
                int per = k.outPixels() * k.cout();
                float[] s = new float[per];
                for (int img = 0; img < w.n; img++)
                    for (int q = 0, o = img * per; q < per; q++) s[q] += dA[o + q];
                Nd4j.gemm(coordCols, Nd4j.create(s, new long[]{k.outPixels(), k.cout()}, 'c'),
                        g.get(WorldModelGraph.COORD_WEIGHTS), true, false, 1.0, 0.0);
            }
            Nd4j.gemm(w.cols[i], w.y[i], g.get("enc_conv" + i + "_W"), true, false, 1.0, 0.0);
            if (i == 0) {
                lap(CONV_BWD);
                break;
            }
            Nd4j.gemm(w.y[i], p.get("enc_conv" + i + "_W"), w.cols[i], false, true, 1.0, 0.0); // dcols over cols
            lap(CONV_BWD);
            get(w.cols[i], w.scratch);
            k.col2im(w.scratch, w.n, dA);
            mask(dA, w.a[i - 1], w.n * k.inSize());
            lap(COL2IM);
        }
    }

    /**
     * a ← max(a, 0) for the first len entries. Math.max compiles to a vector max; a comparison per entry compiles to
     * a branch that mispredicts half the time (measured: 40 ms against 0.5 ms for 4.2M floats).
     */
    static void relu(float[] a, int len) {
        for (int q = 0; q < len; q++) a[q] = Math.max(a[q], 0f);
    }

    /**
     * d ← d ⊙ (a > 0) for the first len entries (the ReLU gradient), where a is a ReLU output (≥ 0, never −0):
     * the bits of d are kept where a's bits are non-zero, branch-free for the same reason as {@link #relu}.
     */
    static void mask(float[] d, float[] a, int len) {
        for (int i = 0; i < len; i++)
            d[i] = Float.intBitsToFloat(Float.floatToRawIntBits(d[i]) & (-Float.floatToRawIntBits(a[i]) >> 31));
    }
}
