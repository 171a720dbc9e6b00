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
 */
public record PlanConfig(boolean clipSamples) {

    public static final PlanConfig DEFAULT = new PlanConfig(false);
}
