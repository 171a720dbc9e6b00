package io.smwm.core.config;

/**
 * The training objective L = L_fwd + λ·L_inv. λ = 0 is the forward-only baseline (collapses).
 *
 * @param lambda weight λ of the inverse-dynamics term; default 10 (the toy setting)
 */
public record LossConfig(double lambda) {

    public static final LossConfig DEFAULT = new LossConfig(10.0);

    public LossConfig {
        Checks.finiteAtLeast("loss.lambda", lambda, 0.0);
    }
}
