package io.smwm.core.testing;

import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Numerical gradients for gradient checks in tests. */
public final class FiniteDifference {
    private FiniteDifference() {}

    /**
     * The central difference (L(w + ε·e_i) − L(w − ε·e_i)) / 2ε of {@code loss} with respect to entry {@code idx}
     * (flat, C order) of the live array {@code w}, which is restored afterwards.
     */
    public static double central(INDArray w, long idx, double eps, DoubleSupplier loss) {
        INDArray flat = w.reshape(w.length()).dup();
        double orig = flat.getDouble(idx);
        try {
            flat.putScalar(idx, orig + eps);
            w.assign(flat.reshape(w.shape()));
            double plus = loss.getAsDouble();
            flat.putScalar(idx, orig - eps);
            w.assign(flat.reshape(w.shape()));
            double minus = loss.getAsDouble();
            return (plus - minus) / (2 * eps);
        } finally {
            flat.putScalar(idx, orig);
            w.assign(flat.reshape(w.shape()));
        }
    }
}
