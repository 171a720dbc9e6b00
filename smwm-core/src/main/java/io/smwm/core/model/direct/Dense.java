package io.smwm.core.model.direct;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.XwPlusB;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One linear layer y = x·W + b of the direct engine, on views into the flat parameter and gradient vectors:
 * W [in, out], b [out]. The forward pass is ND4J's {@code xw_plus_b}; the backward pass writes dW = xᵀ·dy with one
 * matrix product straight into the gradient vector, db = the column sums of dy (computed on the heap copy the
 * caller already has) and, if asked, dx = dy·Wᵀ.
 */
final class Dense {
    final int in, out;
    private final INDArray w, b, gw;
    private final int biasOffset;
    private final HostBuffers host;

    Dense(INDArray w, INDArray b, INDArray gw, int biasOffset, HostBuffers host) {
        this.w = w;
        this.b = b;
        this.gw = gw;
        this.biasOffset = biasOffset;
        this.host = host;
        this.in = (int) w.size(0);
        this.out = (int) w.size(1);
    }

    /** y [rows, out] = x [rows, in]·W + b, into the caller's buffer. */
    void forward(INDArray x, INDArray y) {
        Nd4j.exec(new XwPlusB(new INDArray[] {x, w, b}, y));
    }

    /**
     * Gradients of W and b from the layer input x [rows, in] and the output gradient dy [rows, out] (off-heap, and
     * the same values on the heap as {@code dyHost}); dx [rows, in] = dy·Wᵀ into {@code dx} unless it is null. With
     * {@code accumulate} the parameter gradients are added to those already there (a layer used more than once in a
     * pass), else they replace them.
     */
    void backward(INDArray x, INDArray dy, float[] dyHost, int rows, INDArray dx, boolean accumulate) {
        Nd4j.gemm(x, dy, gw, true, false, 1.0, accumulate ? 1.0 : 0.0);
        host.putColumnSums(dyHost, rows, out, biasOffset, accumulate);
        if (dx != null) Nd4j.gemm(dy, w, dx, false, true, 1.0, 0.0);
    }

    static INDArray buffer(int rows, int cols) {
        return Nd4j.create(DataType.FLOAT, rows, cols);
    }
}
