package io.smwm.core.plan;

/**
 * One episode's planning problem at one re-planning point.
 *
 * @param z0       the current planning state: z_t = f(o_t) [D], or for a model with context c the latents
 *                 [z_{t−(c−1)k}, …, z_t] [c·D], oldest first
 * @param goal     the goal latent z_g = f(o_g) [D]
 * @param initMean the sampling mean to start from, normalised [H·A] (a warm start), or null for all zeros
 * @param seed     this solve's seed (derive it per episode and per solve from the run's root seed, so the result
 *                 does not depend on which other episodes share the batch)
 */
public record PlanProblem(float[] z0, float[] goal, float[] initMean, long seed) {
    public PlanProblem {
        if (z0 == null || goal == null || goal.length == 0 || z0.length % goal.length != 0) {
            throw new IllegalArgumentException("z0 must be one or more latents of the goal's length, got "
                    + (z0 == null ? "null" : z0.length) + " and " + (goal == null ? "null" : goal.length));
        }
    }
}
