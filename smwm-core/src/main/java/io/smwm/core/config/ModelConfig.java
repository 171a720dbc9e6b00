package io.smwm.core.config;

import java.util.List;

/**
 * Architecture of the world model (encoder f, forward model g, inverse model h). Defaults: the toy architecture of
 * the paper (64x64 RGB, convs 32/64/128, latent 64, MLP hidden 256, frameskip 5).
 *
 * <p>The model action is the {@code frameskip} primitive env actions concatenated, so
 * {@link #modelActionDim()} = k·m = {@code frameskip * actionDim}.
 *
 * @param imageSize    square input side in pixels (H = W)
 * @param channels     image channels (3 for RGB)
 * @param convChannels output channels of each Conv(k3, s2, p1)-ReLU layer of the encoder
 * @param latentDim    dimension of z
 * @param hidden       width of both hidden layers of g and h
 * @param actionDim    m, the primitive env action dimension
 * @param frameskip    k, primitive env steps per model step
 * @param context      latents the forward and inverse models see: z_t = f(o_t) and the latents of the
 *                     {@code context − 1} frames before o_t spaced one model step (k env steps) apart, oldest first:
 *                     ẑ_{t+k} = g(z_{t−(c−1)k}, …, z_t, a_t) and â_t = h(z_{t−(c−1)k}, …, z_t, z_{t+k}). The encoder
 *                     f stays a function of one frame, so z keeps its meaning; the context tells g how the scene is
 *                     moving (velocities a single frame does not show). 1 = the paper's setting. Frames before an
 *                     episode's start repeat its first frame (a scene at rest)
 * @param centerFrames subtract each frame's own per-channel mean from its pixels before the encoder (false = the
 *                     paper's input, pixels in [0, 1]). On a plain background this takes the background to about 0,
 *                     so what moves is most of the input; it needs no statistics, so checkpoints stay
 *                     self-contained
 * @param coordChannels give the encoder's first convolution two more input channels holding each pixel's x and y in
 *                     [-1, 1] (CoordConv), so the encoder sees where things are, not only what local patterns show:
 *                     a line segment's local pattern is the same when it is rotated by 180° about the frame's centre,
 *                     only its position tells the two apart. False = the paper's encoder. It adds
 *                     3·3·2·convChannels[0] weights ({@code enc_coord_W}); the frames themselves are unchanged
 * @param residualForward g predicts the change of the newest latent: ẑ_{t+k} = z_t + Linear(...), no output tanh
 *                     (false = the paper's g, ẑ_{t+k} = tanh(Linear(...))). A step that barely moves the scene then
 *                     asks g for an output near 0 instead of re-creating z_t through a tanh, which is where a
 *                     precise model of small motions is won or lost; the parameters are the same
 * @param stemPatch    0 = the paper's first convolution (3×3, stride 2, padding 1); P ≥ 2: the first convolution is
 *                     P×P with stride P and no padding, one output per non-overlapping P×P patch (as a ViT's patch
 *                     embedding), so a frame P/2 times larger costs the later layers what the paper's frame does:
 *                     finer pixels for the same compute. imageSize must be a multiple of P
 * @param projector    0 = the paper's toy encoder head (one linear layer from the pooled features to z, tanh);
 *                     P ≥ 1: a projector as the paper's benchmark encoder has, Linear(pooled → P), BatchNorm over the
 *                     batch, ReLU, Linear(P → latentDim), tanh. BatchNorm normalises each of the P units with the
 *                     statistics of the frames encoded together in a training step and keeps running averages
 *                     (momentum {@value #BN_MOMENTUM}, unbiased variance) for everything else (validation, planning,
 *                     embedding), stored with the parameters ({@code enc_bn_mean}, {@code enc_bn_var}: not trained,
 *                     averaged across workers like the weights). Needs {@code train.engine: direct}
 */
public record ModelConfig(int imageSize, int channels, List<Integer> convChannels, int latentDim, int hidden,
                          int actionDim, int frameskip, int context, boolean centerFrames, boolean coordChannels,
                          boolean residualForward, int stemPatch, int projector) {

    public static final ModelConfig DEFAULT = new ModelConfig(64, 3, List.of(32, 64, 128), 64, 256, 2, 5, 1, false,
            false, false, 0, 0);
    /** BatchNorm's running-average momentum of the projector ({@code model.projector}): new = (1 − m)·old + m·batch. */
    public static final double BN_MOMENTUM = 0.1;
    /** BatchNorm's ε of the projector: x̂ = (x − μ) / sqrt(σ² + ε). */
    public static final double BN_EPSILON = 1e-5;
    /**
     * Upper bounds: no size computed from a config can overflow an int, and no model is larger than
     * {@value #MAX_PARAMETERS} parameters (1 GiB of float32; Adam keeps two more copies).
     */
    public static final int MAX_IMAGE_SIZE = 4096, MAX_CHANNELS = 64, MAX_CONV_LAYERS = 16, MAX_WIDTH = 65_536,
            MAX_ACTION_DIM = 1024, MAX_FRAMESKIP = 1024;
    public static final long MAX_PARAMETERS = 1L << 28;
    /** At most this many context latents ({@code model.context}). */
    public static final int MAX_CONTEXT = 8;
    /** Largest {@code model.stemPatch}. */
    public static final int MAX_STEM_PATCH = 16;

    public ModelConfig {
        Checks.inRange("model.imageSize", imageSize, 4, MAX_IMAGE_SIZE);
        Checks.inRange("model.channels", channels, 1, MAX_CHANNELS);
        if (convChannels == null || convChannels.isEmpty() || convChannels.size() > MAX_CONV_LAYERS)
            throw new IllegalArgumentException("model.convChannels must be a list of 1 to " + MAX_CONV_LAYERS
                    + " positive integers, got " + convChannels);
        for (Integer c : convChannels)
            if (c == null || c < 1 || c > MAX_WIDTH)
                throw new IllegalArgumentException("model.convChannels entries must be in [1, " + MAX_WIDTH + "], got "
                        + convChannels);
        convChannels = List.copyOf(convChannels);
        Checks.inRange("model.latentDim", latentDim, 1, MAX_WIDTH);
        Checks.inRange("model.hidden", hidden, 1, MAX_WIDTH);
        Checks.inRange("model.actionDim", actionDim, 1, MAX_ACTION_DIM);
        Checks.inRange("model.frameskip", frameskip, 1, MAX_FRAMESKIP);
        Checks.inRange("model.context", context, 1, MAX_CONTEXT);
        if (stemPatch != 0) {
            Checks.inRange("model.stemPatch", stemPatch, 2, MAX_STEM_PATCH);
            if (imageSize % stemPatch != 0)
                throw new IllegalArgumentException("model.imageSize must be a multiple of model.stemPatch (the first "
                        + "convolution's non-overlapping patches), got imageSize=" + imageSize + ", stemPatch="
                        + stemPatch);
        }
        Checks.inRange("model.projector", projector, 0, MAX_WIDTH);
        int side = imageSize;
        for (int i = 0; i < convChannels.size(); i++) side = outSide(i, side, stemPatch);
        if (side / 2 < 1)
            throw new IllegalArgumentException("model.imageSize must leave a feature map of at least 2x2 before the "
                    + "MaxPool(2) after " + convChannels.size() + " convolutions (model.convChannels"
                    + (stemPatch > 0 ? ", the first with model.stemPatch " + stemPatch : ", stride 2")
                    + "), got imageSize=" + imageSize);
        long params = parameterCount(channels, convChannels, (long) side / 2 * (side / 2), latentDim, hidden,
                (long) frameskip * actionDim, context, coordChannels, stemPatch, projector);
        if (params > MAX_PARAMETERS)
            throw new IllegalArgumentException("model must have at most " + MAX_PARAMETERS + " parameters, got "
                    + params + " (model.imageSize=" + imageSize + ", model.convChannels=" + convChannels
                    + ", model.latentDim=" + latentDim + ", model.hidden=" + hidden + "); make them smaller");
    }

    /** The paper's encoder input (no coordinate channels) and g; see the canonical constructor for the rest. */
    public ModelConfig(int imageSize, int channels, List<Integer> convChannels, int latentDim, int hidden,
                       int actionDim, int frameskip, int context, boolean centerFrames) {
        this(imageSize, channels, convChannels, latentDim, hidden, actionDim, frameskip, context, centerFrames, false,
                false);
    }

    /** The paper's g (tanh output); see the canonical constructor for the rest. */
    public ModelConfig(int imageSize, int channels, List<Integer> convChannels, int latentDim, int hidden,
                       int actionDim, int frameskip, int context, boolean centerFrames, boolean coordChannels) {
        this(imageSize, channels, convChannels, latentDim, hidden, actionDim, frameskip, context, centerFrames,
                coordChannels, false);
    }

    /** The paper's first convolution (3×3, stride 2); see the canonical constructor for the rest. */
    public ModelConfig(int imageSize, int channels, List<Integer> convChannels, int latentDim, int hidden,
                       int actionDim, int frameskip, int context, boolean centerFrames, boolean coordChannels,
                       boolean residualForward) {
        this(imageSize, channels, convChannels, latentDim, hidden, actionDim, frameskip, context, centerFrames,
                coordChannels, residualForward, 0);
    }

    /** The paper's toy encoder head (no projector); see the canonical constructor for the rest. */
    public ModelConfig(int imageSize, int channels, List<Integer> convChannels, int latentDim, int hidden,
                       int actionDim, int frameskip, int context, boolean centerFrames, boolean coordChannels,
                       boolean residualForward, int stemPatch) {
        this(imageSize, channels, convChannels, latentDim, hidden, actionDim, frameskip, context, centerFrames,
                coordChannels, residualForward, stemPatch, 0);
    }

    /** This config with {@code model.projector} = p. */
    public ModelConfig withProjector(int p) {
        return new ModelConfig(imageSize, channels, convChannels, latentDim, hidden, actionDim, frameskip, context,
                centerFrames, coordChannels, residualForward, stemPatch, p);
    }

    /** Side of the output of encoder convolution {@code layer} on a square input of {@code side} pixels. */
    private static int outSide(int layer, int side, int stemPatch) {
        return layer == 0 && stemPatch > 0 ? side / stemPatch : (side + 1) / 2; // k3 s2 p1: ceil(side/2)
    }

    /** Kernel side of encoder convolution {@code layer}: 3, or {@code stemPatch} for the first with a patch stem. */
    public int convKernel(int layer) {
        return layer == 0 && stemPatch > 0 ? stemPatch : 3;
    }

    /** Stride of encoder convolution {@code layer}: 2, or {@code stemPatch} for the first with a patch stem. */
    public int convStride(int layer) {
        return layer == 0 && stemPatch > 0 ? stemPatch : 2;
    }

    /** Zero padding of encoder convolution {@code layer}: 1, or 0 for the first with a patch stem. */
    public int convPad(int layer) {
        return layer == 0 && stemPatch > 0 ? 0 : 1;
    }

    /** Side of the square output of encoder convolution {@code layer} (0-based). */
    public int convOutSide(int layer) {
        int side = imageSize;
        for (int i = 0; i <= layer; i++) side = outSide(i, side, stemPatch);
        return side;
    }

    /** Parameters of the model (the sum of WorldModelGraph.paramSpecs' lengths, the projector's running statistics included). */
    public long parameterCount() {
        return parameterCount(channels, convChannels, (long) pooledSide() * pooledSide(), latentDim, hidden,
                modelActionDim(), context, coordChannels, stemPatch, projector);
    }

    private static long parameterCount(long channels, List<Integer> conv, long pooledArea, long latent, long hidden,
                                       long action, long context, boolean coords, int stemPatch, int projector) {
        long first = stemPatch > 0 ? (long) stemPatch * stemPatch : 9;
        long n = coords ? first * 2 * conv.get(0) : 0, in = channels;
        for (int i = 0; i < conv.size(); i++) {
            long c = conv.get(i);
            n += (i == 0 ? first : 9) * in * c + c;
            in = c;
        }
        n += projector > 0 ? dense(in * pooledArea, projector) + 4L * projector + dense(projector, latent)
                : dense(in * pooledArea, latent);
        n += dense(context * latent + action, hidden) + dense(hidden, hidden) + dense(hidden, latent);
        n += dense((context + 1) * latent, hidden) + dense(hidden, hidden) + dense(hidden, action);
        return n;
    }

    private static long dense(long in, long out) {
        return in * out + out;
    }

    /** k·m: dimension of the model action a_t (the k primitive actions concatenated). */
    public int modelActionDim() {
        return frameskip * actionDim;
    }

    /** Side of the feature map after the convolutions and the MaxPool(2). */
    public int pooledSide() {
        return convOutSide(convChannels.size() - 1) / 2;
    }

    /** Input size of the encoder's final Linear: C_last · side · side (2048 for the default). */
    public int flatFeatures() {
        return convChannels.get(convChannels.size() - 1) * pooledSide() * pooledSide();
    }

    /** Bytes of one uint8 HWC image. */
    public int imageBytes() {
        return imageSize * imageSize * channels;
    }

    /** Bytes of one context observation: {@code context} uint8 HWC frames concatenated, oldest first. */
    public int contextBytes() {
        return imageBytes() * context;
    }

    /** Dimension of the planning state: the context latents concatenated, {@code context · latentDim}. */
    public int stateDim() {
        return context * latentDim;
    }

    /** The same config with {@code model.context = c}. */
    public ModelConfig withContext(int c) {
        return new ModelConfig(imageSize, channels, convChannels, latentDim, hidden, actionDim, frameskip, c,
                centerFrames, coordChannels, residualForward, stemPatch, projector);
    }

    /** The same config with {@code model.latentDim = l}. */
    public ModelConfig withLatentDim(int l) {
        return new ModelConfig(imageSize, channels, convChannels, l, hidden, actionDim, frameskip, context,
                centerFrames, coordChannels, residualForward, stemPatch, projector);
    }

    /** The same config with {@code model.imageSize = side}. */
    public ModelConfig withImageSize(int side) {
        return new ModelConfig(side, channels, convChannels, latentDim, hidden, actionDim, frameskip, context,
                centerFrames, coordChannels, residualForward, stemPatch, projector);
    }
}
