package io.smwm.core.loss;

import io.smwm.core.config.LossConfig;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one definition of the training objective, used by training and validation alike (the direct engine computes
 * the same function, {@code io.smwm.core.model.direct.DirectWorldModel}):
 * <pre>
 *   L_fwd = mean((g(s_t, a_t) - z_{t+k})²)        per-element mean over [B, latentDim]
 *   L_inv = mean((h(s_t, z_{t+k}) - a_t)²)        per-element mean over [B, k·m]
 *   smwm, forward:  L = L_fwd + λ·L_inv            (forward: λ = 0)
 *   sigreg:         L = L_fwd + w·SIGReg           SIGReg over every encoded frame of the transition ({@link SigReg})
 *   vicreg-idm:     L = L_fwd + λ·L_inv + α·L_var(z_t) + β·L_cov(z_t)                         ({@link VicReg})
 * </pre>
 * The target z_{t+k} is NOT detached (no stop-gradient): the encoder receives gradients from both the prediction
 * and the target side of L_fwd, and from both inputs of h. No EMA.
 *
 * <p>SIGReg's slices are the c + 1 frames of a transition (the c = {@code model.context} frames of o_t, then
 * o_{t+k}), each a batch of B latents, as LeWorldModel regularises every encoded frame of its sequences; its random
 * directions come in through the placeholder {@link #SIGREG_PROJECTIONS} [latentDim, M], drawn by the trainer from a
 * seeded generator every step ({@link SigReg#projections}) so that both engines use the same ones. VICReg's terms
 * are on z_t, the newest latent of s_t (PLDM regularises its first, the current, frame's encoding).
 *
 * <p>The terms are SameDiff variables named {@link LossTerms#FWD}, {@link LossTerms#INV}, the method's extra terms
 * ({@link LossTerms#SIGREG}, {@link LossTerms#VAR}, {@link LossTerms#COV}) and {@link LossTerms#TOTAL}.
 */
public final class WorldModelLoss {

    /** The names of the loss variables every method has, in {@link LossTerms} order. */
    public static final List<String> NAMES = List.of(LossTerms.FWD, LossTerms.INV, LossTerms.TOTAL);
    /** Placeholder of SIGReg's directions A [latentDim, M] (float, unit columns); only with method {@code sigreg}. */
    public static final String SIGREG_PROJECTIONS = "sigreg_projections";

    private WorldModelLoss() {}

    /** The loss variables of {@code loss}'s method, in {@link LossTerms#asMap()} order. */
    public static List<String> names(LossConfig loss) {
        List<String> n = new ArrayList<>(List.of(LossTerms.FWD, LossTerms.INV));
        if (loss.sigreg()) n.add(LossTerms.SIGREG);
        if (loss.vicreg()) {
            n.add(LossTerms.VAR);
            n.add(LossTerms.COV);
        }
        if (loss.rollout()) n.add(LossTerms.ROLL); // the direct engine's only: configs with it need that engine
        n.add(LossTerms.TOTAL);
        return List.copyOf(n);
    }

    /**
     * Adds the {@code smwm} loss terms L_fwd + λ·L_inv to {@code sd}.
     *
     * @param zPred  ẑ_{t+k} = g(s_t, a_t), [B, latentDim]
     * @param zTk    z_{t+k} = f(o_{t+k}), [B, latentDim] (not detached)
     * @param aHat   â_t = h(s_t, z_{t+k}), [B, k·m]
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

    /**
     * Adds the terms of {@code loss}'s method to {@code sd}; {@code smwm} and {@code forward} are exactly
     * {@link #define(SameDiff, SDVariable, SDVariable, SDVariable, SDVariable, double)}. With {@code sigreg} this
     * also adds the placeholder {@link #SIGREG_PROJECTIONS}.
     *
     * @param sT      s_t, the latents of o_t's c context frames, oldest first, [B, c·latentDim] (z_t is the last
     *                block)
     * @param zPred   ẑ_{t+k} [B, latentDim]
     * @param zTk     z_{t+k} [B, latentDim] (not detached)
     * @param aHat    â_t [B, k·m]
     * @param action  a_t, normalised, [B, k·m]
     * @param context c ≥ 1
     * @return the total loss variable
     */
    public static SDVariable define(SameDiff sd, SDVariable sT, SDVariable zPred, SDVariable zTk, SDVariable aHat,
                                    SDVariable action, int context, int latentDim, LossConfig loss) {
        if (!loss.sigreg() && !loss.vicreg()) return define(sd, zPred, zTk, aHat, action, loss.lambda());
        SDVariable fwd = sd.math().square(zPred.sub(zTk)).mean(LossTerms.FWD);
        SDVariable inv = sd.math().square(aHat.sub(action)).mean(LossTerms.INV);
        SDVariable total = fwd;
        if (loss.lambda() != 0) total = total.add(inv.mul(loss.lambda()));
        if (loss.sigreg()) {
            SDVariable frames = sd.concat(1, sT, zTk); // [B, (c+1)·l]: the c frames of o_t, then o_{t+k}
            SDVariable sig = sigreg(sd, frames, context + 1, latentDim, loss.sigregProjections(), loss.sigregKnots());
            return total.add(LossTerms.TOTAL, sig.mul(loss.sigregWeight()));
        }
        long l = latentDim, sdim = (long) context * l;
        SDVariable zT = context == 1 ? sT : sT.get(SDIndex.all(), SDIndex.interval(sdim - l, sdim));
        SDVariable[] vc = vicreg(sd, zT, latentDim);
        return total.add(vc[0].mul(loss.vicregVar())).add(LossTerms.TOTAL, vc[1].mul(loss.vicregCov()));
    }

    /**
     * SIGReg ({@link SigReg}) of {@code frames} [B, S·l] (slice s = columns s·l .. s·l + l − 1), named
     * {@link LossTerms#SIGREG}, with the directions of the placeholder {@link #SIGREG_PROJECTIONS} [l, M].
     */
    private static SDVariable sigreg(SameDiff sd, SDVariable frames, int slices, int l, int m, int k) {
        SDVariable a = sd.placeHolder(SIGREG_PROJECTIONS, DataType.FLOAT, l, m);
        SDVariable x = sd.mmul(sd.reshape(frames, -1, l), a); // [B·S, M], row b·S + s
        double[] t = SigReg.knots(k), p = SigReg.phi(k), w = SigReg.weights(k);
        SDVariable tRow = sd.constant(Nd4j.create(toFloat(t), new long[]{1, k}, 'c'));
        SDVariable xt = sd.mmul(sd.reshape(x, -1, 1), tRow); // [B·S·M, K]: x·t_j
        SDVariable perSample = sd.reshape(xt, -1, (long) slices * m * k); // [B, S·M·K]
        SDVariable cm = sd.reshape(sd.math().cos(perSample).mean(0), (long) slices * m, k); // [S·M, K]
        SDVariable sm = sd.reshape(sd.math().sin(perSample).mean(0), (long) slices * m, k);
        SDVariable phiRow = sd.constant(Nd4j.create(toFloat(p), new long[]{1, k}, 'c'));
        SDVariable err = sd.math().square(cm.sub(phiRow)).add(sd.math().square(sm)); // [S·M, K]
        SDVariable wCol = sd.constant(Nd4j.create(toFloat(w), new long[]{k, 1}, 'c'));
        SDVariable n = sd.sizeAt(frames, 0).castTo(DataType.FLOAT);
        return sd.mmul(err, wCol).mean().mul(LossTerms.SIGREG, n); // mean over S·M of N·Σ_j ω_j e_j
    }

    /** L_var and L_cov ({@link VicReg}) of z [B, l], named {@link LossTerms#VAR} and {@link LossTerms#COV}. */
    private static SDVariable[] vicreg(SameDiff sd, SDVariable z, int l) {
        SDVariable zc = z.sub(z.mean(true, 0)); // [B, l]
        SDVariable denom = sd.math().max(sd.sizeAt(z, 0).castTo(DataType.FLOAT).sub(1.0), sd.constant(1f));
        SDVariable cov = sd.mmul(zc, zc, true, false, false).div(denom); // [l, l]
        float[] eye = new float[l * l];
        for (int i = 0; i < l; i++) eye[i * l + i] = 1f;
        SDVariable variance = cov.mul(sd.constant(Nd4j.create(eye, new long[]{l, l}, 'c'))).sum(0); // the diagonal [l]
        SDVariable std = sd.math().sqrt(variance.add(VicReg.EPS));
        SDVariable var = sd.nn().relu(std.rsub(VicReg.GAMMA), 0.0).mean(LossTerms.VAR);
        float[] off = new float[l * l];
        java.util.Arrays.fill(off, 1f);
        for (int i = 0; i < l; i++) off[i * l + i] = 0f;
        SDVariable offDiag = cov.mul(sd.constant(Nd4j.create(off, new long[]{l, l}, 'c')));
        SDVariable covTerm = sd.math().square(offDiag).sum().div(LossTerms.COV, l);
        return new SDVariable[]{var, covTerm};
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /** Reads the terms from a SameDiff output map holding {@link #NAMES} and any of {@link LossTerms#EXTRA}. */
    public static LossTerms read(Map<String, INDArray> outputs) {
        Map<String, Double> extra = new java.util.LinkedHashMap<>();
        for (String k : LossTerms.EXTRA) if (outputs.containsKey(k)) extra.put(k, outputs.get(k).getDouble(0));
        return new LossTerms(outputs.get(LossTerms.FWD).getDouble(0), outputs.get(LossTerms.INV).getDouble(0),
                outputs.get(LossTerms.TOTAL).getDouble(0), extra);
    }
}
