package io.smwm.core.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * The one definition of the SMWM objective, used by training and validation alike:
 * <pre>
 *   L_fwd = mean((g(z_t, a_t) - z_{t+k})²)        per-element mean over [B, latentDim]
 *   L_inv = mean((h(z_t, z_{t+k}) - a_t)²)        per-element mean over [B, k·m]
 *   L     = L_fwd + λ · L_inv
 * </pre>
 * The target z_{t+k} is NOT detached (no stop-gradient): the encoder receives gradients from both the prediction
 * and the target side of L_fwd, and from both inputs of h. No EMA, no regulariser.
 *
 * <p>The terms are SameDiff variables named {@link LossTerms#FWD}, {@link LossTerms#INV}, {@link LossTerms#TOTAL}.
 */
public final class WorldModelLoss {

    /** The names of the loss variables, in {@link LossTerms} order. */
    public static final List<String> NAMES = List.of(LossTerms.FWD, LossTerms.INV, LossTerms.TOTAL);

    private WorldModelLoss() {}

    /**
     * Adds the loss terms to {@code sd}.
     *
     * @param zPred  ẑ_{t+k} = g(z_t, a_t), [B, latentDim]
     * @param zTk    z_{t+k} = f(o_{t+k}), [B, latentDim] (not detached)
     * @param aHat   â_t = h(z_t, z_{t+k}), [B, k·m]
     * @param action a_t, normalised, [B, k·m]
     * @param lambda λ ≥ 0
     * @return the total loss variable
     */
    public static SDVariable define(SameDiff sd, SDVariable zPred, SDVariable zTk, SDVariable aHat,
                                    SDVariable action, double lambda) {
        SDVariable fwd = sd.math().square(zPred.sub(zTk)).mean(LossTerms.FWD);
        SDVariable inv = sd.math().square(aHat.sub(action)).mean(LossTerms.INV);
        return fwd.add(LossTerms.TOTAL, inv.mul(lambda));
    }

    /** Reads the terms from a SameDiff output map holding {@link #NAMES}. */
    public static LossTerms read(Map<String, INDArray> outputs) {
        return new LossTerms(outputs.get(LossTerms.FWD).getDouble(0), outputs.get(LossTerms.INV).getDouble(0),
                outputs.get(LossTerms.TOTAL).getDouble(0));
    }
}
