/**
 * The one definition of the training objective (per-element means, the target latent not detached) and its per-term
 * values: the SMWM objective L = L_fwd + λ·L_inv and the baselines' ({@code loss.method}: forward-only, SIGReg as
 * LeWorldModel trains it, VICReg variance/covariance terms with inverse dynamics as PLDM does), in the SameDiff
 * graph ({@link io.smwm.core.loss.WorldModelLoss}) and on host arrays for the direct engine
 * ({@link io.smwm.core.loss.SigReg}, {@link io.smwm.core.loss.VicReg}).
 */
package io.smwm.core.loss;
