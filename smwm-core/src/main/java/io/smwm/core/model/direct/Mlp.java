package io.smwm.core.model.direct;

import org.nd4j.linalg.api.ndarray.INDArray;

import static io.smwm.core.model.direct.DirectEncoder.mask;
import static io.smwm.core.model.direct.DirectEncoder.relu;
import static io.smwm.core.model.direct.HostBuffers.get;
import static io.smwm.core.model.direct.HostBuffers.put;

/**
 * One 3-layer MLP of the world model (g or h: Linear-ReLU-Linear-ReLU-Linear, tanh on g's output) for a batch of
 * {@code rows}, in the direct engine: off-heap buffers for the matrix products (input [rows, in], hidden
 * activations [rows, hidden], output [rows, out] and their gradients) and heap copies for the element-wise work.
 * The caller fills {@link #inHost}, calls {@link #forward}, fills {@link #dOutHost} and calls {@link #backward}.
 */
final class Mlp {
    final Dense[] layers;
    final int rows;
    final INDArray in, h1, h2, out, dOut, d2, d1, dIn;
    final float[] inHost, h1Host, h2Host, outHost, dOutHost, d2Host, d1Host, dInHost;

    Mlp(Dense[] layers, int rows) {
        this.layers = layers;
        this.rows = rows;
        int din = layers[0].in, hid = layers[0].out, hid2 = layers[1].out, dout = layers[2].out;
        in = Dense.buffer(rows, din);
        h1 = Dense.buffer(rows, hid);
        h2 = Dense.buffer(rows, hid2);
        out = Dense.buffer(rows, dout);
        dOut = Dense.buffer(rows, dout);
        d2 = Dense.buffer(rows, hid2);
        d1 = Dense.buffer(rows, hid);
        dIn = Dense.buffer(rows, din);
        inHost = new float[rows * din];
        h1Host = new float[rows * hid];
        h2Host = new float[rows * hid2];
        outHost = new float[rows * dout];
        dOutHost = new float[rows * dout];
        d2Host = new float[rows * hid2];
        d1Host = new float[rows * hid];
        dInHost = new float[rows * din];
    }

    /** out = L2(relu(L1(relu(L0(in))))), tanh on the output if asked; inHost must hold the input. */
    float[] forward(boolean tanh) {
        put(inHost, inHost.length, in);
        layers[0].forward(in, h1);
        reluOffHeap(h1, h1Host);
        layers[1].forward(h1, h2);
        reluOffHeap(h2, h2Host);
        layers[2].forward(h2, out);
        get(out, outHost);
        if (tanh) for (int i = 0; i < outHost.length; i++) outHost[i] = (float) Math.tanh(outHost[i]);
        return outHost;
    }

    /** Parameter gradients from dOutHost (the gradient at the last layer's output, before any tanh); returns dIn. */
    float[] backward() {
        return backward(false);
    }

    /**
     * As {@link #backward()}; with {@code accumulate} the parameter gradients are added to those already in the
     * gradient vector (the same layers used by another Mlp of the pass before), else they replace them.
     */
    float[] backward(boolean accumulate) {
        put(dOutHost, dOutHost.length, dOut);
        layers[2].backward(h2, dOut, dOutHost, rows, d2, accumulate);
        maskFromDevice(d2, d2Host, h2Host);
        layers[1].backward(h1, d2, d2Host, rows, d1, accumulate);
        maskFromDevice(d1, d1Host, h1Host);
        layers[0].backward(in, d1, d1Host, rows, dIn, accumulate);
        get(dIn, dInHost);
        return dInHost;
    }

    private static void reluOffHeap(INDArray a, float[] host) {
        get(a, host);
        relu(host, host.length);
        put(host, host.length, a);
    }

    private static void maskFromDevice(INDArray d, float[] dHost, float[] activated) {
        get(d, dHost);
        mask(dHost, activated, dHost.length);
        put(dHost, dHost.length, d);
    }

    void close() {
        for (INDArray arr : new INDArray[] {in, h1, h2, out, dOut, d2, d1, dIn}) arr.close();
    }
}
