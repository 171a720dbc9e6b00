package io.smwm.core.model;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.WorldModelLoss;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The one place that wires the SameDiff graph of the world model (the SMWM paper's toy architecture):
 * <pre>
 *   f: o [B, C, S, S] float in [0,1] -> Conv(C->c1,k3,s2,p1)-ReLU -> ... -> Conv(..->cN)-ReLU -> MaxPool(2)
 *        -> Linear(flat -> latentDim) -> tanh -> z [B, latentDim]
 *        (with {@code model.stemPatch} P: the first Conv is kP, sP, p0; with {@code model.projector} P the head is
 *        Linear(flat -> P) -> BatchNorm -> ReLU -> Linear(P -> latentDim) -> tanh, the BatchNorm with its running
 *        statistics enc_bn_mean / enc_bn_var as constants of the graph: this graph is the model at inference; the
 *        batch statistics of training are the direct engine's, so the samediff engine cannot train a projector)
 *   g: [s_t, a_t] [B, c·latentDim + k·m] -> Linear(hidden)-ReLU -> Linear(hidden)-ReLU -> Linear(latentDim) -> tanh
 *        (with {@code model.residualForward}: z_t + Linear(latentDim), no tanh)
 *   h: [s_t, z_{t+k}] [B, (c+1)·latentDim] -> Linear(hidden)-ReLU -> Linear(hidden)-ReLU -> Linear(k·m) (linear output)
 * </pre>
 * s_t = [z_{t−(c−1)k}, …, z_t] [B, c·latentDim] is the planning state: the latents of the c = {@code model.context}
 * frames one model step apart ending at o_t, oldest first (s_t = z_t for c = 1, the paper's model).
 * Every frame goes through the SAME encoder variables, one frame at a time. The context frames of o_t arrive stacked
 * on the channel axis (channel f·C + c is channel c of frame f) and are split into frames in the graph. Frames are
 * converted from uint8 HWC to float NCHW in [0,1] in Java ({@link #imagesToInput}), not in the graph.
 *
 * <p>Placeholders: {@link #OBS_T} the context frames of o_t [B, C·c, S, S], {@link #OBS_TK} o_{t+k} [B, C, S, S];
 * {@link #ACTION} a_t normalised [B, k·m]; with {@code loss.method} sigreg, {@link WorldModelLoss#SIGREG_PROJECTIONS}
 * SIGReg's directions [latentDim, M] (only the loss terms need it); and, for inference from given latents,
 * {@link #Z_IN} a planning state [B, c·latentDim], {@link #Z_IN_K} [B, latentDim] and {@link #A_IN} [B, k·m].
 * Outputs: {@link #Z_T} = f(o_t) [B, latentDim], {@link #S_T} = s_t [B, c·latentDim], {@link #Z_TK} = f(o_{t+k}) (also
 * how single frames are encoded for inference), {@link #Z_PRED} = g(s_t, a_t), {@link #A_HAT} = h(s_t, z_{t+k}), the
 * loss terms {@link LossTerms#FWD}, {@link LossTerms#INV}, the method's extra terms and {@link LossTerms#TOTAL}
 * (defined by {@link WorldModelLoss}, {@link WorldModelLoss#names}), and
 * {@link #G_OUT} = g(z_in, a_in), {@link #H_OUT} = h(z_in, z_in_k) with the same g/h weights.
 *
 * <p>Mutable (holds the parameter arrays) and not thread-safe: owned by one trainer or wrapped by {@link WorldModel}.
 */
public final class WorldModelGraph {
    public static final String OBS_T = "obs_t", OBS_TK = "obs_tk", ACTION = "action";
    public static final String Z_IN = "z_in", Z_IN_K = "z_in_k", A_IN = "a_in";
    public static final String Z_T = "z_t", S_T = "s_t", Z_TK = "z_tk", Z_PRED = "z_pred", A_HAT = "a_hat";
    public static final String G_OUT = "g_out", H_OUT = "h_out";
    public static final String CACHE_PROPERTY = "org.nd4j.autodiff.samediff";
    /** With {@code model.coordChannels}: the first convolution's weights over the coordinate channels [K, K, 2, C0]. */
    public static final String COORD_WEIGHTS = "enc_coord_W";
    /** The projector's BatchNorm ({@code model.projector}): scale, shift, running mean and variance, each [P]. */
    public static final String BN_GAMMA = "enc_bn_gamma", BN_BETA = "enc_bn_beta", BN_MEAN = "enc_bn_mean",
            BN_VAR = "enc_bn_var";
    private static final String COORDS = "enc_coords";

    /**
     * SameDiff 1.0.0-M2.1 bug: its ArrayCacheMemoryMgr returns wrong values on repeated inference. Its constructor
     * reads the system property {@code org.nd4j.autodiff.samediff} (default "true" = cache on) each time a session is
     * created, so setting it here, before this class creates any session, disables the cache even when the JVM was
     * started without {@code -Dorg.nd4j.autodiff.samediff=false}. An explicit "true" is respected but warned about.
     */
    static {
        String v = System.getProperty(CACHE_PROPERTY);
        if (v == null) System.setProperty(CACHE_PROPERTY, "false");
        else if (!"false".equals(v))
            org.slf4j.LoggerFactory.getLogger(WorldModelGraph.class).warn("-D{}={}: SameDiff's array cache is ON and "
                    + "repeated inference may return wrong values (a SameDiff 1.0.0-M2.1 bug in its inference array cache); use false", CACHE_PROPERTY, v);
    }

    private final ModelConfig config;
    private final LossConfig loss;
    private final SameDiff sd;
    private final List<ParamSpec> specs;
    private final long numParams;
    private static final Object STDOUT_LOCK = new Object();
    private boolean gradFunctionBuilt;

    private WorldModelGraph(ModelConfig config, LossConfig loss, long seed, String lossVariable) {
        this.config = config;
        this.loss = loss;
        this.specs = paramSpecs(config);
        this.numParams = specs.stream().mapToLong(ParamSpec::length).sum();
        this.sd = SameDiff.create();
        Map<String, SDVariable> p = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (ParamSpec s : specs) p.put(s.name(), sd.var(s.name(), init(s, rnd)));
        int c = config.channels(), side = config.imageSize(), a = config.modelActionDim(), l = config.latentDim();
        int ctx = config.context();
        SDVariable obsT = sd.placeHolder(OBS_T, DataType.FLOAT, -1, (long) c * ctx, side, side);
        SDVariable obsTk = sd.placeHolder(OBS_TK, DataType.FLOAT, -1, c, side, side);
        SDVariable action = sd.placeHolder(ACTION, DataType.FLOAT, -1, a);
        SDVariable sT, zT;
        if (ctx == 1) {
            zT = encoder(obsT, p, Z_T);
            sT = sd.identity(S_T, zT);
        } else {
            // [B, c·C, S, S] -> [B·c, C, S, S] (frame-major, as stacked) -> f -> [B·c, l] -> [B, c·l]
            SDVariable frames = sd.reshape(obsT, -1, c, side, side);
            sT = sd.reshape(S_T, encoder(frames, p, null), -1, (long) ctx * l);
            zT = sd.identity(Z_T, sT.get(SDIndex.all(), SDIndex.interval((ctx - 1) * l, ctx * l)));
        }
        SDVariable zTk = encoder(obsTk, p, Z_TK);
        SDVariable zPred = forward(sT, action, p, Z_PRED);
        SDVariable aHat = inverse(sT, zTk, p, A_HAT);
        WorldModelLoss.define(sd, sT, zPred, zTk, aHat, action, ctx, l, loss);
        SDVariable zIn = sd.placeHolder(Z_IN, DataType.FLOAT, -1, (long) ctx * l);
        SDVariable zInK = sd.placeHolder(Z_IN_K, DataType.FLOAT, -1, l);
        SDVariable aIn = sd.placeHolder(A_IN, DataType.FLOAT, -1, a);
        forward(zIn, aIn, p, G_OUT);
        inverse(zIn, zInK, p, H_OUT);
        sd.setLossVariables(lossVariable);
    }

    /** A freshly initialised graph (PyTorch-default init U(±1/√fan_in) from {@code seed}) training on L. */
    public static WorldModelGraph build(ModelConfig config, LossConfig loss, long seed) {
        return new WorldModelGraph(config, loss, seed, LossTerms.TOTAL);
    }

    /**
     * A graph whose gradients are those of one loss term ({@link LossTerms#FWD}, {@link LossTerms#INV},
     * {@link LossTerms#TOTAL} or one of the method's extra terms, {@link WorldModelLoss#names}): for gradient-flow
     * analysis and tests.
     */
    public static WorldModelGraph buildWithGradientOf(ModelConfig config, LossConfig loss, long seed, String term) {
        List<String> terms = WorldModelLoss.names(loss);
        if (!terms.contains(term))
            throw new IllegalArgumentException("term must be one of " + terms + ", got " + term);
        return new WorldModelGraph(config, loss, seed, term);
    }

    /** The trainable arrays in their canonical order (the order of the flat parameter vector and of checkpoints). */
    public static List<ParamSpec> paramSpecs(ModelConfig c) {
        List<ParamSpec> s = new ArrayList<>();
        long in = c.channels();
        for (int i = 0; i < c.convChannels().size(); i++) {
            long out = c.convChannels().get(i);
            long k = c.convKernel(i);
            s.add(new ParamSpec("enc_conv" + i + "_W", new long[]{k, k, in, out}));
            s.add(new ParamSpec("enc_conv" + i + "_b", new long[]{out}));
            if (i == 0 && c.coordChannels()) s.add(new ParamSpec(COORD_WEIGHTS, new long[]{k, k, 2, out}));
            in = out;
        }
        if (c.projector() > 0) {
            dense(s, "enc_proj", c.flatFeatures(), c.projector());
            for (String bn : new String[] {BN_GAMMA, BN_BETA, BN_MEAN, BN_VAR}) {
                s.add(new ParamSpec(bn, new long[]{c.projector()}));
            }
        }
        dense(s, "enc_fc", c.projector() > 0 ? c.projector() : c.flatFeatures(), c.latentDim());
        int l = c.latentDim(), h = c.hidden(), a = c.modelActionDim(), ctx = c.context();
        dense(s, "fwd_fc0", (long) ctx * l + a, h);
        dense(s, "fwd_fc1", h, h);
        dense(s, "fwd_fc2", h, l);
        dense(s, "inv_fc0", (ctx + 1L) * l, h);
        dense(s, "inv_fc1", h, h);
        dense(s, "inv_fc2", h, a);
        return List.copyOf(s);
    }

    private static void dense(List<ParamSpec> s, String name, long in, long out) {
        s.add(new ParamSpec(name + "_W", new long[]{in, out}));
        s.add(new ParamSpec(name + "_b", new long[]{out}));
    }

    private INDArray init(ParamSpec s, SplittableRandom rnd) {
        if (s.name().equals(BN_GAMMA) || s.name().equals(BN_VAR)) return Nd4j.ones(DataType.FLOAT, s.shape());
        if (s.name().equals(BN_BETA) || s.name().equals(BN_MEAN)) return Nd4j.zeros(DataType.FLOAT, s.shape());
        long fanIn;
        if (s.name().endsWith("_W")) {
            fanIn = 1;
            for (int i = 0; i < s.shape().length - 1; i++) fanIn *= s.shape()[i];
        } else { // bias: fan-in of the weight just before it
            long[] w = specs.get(specs.indexOf(s) - 1).shape();
            fanIn = 1;
            for (int i = 0; i < w.length - 1; i++) fanIn *= w[i];
        }
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] v = new float[(int) s.length()];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        return Nd4j.create(v, s.shape(), 'c');
    }

    private SDVariable encoder(SDVariable x, Map<String, SDVariable> p, String outName) {
        for (int i = 0; i < config.convChannels().size(); i++) {
            int k = config.convKernel(i), st = config.convStride(i), pad = config.convPad(i);
            Conv2DConfig cc = Conv2DConfig.builder().kH(k).kW(k).sH(st).sW(st).pH(pad).pW(pad).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO)
                    .build();
            x = sd.cnn().conv2d(x, p.get("enc_conv" + i + "_W"), p.get("enc_conv" + i + "_b"), cc);
            if (i == 0 && config.coordChannels()) {
                // conv over [image; x; y] = conv(image) + conv([x; y]); the second term is the same for every
                // frame, so it is computed once on a [1, 2, S, S] constant and broadcast over the batch
                x = x.add(sd.cnn().conv2d(coordinates(), p.get(COORD_WEIGHTS), cc));
            }
            x = sd.nn().relu(x, 0.0);
        }
        x = sd.cnn().maxPooling2d(x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build());
        x = sd.reshape(x, -1, config.flatFeatures());
        if (config.projector() > 0) {
            // inference BatchNorm: (x − running mean) · γ / sqrt(running var + ε) + β
            SDVariable u = sd.nn().linear(x, p.get("enc_proj_W"), p.get("enc_proj_b"));
            SDVariable scale = p.get(BN_GAMMA).div(sd.math().sqrt(p.get(BN_VAR).add(ModelConfig.BN_EPSILON)));
            x = sd.nn().relu(u.sub(p.get(BN_MEAN)).mul(scale).add(p.get(BN_BETA)), 0.0);
        }
        SDVariable lin = sd.nn().linear(x, p.get("enc_fc_W"), p.get("enc_fc_b"));
        return outName == null ? sd.math().tanh(lin) : sd.math().tanh(outName, lin);
    }

    /** The coordinate channels [1, 2, S, S]: channel 0 is x (column), channel 1 is y (row), both in [-1, 1]. */
    private SDVariable coordinates() {
        SDVariable v = sd.getVariable(COORDS);
        if (v != null) return v;
        int side = config.imageSize();
        float[] c = new float[2 * side * side];
        for (int r = 0; r < side; r++)
            for (int q = 0; q < side; q++) {
                float x = side == 1 ? 0f : 2f * q / (side - 1) - 1f, y = side == 1 ? 0f : 2f * r / (side - 1) - 1f;
                c[r * side + q] = x;
                c[side * side + r * side + q] = y;
            }
        return sd.constant(COORDS, Nd4j.create(c, new long[]{1, 2, side, side}, 'c'));
    }

    /** g(s, a) from the planning state s [B, c·l]; residual: the newest latent (s's last l columns) plus the output. */
    private SDVariable forward(SDVariable s, SDVariable a, Map<String, SDVariable> p, String outName) {
        SDVariable x = sd.concat(1, s, a);
        x = sd.nn().relu(sd.nn().linear(x, p.get("fwd_fc0_W"), p.get("fwd_fc0_b")), 0.0);
        x = sd.nn().relu(sd.nn().linear(x, p.get("fwd_fc1_W"), p.get("fwd_fc1_b")), 0.0);
        SDVariable out = sd.nn().linear(x, p.get("fwd_fc2_W"), p.get("fwd_fc2_b"));
        if (!config.residualForward()) return sd.math().tanh(outName, out);
        long l = config.latentDim(), sdim = (long) config.context() * l;
        SDVariable newest = config.context() == 1 ? s : s.get(SDIndex.all(), SDIndex.interval(sdim - l, sdim));
        return out.add(outName, newest);
    }

    private SDVariable inverse(SDVariable z, SDVariable zNext, Map<String, SDVariable> p, String outName) {
        SDVariable x = sd.concat(1, z, zNext);
        x = sd.nn().relu(sd.nn().linear(x, p.get("inv_fc0_W"), p.get("inv_fc0_b")), 0.0);
        x = sd.nn().relu(sd.nn().linear(x, p.get("inv_fc1_W"), p.get("inv_fc1_b")), 0.0);
        return sd.nn().linear(outName, x, p.get("inv_fc2_W"), p.get("inv_fc2_b"));
    }

    public ModelConfig config() { return config; }

    public LossConfig lossConfig() { return loss; }

    public List<ParamSpec> params() { return specs; }

    public long numParams() { return numParams; }

    /** Runs inference: the named outputs for the given placeholders (see the class doc for names and shapes). */
    public Map<String, INDArray> output(Map<String, INDArray> placeholders, String... outputs) {
        return sd.output(placeholders, outputs);
    }

    /**
     * One forward+backward pass: the named outputs and the gradient of the loss for every parameter (by name;
     * parameters the loss does not depend on get zeros).
     */
    public OutAndGrad outputsAndGradients(Map<String, INDArray> placeholders, Collection<String> outputs) {
        ensureGradFunction();
        List<String> names = new ArrayList<>(specs.size());
        for (ParamSpec s : specs) names.add(s.name());
        OutAndGrad og = sd.calculateGradientsAndOutputs(placeholders, outputs, names);
        Map<String, INDArray> grads = new LinkedHashMap<>(og.getGradients());
        for (ParamSpec s : specs)
            if (grads.get(s.name()) == null) grads.put(s.name(), Nd4j.zeros(DataType.FLOAT, s.shape()));
        return new OutAndGrad(og.getOutputs(), grads);
    }

    /**
     * Builds SameDiff's gradient function once, dropping the "Added differentiated op ..." lines that M2.1 prints to
     * System.out for every op (SameDiff 1.0.0-M2.1 prints while building gradients; a library must not print). Other output passes through unchanged.
     */
    private void ensureGradFunction() {
        if (gradFunctionBuilt) return;
        synchronized (STDOUT_LOCK) {
            java.io.PrintStream original = System.out;
            System.setOut(new java.io.PrintStream(original, true) {
                @Override
                public void println(String x) {
                    if (x == null || !x.startsWith("Added differentiated op")) super.println(x);
                }
            });
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(original);
            }
        }
        gradFunctionBuilt = true;
    }

    /** Adds SameDiff listeners (e.g. per-op timing in {@link io.smwm.core.train.TrainBenchmark}). */
    public void addListeners(org.nd4j.autodiff.listeners.Listener... listeners) {
        sd.addListeners(listeners);
    }

    /** The live array of parameter {@code name} (not a copy). */
    public INDArray param(String name) {
        return sd.getVariable(name).getArr();
    }

    /** All parameters concatenated in {@link #params()} order, each flattened in C order: a new [numParams] array. */
    public INDArray flatParams() {
        List<INDArray> arrs = new ArrayList<>(specs.size());
        for (ParamSpec s : specs) arrs.add(param(s.name()));
        return Nd4j.toFlattened('c', arrs);
    }

    /** Copies a flat vector laid out as {@link #flatParams()} into the parameters. */
    public void setFlatParams(INDArray flat) {
        if (flat.length() != numParams)
            throw new IllegalArgumentException("flat parameter vector must have " + numParams + " entries, got "
                    + flat.length());
        INDArray f = flat.reshape(numParams);
        long off = 0;
        for (ParamSpec s : specs) {
            long n = s.length();
            param(s.name()).assign(f.get(NDArrayIndex.interval(off, off + n)).reshape('c', s.shape()));
            off += n;
        }
    }

    /** Flattens a name -> array map (e.g. gradients) in {@link #params()} order. */
    public INDArray flatten(Map<String, INDArray> byName) {
        List<INDArray> arrs = new ArrayList<>(specs.size());
        for (ParamSpec s : specs) {
            INDArray a = byName.get(s.name());
            if (a == null) throw new IllegalStateException("no array for parameter " + s.name());
            arrs.add(a);
        }
        return Nd4j.toFlattened('c', arrs);
    }

    /**
     * uint8 HWC frames [B][S·S·C] -> float NCHW [B, C, S, S] in [0, 1] (what {@link #OBS_TK} takes); with
     * {@code model.centerFrames} each frame's per-channel mean is subtracted (values in [-1, 1]).
     */
    public static INDArray imagesToInput(byte[][] images, ModelConfig c) {
        return imagesToInput(images, c, 1);
    }

    /**
     * Observations of {@code frames} uint8 HWC frames each, concatenated oldest first (byte[frames·S·S·C]) -> float
     * NCHW [B, frames·C, S, S] in [0, 1], frame f's channel k at f·C + k: {@code frames = model.context} for
     * {@link #OBS_T}, 1 for {@link #OBS_TK}.
     */
    public static INDArray imagesToInput(byte[][] images, ModelConfig c, int frames) {
        int s = c.imageSize(), ch = c.channels(), hw = s * s, h = frames, frame = hw * ch;
        float[] buf = new float[images.length * h * frame];
        for (int b = 0; b < images.length; b++) {
            byte[] img = images[b];
            if (img == null || img.length != h * frame)
                throw new IllegalArgumentException("observation " + b + " must have " + (h > 1 ? h + " frames of " : "")
                        + "H*W*C=" + frame + " bytes (uint8 HWC " + s + "x" + s + "x" + ch + "), got "
                        + (img == null ? "null" : img.length + " bytes"));
            for (int f = 0, q = 0; f < h; f++) {
                int base = (b * h + f) * frame;
                for (int p = 0; p < hw; p++)
                    for (int k = 0; k < ch; k++) buf[base + k * hw + p] = (img[q++] & 0xFF) * (1f / 255f);
                if (c.centerFrames()) centerChannels(buf, base, ch, hw);
            }
        }
        return Nd4j.create(buf, new long[]{images.length, (long) h * ch, s, s}, 'c');
    }

    /** {@code model.centerFrames}: subtracts each channel's mean over the frame's hw pixels (planar, from base). */
    private static void centerChannels(float[] buf, int base, int ch, int hw) {
        for (int k = 0; k < ch; k++) {
            int from = base + k * hw;
            double sum = 0;
            for (int p = 0; p < hw; p++) sum += buf[from + p];
            float mean = (float) (sum / hw);
            for (int p = 0; p < hw; p++) buf[from + p] -= mean;
        }
    }

    /**
     * uint8 (or any integer/float type holding 0..255) HWC images [B, S, S, C] -> float NCHW [B, C, S, S] in [0,1],
     * centred per image and channel with {@code model.centerFrames}.
     */
    public static INDArray imagesToInput(INDArray images, ModelConfig c) {
        long[] sh = images.shape();
        if (sh.length != 4 || sh[1] != c.imageSize() || sh[2] != c.imageSize() || sh[3] != c.channels())
            throw new IllegalArgumentException("images must be [B, " + c.imageSize() + ", " + c.imageSize() + ", "
                    + c.channels() + "] (HWC), got " + java.util.Arrays.toString(sh));
        INDArray f = images.dataType() == DataType.UINT8 || images.dataType() == DataType.UBYTE
                ? images.castTo(DataType.INT32).castTo(DataType.FLOAT) : images.castTo(DataType.FLOAT);
        INDArray x = f.permute(0, 3, 1, 2).div(255.0).dup('c');
        if (c.centerFrames()) { // per image and channel: mean over H, W
            x.subi(x.mean(true, 2, 3));
        }
        return x;
    }
}
