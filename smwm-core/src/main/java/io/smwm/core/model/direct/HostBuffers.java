package io.smwm.core.model.direct;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * Copies between Java heap arrays and whole off-heap ND4J arrays (bulk, through the array's NIO view), and writes
 * of small vectors into the flat gradient vector at a given offset.
 */
final class HostBuffers {
    private final FloatBuffer grads;

    /** @param flatGrads the whole flat gradient vector [numParams] */
    HostBuffers(INDArray flatGrads) {
        this.grads = floats(flatGrads);
    }

    /** grads[offset + j] = Σ_r d[r·cols + j] for j < cols (added to what is there when {@code accumulate}). */
    void putColumnSums(float[] d, int rows, int cols, int offset, boolean accumulate) {
        float[] s = new float[cols];
        if (accumulate) grads.get(offset, s, 0, cols);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) s[j] += d[base + j];
        }
        grads.put(offset, s, 0, cols);
    }

    /** Copies the first len floats of a heap array into a whole (non-view) off-heap array. */
    static void put(float[] src, int len, INDArray dst) {
        floats(dst).put(0, src, 0, len);
    }

    /** Copies a whole (non-view) off-heap array into the start of a heap array. */
    static void get(INDArray src, float[] dst) {
        floats(src).get(0, dst, 0, (int) src.length());
    }

    static FloatBuffer floats(INDArray a) {
        if (a.offset() != 0 || a.ordering() != 'c' || a.dataType() != DataType.FLOAT || a.isView())
            throw new IllegalStateException("expected a whole C-order float array");
        return a.data().asNioFloat();
    }
}
