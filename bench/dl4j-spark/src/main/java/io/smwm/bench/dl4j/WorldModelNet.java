package io.smwm.bench.dl4j;

import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The SMWM toy world model (the paper's architecture, SMWM's {@code WorldModelGraph} with {@code model.context = 1})
 * as one DL4J {@link ComputationGraph} whose score is SMWM's loss L = L_fwd + λ·L_inv:
 * <pre>
 *   obs_t, obs_tk [B,C,S,S] uint8 ─ StackVertex ─▶ [2B,C,S,S] ─ /255 (UnitScaleFrames) ─▶ f ─▶ [2B, l]
 *   f = enc_conv0..N: Conv(k3,s2,p1)-ReLU · enc_pool: MaxPool(2) · enc_fc: Dense(flat→l)-tanh   (ONE set of weights)
 *   z_t = Unstack(0,2), z_tk = Unstack(1,2)
 *   g: Merge(z_t, action) ─ fwd_fc0 (ReLU) ─ fwd_fc1 (ReLU) ─ fwd_fc2 (tanh) = ẑ_{t+k}
 *      fwd_err = ẑ_{t+k} − z_tk  ─ loss_fwd: LossLayer(MSE, identity), labels all zero
 *   h: Merge(z_t, z_tk) ─ inv_fc0 (ReLU) ─ inv_fc1 (ReLU) ─ inv_fc2: OutputLayer(MSE with weights λ, identity) = â_t
 * </pre>
 * DL4J's score for a minibatch of B is Σ over output layers of LossFn.computeScore(average=false)/B, and LossMSE's
 * per-example score is Σ_j w_j·(ŷ_j − y_j)² / nOut. So loss_fwd scores Σ_b Σ_j d_bj² / (l·B) = mean over [B, l] = SMWM's
 * L_fwd, inv_fc2 scores λ·Σ_b Σ_j (â−a)² / (k·m·B) = λ·L_inv, and the network's score is L_fwd + λ·L_inv. The gradient
 * is that of the same mean (DL4J divides the summed gradient by the minibatch size B = labels[0].size(0)). z_tk is not
 * detached: the Subtract vertex sends −ε into the encoder's second half, and the encoder's gradient sums over both
 * halves of the stack and over every consumer of z_t and z_tk (g, h, fwd_err).
 */
final class WorldModelNet {
    static final String OBS_T = "obs_t", OBS_TK = "obs_tk", ACTION = "action";
    static final String LOSS_FWD = "loss_fwd", A_HAT = "inv_fc2";

    /** Sizes of the model (SMWM's ModelConfig defaults with context 1: 64x64x3, convs 32/64/128, l 64, hidden 256). */
    record Dims(int side, int channels, List<Integer> conv, int latent, int hidden, int actionDim, int frameskip) {
        int modelActionDim() { return actionDim * frameskip; }

        int pooledSide() {
            int s = side;
            for (int i = 0; i < conv.size(); i++) s = (s + 1) / 2; // k3 s2 p1: ceil(s/2)
            return s / 2;
        }

        int flat() { return conv.get(conv.size() - 1) * pooledSide() * pooledSide(); }

        long parameterCount() {
            long n = 0, in = channels;
            for (int c : conv) {
                n += 9L * in * c + c;
                in = c;
            }
            int a = modelActionDim();
            return n + dense(flat(), latent) + dense(latent + a, hidden) + dense(hidden, hidden) + dense(hidden, latent)
                    + dense(2L * latent, hidden) + dense(hidden, hidden) + dense(hidden, a);
        }

        private static long dense(long in, long out) { return in * out + out; }
    }

    private WorldModelNet() {}

    static ComputationGraphConfiguration configuration(Dims d, double lambda, double lr, double beta1, double beta2,
                                                       double epsilon) {
        int a = d.modelActionDim();
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(new Adam(lr, beta1, beta2, epsilon))
                .weightInit(WeightInit.UNIFORM) // replaced by initialiseLikeSmwm
                .convolutionMode(ConvolutionMode.Truncate) // out = floor((in + 2p − k)/s) + 1, as SMWM's VALID + explicit p1
                .graphBuilder()
                .addInputs(OBS_T, OBS_TK, ACTION)
                .setInputTypes(InputType.convolutional(d.side(), d.side(), d.channels()),
                        InputType.convolutional(d.side(), d.side(), d.channels()), InputType.feedForward(a));
        g.addVertex("frames", new StackVertex(), OBS_T, OBS_TK);
        String prev = "frames";
        for (int i = 0; i < d.conv().size(); i++) {
            ConvolutionLayer conv = new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1)
                    .nOut(d.conv().get(i)).activation(Activation.RELU).build();
            String name = "enc_conv" + i;
            if (i == 0) g.addLayer(name, conv, new UnitScaleFrames(), prev);
            else g.addLayer(name, conv, prev);
            prev = name;
        }
        g.addLayer("enc_pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), prev);
        g.addLayer("enc_fc", new DenseLayer.Builder().nOut(d.latent()).activation(Activation.TANH).build(), "enc_pool");
        g.addVertex("z_t", new UnstackVertex(0, 2), "enc_fc");
        g.addVertex("z_tk", new UnstackVertex(1, 2), "enc_fc");

        g.addVertex("fwd_in", new MergeVertex(), "z_t", ACTION);
        g.addLayer("fwd_fc0", new DenseLayer.Builder().nOut(d.hidden()).activation(Activation.RELU).build(), "fwd_in");
        g.addLayer("fwd_fc1", new DenseLayer.Builder().nOut(d.hidden()).activation(Activation.RELU).build(), "fwd_fc0");
        g.addLayer("fwd_fc2", new DenseLayer.Builder().nOut(d.latent()).activation(Activation.TANH).build(), "fwd_fc1");
        g.addVertex("fwd_err", new ElementWiseVertex(ElementWiseVertex.Op.Subtract), "fwd_fc2", "z_tk");
        g.addLayer(LOSS_FWD, new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "fwd_err");

        g.addVertex("inv_in", new MergeVertex(), "z_t", "z_tk");
        g.addLayer("inv_fc0", new DenseLayer.Builder().nOut(d.hidden()).activation(Activation.RELU).build(), "inv_in");
        g.addLayer("inv_fc1", new DenseLayer.Builder().nOut(d.hidden()).activation(Activation.RELU).build(), "inv_fc0");
        INDArray weights = Nd4j.valueArrayOf(new long[]{1, a}, (float) lambda).castTo(DataType.FLOAT);
        g.addLayer(A_HAT, new OutputLayer.Builder(new LossMSE(weights)).nOut(a).activation(Activation.IDENTITY).build(),
                "inv_fc1");
        g.setOutputs(LOSS_FWD, A_HAT);
        return g.build();
    }

    /**
     * Overwrites every parameter with SMWM's initial value for the same seed: WorldModelGraph draws, in its parameter
     * order (enc_conv0_W, enc_conv0_b, …, enc_fc, fwd_fc0..2, inv_fc0..2, each W then b), U(±1/√fan_in) from one
     * SplittableRandom, conv weights laid out [kH, kW, in, out] (YXIO) and dense weights [in, out]. DL4J keeps conv
     * weights as [out, in, kH, kW] and biases as [1, out]; dense weights are [in, out] in both, and DL4J's
     * CNN→dense flattening is NCHW C-order like SMWM's reshape, so enc_fc's rows mean the same thing.
     */
    static void initialiseLikeSmwm(ComputationGraph net, Dims d, long initSeed) {
        SplittableRandom r = new SplittableRandom(initSeed);
        long in = d.channels();
        for (int i = 0; i < d.conv().size(); i++) {
            int out = d.conv().get(i);
            long fanIn = 9 * in;
            float[] yxio = SmwmConventions.uniform(r, (int) (9 * in * out), fanIn);
            float[] bias = SmwmConventions.uniform(r, out, fanIn);
            float[] oiyx = new float[yxio.length];
            for (int ky = 0; ky < 3; ky++)
                for (int kx = 0; kx < 3; kx++)
                    for (int ci = 0; ci < in; ci++)
                        for (int co = 0; co < out; co++)
                            oiyx[(int) (((co * in + ci) * 3 + ky) * 3 + kx)] = yxio[(int) (((ky * 3 + kx) * in + ci) * out + co)];
            set(net, "enc_conv" + i, "W", oiyx, out, in, 3, 3);
            set(net, "enc_conv" + i, "b", bias, 1, out);
            in = out;
        }
        int a = d.modelActionDim(), l = d.latent(), h = d.hidden();
        dense(net, r, "enc_fc", d.flat(), l);
        dense(net, r, "fwd_fc0", l + a, h);
        dense(net, r, "fwd_fc1", h, h);
        dense(net, r, "fwd_fc2", h, l);
        dense(net, r, "inv_fc0", 2 * l, h);
        dense(net, r, "inv_fc1", h, h);
        dense(net, r, A_HAT, h, a);
    }

    private static void dense(ComputationGraph net, SplittableRandom r, String layer, int in, int out) {
        float[] w = SmwmConventions.uniform(r, in * out, in);
        float[] b = SmwmConventions.uniform(r, out, in);
        set(net, layer, "W", w, in, out);
        set(net, layer, "b", b, 1, out);
    }

    private static void set(ComputationGraph net, String layer, String param, float[] values, long... shape) {
        INDArray target = net.getLayer(layer).getParam(param);
        long[] have = target.shape();
        if (!java.util.Arrays.equals(have, shape))
            throw new IllegalStateException(layer + "_" + param + ": DL4J shape " + java.util.Arrays.toString(have)
                    + ", expected " + java.util.Arrays.toString(shape));
        target.assign(Nd4j.create(values, shape, 'c'));
    }

    /** Sums of squared errors over a batch, for SMWM's per-element means. */
    record LossSums(double fwdSq, long fwdCount, double invSq, long invCount, long examples) {
        static final LossSums ZERO = new LossSums(0, 0, 0, 0, 0);

        LossSums plus(LossSums o) {
            return new LossSums(fwdSq + o.fwdSq, fwdCount + o.fwdCount, invSq + o.invSq, invCount + o.invCount,
                    examples + o.examples);
        }

        double fwd() { return fwdSq / fwdCount; }

        double inv() { return invSq / invCount; }

        double total(double lambda) { return fwd() + lambda * inv(); }
    }

    /**
     * SMWM's loss terms on one batch, from the network's outputs (inference mode): loss_fwd's output is
     * g(z_t, a_t) − z_{t+k}, inv_fc2's is â_t; the labels' second array is the normalised action.
     */
    static LossSums evaluate(ComputationGraph net, MultiDataSet batch) {
        INDArray[] out = net.output(false, batch.getFeatures());
        float[] err = out[0].castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] aHat = out[1].castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] a = batch.getLabels(1).castTo(DataType.FLOAT).dup('c').data().asFloat();
        double fs = 0, is = 0;
        for (float e : err) fs += (double) e * e;
        for (int i = 0; i < aHat.length; i++) {
            double d = (double) aHat[i] - a[i];
            is += d * d;
        }
        return new LossSums(fs, err.length, is, aHat.length, batch.getFeatures(0).size(0));
    }
}
