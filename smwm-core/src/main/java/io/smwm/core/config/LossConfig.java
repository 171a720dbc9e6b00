package io.smwm.core.config;

import java.util.List;

/**
 * The training objective: which method's loss, and its weights. Every method trains the same model (f, g, h) on
 * the same transitions and reports the same terms L_fwd and L_inv; they differ in what else L holds:
 * <pre>
 *   smwm        L = L_fwd + λ·L_inv                                  (the paper's method, the default)
 *   forward     L = L_fwd                                            (λ = 0: the forward-only baseline, collapses)
 *   sigreg      L = L_fwd + w·SIGReg(z)                              (LeWorldModel's objective; no inverse term)
 *   vicreg-idm  L = L_fwd + λ·L_inv + α·L_var(z_t) + β·L_cov(z_t)    (PLDM-style VICReg terms plus inverse dynamics)
 * </pre>
 * {@code forward} is an alias for λ = 0, and {@code sigreg} has no inverse term: with either, {@code lambda} is
 * recorded as 0 whatever was given (the inverse model is still trained by nothing and L_inv is still reported).
 * The terms are defined once, in {@code io.smwm.core.loss}.
 *
 * @param lambda            weight λ of the inverse-dynamics term ({@code smwm}, {@code vicreg-idm}); default 10 (the
 *                          toy setting); 0 with {@code forward} and {@code sigreg}
 * @param method            {@link #METHODS}; null means {@link #METHOD_SMWM}
 * @param sigregWeight      w, the weight of SIGReg ({@code sigreg}); default 0.09 (LeWorldModel's)
 * @param sigregProjections M, random unit directions drawn anew every step ({@code sigreg}); default 1024
 * @param sigregKnots       quadrature knots on [0, 3] for the Epps–Pulley integral ({@code sigreg}); default 17
 * @param vicregVar         α, the weight of the variance hinge ({@code vicreg-idm}); default 1
 * @param vicregCov         β, the weight of the covariance term ({@code vicreg-idm}); default 0.04
 * @param rolloutSteps      H &ge; 1: with H &gt; 1, L gains w·L_roll, the error of g's own open-loop predictions over
 *                          runs of up to H consecutive model steps in the batch (ẑ_{t+1} = g(s_t, a_t), then g fed its
 *                          own predictions: ẑ_{t+j} = g(ŝ_{t+j−1}, a_{t+j−1}); L_roll = the per-element mean of
 *                          (ẑ_{t+j} − z_{t+j})² over j = 2..H, targets not detached), what the planner asks of g.
 *                          Needs batches of runs ({@code train.chunk} &ge; H) and the direct engine. Default 1: the
 *                          paper's one-step loss, no such term
 * @param rolloutWeight     w &ge; 0, the weight of L_roll; default 1
 * @param rolloutFromEpoch  E &ge; 1: L_roll enters L (and the gradient) from epoch E on; before, it is only measured
 *                          and reported. Default 1. The term favours a constant latent as L_fwd does, so a run whose
 *                          latent starts collapsed (the inverse term pulls it out during the first epoch) may need
 *                          it switched on later
 */
public record LossConfig(double lambda, String method, double sigregWeight, int sigregProjections, int sigregKnots,
                         double vicregVar, double vicregCov, int rolloutSteps, double rolloutWeight,
                         int rolloutFromEpoch) {

    /** The {@code loss.method} values. */
    public static final String METHOD_SMWM = "smwm", METHOD_FORWARD = "forward", METHOD_SIGREG = "sigreg",
            METHOD_VICREG_IDM = "vicreg-idm";
    public static final List<String> METHODS = List.of(METHOD_SMWM, METHOD_FORWARD, METHOD_SIGREG, METHOD_VICREG_IDM);
    /** Upper bounds of {@code sigregProjections} and {@code sigregKnots}. */
    public static final int MAX_PROJECTIONS = 65_536, MAX_KNOTS = 1025;
    /** Upper bound of {@code rolloutSteps}. */
    public static final int MAX_ROLLOUT = 64;

    public static final LossConfig DEFAULT = new LossConfig(10.0);

    public LossConfig {
        Checks.finiteAtLeast("loss.lambda", lambda, 0.0);
        if (method == null) method = METHOD_SMWM;
        if (!METHODS.contains(method))
            throw new IllegalArgumentException("loss.method must be one of " + METHODS + ", got " + method);
        Checks.finiteAtLeast("loss.sigregWeight", sigregWeight, 0.0);
        Checks.inRange("loss.sigregProjections", sigregProjections, 1, MAX_PROJECTIONS);
        Checks.inRange("loss.sigregKnots", sigregKnots, 2, MAX_KNOTS);
        Checks.finiteAtLeast("loss.vicregVar", vicregVar, 0.0);
        Checks.finiteAtLeast("loss.vicregCov", vicregCov, 0.0);
        Checks.inRange("loss.rolloutSteps", rolloutSteps, 1, MAX_ROLLOUT);
        Checks.finiteAtLeast("loss.rolloutWeight", rolloutWeight, 0.0);
        Checks.atLeast("loss.rolloutFromEpoch", rolloutFromEpoch, 1);
        if (!hasInverseTerm(method)) lambda = 0.0;
    }

    /** The {@code smwm} objective with weight λ, every other setting at its default. */
    public LossConfig(double lambda) {
        this(lambda, METHOD_SMWM, 0.09, 1024, 17, 1.0, 0.04);
    }

    /** A method's objective with its weights and the paper's one-step loss (no rollout term). */
    public LossConfig(double lambda, String method, double sigregWeight, int sigregProjections, int sigregKnots,
                      double vicregVar, double vicregCov) {
        this(lambda, method, sigregWeight, sigregProjections, sigregKnots, vicregVar, vicregCov, 1, 1.0, 1);
    }

    /** Whether L has the rollout term w·L_roll ({@code rolloutSteps} &gt; 1). */
    public boolean rollout() { return rolloutSteps > 1; }

    /** The weight of L_roll in L during epoch {@code epoch} (1-based): 0 before {@code rolloutFromEpoch}. */
    public double rolloutWeightAt(int epoch) {
        return rollout() && epoch >= rolloutFromEpoch ? rolloutWeight : 0.0;
    }

    /** Whether {@code method}'s L has the inverse term λ·L_inv ({@code smwm}, {@code vicreg-idm}). */
    public static boolean hasInverseTerm(String method) {
        return METHOD_SMWM.equals(method) || METHOD_VICREG_IDM.equals(method);
    }

    /** Whether L has the SIGReg term (method {@code sigreg}). */
    public boolean sigreg() { return METHOD_SIGREG.equals(method); }

    /** Whether L has the VICReg variance and covariance terms (method {@code vicreg-idm}). */
    public boolean vicreg() { return METHOD_VICREG_IDM.equals(method); }

    public LossConfig withLambda(double l) {
        return new LossConfig(l, method, sigregWeight, sigregProjections, sigregKnots, vicregVar, vicregCov,
                rolloutSteps, rolloutWeight, rolloutFromEpoch);
    }

    public LossConfig withMethod(String m) {
        return new LossConfig(lambda, m, sigregWeight, sigregProjections, sigregKnots, vicregVar, vicregCov,
                rolloutSteps, rolloutWeight, rolloutFromEpoch);
    }

    public LossConfig withRollout(int steps, double weight) {
        return new LossConfig(lambda, method, sigregWeight, sigregProjections, sigregKnots, vicregVar, vicregCov, steps,
                weight, rolloutFromEpoch);
    }

    public LossConfig withRolloutFromEpoch(int epoch) {
        return new LossConfig(lambda, method, sigregWeight, sigregProjections, sigregKnots, vicregVar, vicregCov,
                rolloutSteps, rolloutWeight, epoch);
    }
}
