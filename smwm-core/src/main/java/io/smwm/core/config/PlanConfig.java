package io.smwm.core.config;

/**
 * How this run's model is planned with when it is evaluated, unless the evaluation says otherwise: the defaults a
 * task's config carries for {@code smwm evaluate} and {@code smwm quickstart} (their flags override them). The
 * planner's protocol settings (samples, iterations, horizon) are not here: they are the paper's for every task.
 *
 * @param clipSamples project every CEM candidate into the env's action box before the model rates it (MPPI clips
 *                    whatever this says). Default false: the paper's CEM hands the model unclipped candidates.
 *                    Worth it where the training data never leave the box and the model's extrapolation beyond it
 *                    promises moves the env cannot make (Reacher: the env clips torques to ±1).
 * @param costWhitening the planning cost's metric (see {@link io.smwm.core.plan.PlannerConfig#costWhitening}): 0
 *                    (default) the paper's squared L2 distance in the latent; a floor in (0, 1]: the distance after a
 *                    whitening of the latent fitted to the table's training frames. Worth it where the latent holds
 *                    what the goal needs along small directions (Cube: the gripper's position takes most of the
 *                    latent's variance, the cube's own displacement little).
 * @param inverseWeight β of the planning cost's inverse-model penalty (see
 *                    {@link io.smwm.core.plan.PlannerConfig#inverseWeight}): 0 (default) the paper's cost; β &gt; 0 adds
 *                    β times the mean squared residual of the model's own inverse model along each candidate's
 *                    rollout, against plans on which the forward model is wrong (Cube: CEM's action sequences lie
 *                    where g was not trained, and g promises more than they do).
 */
public record PlanConfig(boolean clipSamples, double costWhitening, double inverseWeight) {

    public static final PlanConfig DEFAULT = new PlanConfig(false, 0.0, 0.0);

    public PlanConfig {
        if (!(costWhitening >= 0 && costWhitening <= 1)) {
            throw new IllegalArgumentException("plan.costWhitening must be 0 (off) or a floor in (0, 1], got "
                    + costWhitening);
        }
        if (!(inverseWeight >= 0) || Double.isInfinite(inverseWeight)) {
            throw new IllegalArgumentException("plan.inverseWeight must be finite and >= 0, got " + inverseWeight);
        }
    }
}
