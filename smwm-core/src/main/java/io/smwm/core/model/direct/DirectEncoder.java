package io.smwm.core.model.direct;

import io.smwm.core.config.ModelConfig;
import io.smwm.core.model.WorldModelGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.smwm.core.model.direct.HostBuffers.get;
import static io.smwm.core.model.direct.HostBuffers.put;

/**
 * The direct engine's encoder f: uint8 HWC frames → z [N, latentDim] (3×3 stride-2 convolutions, the first optionally
 * a patch stem ({@code model.stemPatch}), with ReLU as im2col
 * matrix products on channels-last images, optional coordinate channels into the first, MaxPool(2), a dense layer,
 * tanh), its backward pass into the model's gradient vector, and the buffers for N images kept between steps
 * ({@link Workspace}). Parameters and gradients are views into {@link DirectWorldModel}'s flat vectors.
 *
 * <p>With {@code model.projector} P the dense layer is Linear(pooled → P) → BatchNorm → ReLU → Linear(P → latentDim).
 * A training forward pass normalises with the statistics of the frames in the workspace (its first
 * {@link Workspace#used} rows; padding rows are normalised alike but count for nothing) and moves the running mean
 * and variance (stored in the parameter vector, their gradients always 0) toward them; any other pass uses the
 * running statistics, as the SameDiff graph does.
 */
final class DirectEncoder {
    /**
     * Distinct image counts whose buffers are kept: a full batch, an epoch's last, smaller one, and with shared
     * frames ({@link FrameDedup}) the distinct-frame counts, rounded up by {@link DirectWorldModel}.
     */
    static final int KEPT_WORKSPACES = 4;

    private final ModelConfig c;
    private final Map<String, INDArray> p, g;
    private final Map<String, Integer> offsets;
    private final HostBuffers host;
    private final PhaseClock clock;
    private final ConvLayer[] convs;
    private final int flat;
    private final INDArray coordCols; // [oh0·ow0, K0²·2] im2col of the coordinate channels, or null
    private final Dense encFc;
    /** model.projector: P, or 0 without a projector. */
    private final int proj;
    /** Linear(pooled → P) of the projector; null without one. */
    private final Dense encProj;
    private final Map<Integer, Workspace> workspaces = new LinkedHashMap<>();

    /**
     * @param p, g    parameter and gradient views by name (conv kernels as [K²·cin, cout]), from the flat vectors
     * @param offsets each parameter's offset in the flat vectors
     */
    DirectEncoder(ModelConfig config, Map<String, INDArray> p, Map<String, INDArray> g, Map<String, Integer> offsets,
                  HostBuffers host, PhaseClock clock) {
        this.c = config;
        this.p = p;
        this.g = g;
        this.offsets = offsets;
        this.host = host;
        this.clock = clock;
        int layers = config.convChannels().size();
        this.convs = new ConvLayer[layers];
        int side = config.imageSize(), in = config.channels();
        for (int i = 0; i < layers; i++) {
            convs[i] = new ConvLayer(side, side, in, config.convChannels().get(i), config.convKernel(i),
                    config.convStride(i), config.convPad(i));
            side = convs[i].oh();
            in = convs[i].cout();
        }
        this.flat = in * (side / 2) * (side / 2);
        if (flat != config.flatFeatures())
            throw new IllegalStateException("encoder output " + flat + " != model.flatFeatures " + config.flatFeatures());
        this.coordCols = config.coordChannels() ? coordinateColumns(convs[0]) : null;
        this.encFc = new Dense(p.get("enc_fc_W"), p.get("enc_fc_b"), g.get("enc_fc_W"), offsets.get("enc_fc_b"), host);
        this.proj = config.projector();
        this.encProj = proj == 0 ? null : new Dense(p.get("enc_proj_W"), p.get("enc_proj_b"), g.get("enc_proj_W"),
                offsets.get("enc_proj_b"), host);
        if (proj > 0) { // running statistics are not trained: their gradient entries stay 0
            host.putColumnSums(new float[proj], 1, proj, offsets.get(WorldModelGraph.BN_MEAN), false);
            host.putColumnSums(new float[proj], 1, proj, offsets.get(WorldModelGraph.BN_VAR), false);
        }
    }

    private static INDArray coordinateColumns(ConvLayer first) {
        int side = first.h();
        float[] img = new float[side * side * 2];
        for (int r = 0; r < side; r++)
            for (int q = 0; q < side; q++) {
                img[(r * side + q) * 2] = side == 1 ? 0f : 2f * q / (side - 1) - 1f;
                img[(r * side + q) * 2 + 1] = side == 1 ? 0f : 2f * r / (side - 1) - 1f;
            }
        ConvLayer k = new ConvLayer(side, side, 2, first.cout(), first.kernel(), first.stride(), first.pad());
        float[] cols = new float[k.outPixels() * k.k()];
        k.im2col(img, 1, cols);
        return Nd4j.create(cols, new long[]{k.outPixels(), k.k()}, 'c');
    }

    /** Encoder buffers for N images, reused across steps. */
    final class Workspace {
        final int n;
        /**
         * Rows that hold frames of the current pass (the first {@code used} of n; the rest are padding): BatchNorm's
         * batch statistics come from these. Set by the caller after loading frames; n unless set.
         */
        int used;
        final float[] x, pooled, dPooled, dA, z, dz;
        final int[] argmax;
        final float[][] a;
        final INDArray[] cols, y;
        final INDArray pool, zA, dzA, dPoolA;
        /** Projector buffers [n·P] (null without one): pre-norm u, normalised x̂, ReLU output r, their gradients. */
        final float[] u, xhat, r, dR, dU;
        /** 1 / sqrt(σ² + ε) per projector unit of the last training pass. */
        final float[] invStd;
        final INDArray uA, rA, dRA, dUA;
        /** Whether the last forward pass normalised with batch statistics (backward needs it). */
        boolean trained;

        Workspace(int n) {
            this.n = n;
            this.used = n;
            u = proj == 0 ? null : new float[n * proj];
            xhat = proj == 0 ? null : new float[n * proj];
            r = proj == 0 ? null : new float[n * proj];
            dR = proj == 0 ? null : new float[n * proj];
            dU = proj == 0 ? null : new float[n * proj];
            invStd = proj == 0 ? null : new float[proj];
            uA = proj == 0 ? null : Dense.buffer(n, proj);
            rA = proj == 0 ? null : Dense.buffer(n, proj);
            dRA = proj == 0 ? null : Dense.buffer(n, proj);
            dUA = proj == 0 ? null : Dense.buffer(n, proj);
            x = new float[n * convs[0].inSize()];
            a = new float[convs.length][];
            cols = new INDArray[convs.length];
            y = new INDArray[convs.length];
            int maxIn = 0;
            for (int i = 0; i < convs.length; i++) {
                ConvLayer k = convs[i];
                long rows = (long) n * k.outPixels();
                if (rows * Math.max(k.k(), k.cout()) > Integer.MAX_VALUE)
                    throw new IllegalArgumentException("batch of " + n + " images is too large for the direct engine");
                cols[i] = Dense.buffer((int) rows, k.k());
                y[i] = Dense.buffer((int) rows, k.cout());
                a[i] = new float[(int) rows * k.cout()];
                if (i > 0) maxIn = Math.max(maxIn, n * k.inSize());
            }
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
            if (proj > 0) for (INDArray arr : new INDArray[] {uA, rA, dRA, dUA}) arr.close();
        }
    }

    Workspace workspace(int n) {
        return cached(workspaces, n, Workspace::new, Workspace::close);
    }

    static <T> T cached(Map<Integer, T> cache, int key, java.util.function.IntFunction<T> make,
                                java.util.function.Consumer<T> close) {
        T w = cache.remove(key);
        if (w == null) {
            if (cache.size() >= KEPT_WORKSPACES) close.accept(cache.remove(cache.keySet().iterator().next()));
            w = make.apply(key);
        }
        cache.put(key, w); // most recently used last
        return w;
    }

    /** uint8 HWC frame at {@code from} in {@code src} -> image {@code img} of {@code x} in [0,1] (centred per channel if set). */
    void loadFrame(byte[] src, int from, float[] x, int img) {
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

    /**
     * The encoder on the N images in {@code w.x}: z into {@code w.z} [N·latentDim]; keeps what backward needs.
     * {@code training}: the projector's BatchNorm uses (and moves its running averages toward) the batch statistics
     * of the workspace's used rows; otherwise its running statistics. Without a projector both are the same.
     */
    void forward(Workspace w, boolean training) {
        float[] in = w.x;
        for (int i = 0; i < convs.length; i++) {
            ConvLayer k = convs[i];
            k.im2col(in, w.n, HostBuffers.floats(w.cols[i]));
            clock.lap(PhaseClock.IM2COL);
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.XwPlusB(
                    new INDArray[] {w.cols[i], p.get("enc_conv" + i + "_W"), p.get("enc_conv" + i + "_b")}, w.y[i]));
            clock.lap(PhaseClock.CONV_FWD);
            float[] a = w.a[i];
            get(w.y[i], a);
            if (i == 0 && coordCols != null) {
                float[] term = new float[k.outPixels() * k.cout()];
                get(coordCols.mmul(p.get(WorldModelGraph.COORD_WEIGHTS)), term);
                for (int img = 0, per = term.length; img < w.n; img++)
                    for (int q = 0, o = img * per; q < per; q++) a[o + q] += term[q];
            }
            relu(a, a.length);
            clock.lap(PhaseClock.COPY);
            in = a;
        }
        ConvLayer last = convs[convs.length - 1];
        ConvLayer.maxPool(w.a[convs.length - 1], w.n, last.oh(), last.ow(), last.cout(), w.pooled, w.argmax);
        put(w.pooled, w.n * flat, w.pool);
        INDArray head = w.pool;
        if (proj > 0) {
            projectorForward(w, training);
            head = w.rA;
        }
        w.trained = training;
        encFc.forward(head, w.zA);
        get(w.zA, w.z);
        for (int q = 0; q < w.z.length; q++) w.z[q] = (float) Math.tanh(w.z[q]);
        clock.lap(PhaseClock.POOL_FC);
    }

    /** From dL/dz in {@code w.dz}: every encoder gradient into the model's gradient vector. */
    void backward(Workspace w) {
        for (int q = 0; q < w.dz.length; q++) w.dz[q] *= 1 - w.z[q] * w.z[q];
        put(w.dz, w.dz.length, w.dzA);
        if (proj > 0) {
            if (!w.trained) throw new IllegalStateException("backward needs a training forward pass");
            encFc.backward(w.rA, w.dzA, w.dz, w.n, w.dRA, false);
            projectorBackward(w);
            encProj.backward(w.pool, w.dUA, w.dU, w.n, w.dPoolA, false);
        } else {
            encFc.backward(w.pool, w.dzA, w.dz, w.n, w.dPoolA, false);
        }
        get(w.dPoolA, w.dPooled);
        int last = convs.length - 1;
        float[] dA = w.dA, aLast = w.a[last];
        Arrays.fill(dA, 0, aLast.length, 0f);
        for (int i = 0, m = w.n * flat; i < m; i++) dA[w.argmax[i]] += w.dPooled[i];
        mask(dA, aLast, aLast.length);
        clock.lap(PhaseClock.POOL_FC_BWD);
        for (int i = last; i >= 0; i--) {
            ConvLayer k = convs[i];
            int rows = w.n * k.outPixels();
            put(dA, rows * k.cout(), w.y[i]); // dy of layer i, over the forward output
            host.putColumnSums(dA, rows, k.cout(), offsets.get("enc_conv" + i + "_b"), false);
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
                clock.lap(PhaseClock.CONV_BWD);
                break;
            }
            Nd4j.gemm(w.y[i], p.get("enc_conv" + i + "_W"), w.cols[i], false, true, 1.0, 0.0); // dcols over cols
            clock.lap(PhaseClock.CONV_BWD);
            k.col2im(HostBuffers.floats(w.cols[i]), w.n, dA);
            mask(dA, w.a[i - 1], w.n * k.inSize());
            clock.lap(PhaseClock.COL2IM);
        }
    }

    /** Linear(pooled → P), BatchNorm, ReLU: {@code w.pool} → {@code w.r} and {@code w.rA} [n, P]. */
    private void projectorForward(Workspace w, boolean training) {
        encProj.forward(w.pool, w.uA);
        get(w.uA, w.u);
        int m = w.used;
        float[] gamma = p.get(WorldModelGraph.BN_GAMMA).toFloatVector(), beta = p.get(WorldModelGraph.BN_BETA).toFloatVector();
        float[] mean, var;
        if (training) {
            if (m < 2) throw new IllegalArgumentException("BatchNorm needs at least 2 frames in a training pass, got " + m);
            mean = new float[proj];
            var = new float[proj];
            double[] s = new double[proj], s2 = new double[proj];
            for (int r = 0; r < m; r++)
                for (int j = 0, o = r * proj; j < proj; j++) s[j] += w.u[o + j];
            for (int j = 0; j < proj; j++) mean[j] = (float) (s[j] / m);
            for (int r = 0; r < m; r++)
                for (int j = 0, o = r * proj; j < proj; j++) {
                    double d = w.u[o + j] - mean[j];
                    s2[j] += d * d;
                }
            float[] rm = p.get(WorldModelGraph.BN_MEAN).toFloatVector(), rv = p.get(WorldModelGraph.BN_VAR).toFloatVector();
            double mom = ModelConfig.BN_MOMENTUM;
            for (int j = 0; j < proj; j++) {
                var[j] = (float) (s2[j] / m);
                rm[j] = (float) ((1 - mom) * rm[j] + mom * mean[j]);
                rv[j] = (float) ((1 - mom) * rv[j] + mom * s2[j] / (m - 1));
            }
            p.get(WorldModelGraph.BN_MEAN).assign(Nd4j.createFromArray(rm));
            p.get(WorldModelGraph.BN_VAR).assign(Nd4j.createFromArray(rv));
        } else {
            mean = p.get(WorldModelGraph.BN_MEAN).toFloatVector();
            var = p.get(WorldModelGraph.BN_VAR).toFloatVector();
        }
        for (int j = 0; j < proj; j++) w.invStd[j] = (float) (1 / Math.sqrt(var[j] + ModelConfig.BN_EPSILON));
        for (int r = 0; r < w.n; r++)
            for (int j = 0, o = r * proj; j < proj; j++) {
                float xh = (w.u[o + j] - mean[j]) * w.invStd[j];
                w.xhat[o + j] = xh;
                w.r[o + j] = Math.max(gamma[j] * xh + beta[j], 0f);
            }
        put(w.r, w.n * proj, w.rA);
    }

    /**
     * From dL/dr in {@code w.dRA}: γ's and β's gradients into the gradient vector and dL/du into {@code w.dU} and
     * {@code w.dUA} (0 on padding rows), through BatchNorm with batch statistics:
     * du = γ·invStd/m · (m·dy − Σdy − x̂·Σ(dy·x̂)) with dy = dL/dr masked by the ReLU, sums over the m used rows.
     */
    private void projectorBackward(Workspace w) {
        get(w.dRA, w.dR);
        mask(w.dR, w.r, w.n * proj);
        int m = w.used;
        float[] gamma = p.get(WorldModelGraph.BN_GAMMA).toFloatVector();
        double[] sumDy = new double[proj], sumDyX = new double[proj];
        for (int r = 0; r < m; r++)
            for (int j = 0, o = r * proj; j < proj; j++) {
                sumDy[j] += w.dR[o + j];
                sumDyX[j] += w.dR[o + j] * (double) w.xhat[o + j];
            }
        float[] dGamma = new float[proj], dBeta = new float[proj];
        for (int j = 0; j < proj; j++) {
            dGamma[j] = (float) sumDyX[j];
            dBeta[j] = (float) sumDy[j];
        }
        host.putColumnSums(dGamma, 1, proj, offsets.get(WorldModelGraph.BN_GAMMA), false);
        host.putColumnSums(dBeta, 1, proj, offsets.get(WorldModelGraph.BN_BETA), false);
        for (int r = 0; r < m; r++)
            for (int j = 0, o = r * proj; j < proj; j++) {
                double k = gamma[j] * (double) w.invStd[j] / m;
                w.dU[o + j] = (float) (k * (m * (double) w.dR[o + j] - sumDy[j] - w.xhat[o + j] * sumDyX[j]));
            }
        Arrays.fill(w.dU, m * proj, w.n * proj, 0f);
        put(w.dU, w.n * proj, w.dUA);
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
