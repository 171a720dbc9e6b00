package io.smwm.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Adam's optimiser state, laid out like the flat parameter vector: first moment m [N], second moment v [N], and the
 * number of updates applied so far (for bias correction). For parameter averaging, average m and v element-wise
 * across workers like the parameters, and keep {@code step} (equal on all workers after the same local steps; take
 * the max otherwise).
 */
public record AdamState(INDArray m, INDArray v, long step) {

    public AdamState {
        if (m.length() != v.length())
            throw new IllegalArgumentException("m and v must have the same length, got " + m.length() + " and " + v.length());
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
    }

    public static AdamState zeros(long n) {
        return new AdamState(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, n),
                Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, n), 0);
    }

    /** [m; v] as one vector of length 2N (step travels separately). */
    public INDArray flat() {
        return Nd4j.concat(0, m.reshape(m.length()), v.reshape(v.length()));
    }

    /** Inverse of {@link #flat()}. */
    public static AdamState fromFlat(INDArray mv, long step) {
        long n = mv.length() / 2;
        if (mv.length() != 2 * n) throw new IllegalArgumentException("flat Adam state must have even length, got " + mv.length());
        INDArray f = mv.reshape(mv.length());
        return new AdamState(f.get(NDArrayIndex.interval(0, n)).dup(), f.get(NDArrayIndex.interval(n, 2 * n)).dup(), step);
    }

    public AdamState copy() {
        return new AdamState(m.dup(), v.dup(), step);
    }
}
