package io.smwm.core.plan;

import java.util.List;

/**
 * Finds an action sequence whose predicted terminal latent is closest to a goal latent: minimises
 * C(a_{0..H-1}) = ‖ẑ_H − z_g‖² with ẑ_0 = z_t and ẑ_{h+1} = g(ẑ_h, a_h) (the paper's evaluation protocol: terminal cost only, no
 * per-step cost, no action penalty). Actions are searched in normalised model-action space.
 *
 * <p>{@link #plan} solves many episodes at once: the model is called on all episodes' candidates in one batch.
 * The result for an episode depends only on its own problem (latents, warm start, seed), never on the other
 * problems in the batch. Instances keep reusable work buffers and are not thread-safe.
 */
public interface Planner {

    /** The method's name as used in reports ("cem", "mppi"). */
    String name();

    PlannerConfig config();

    /** Solves each problem; the i-th result answers the i-th problem. */
    List<PlanResult> plan(List<PlanProblem> problems);

    /** One problem: {@code plan(List.of(problem)).get(0)}. */
    default PlanResult plan(PlanProblem problem) {
        return plan(List.of(problem)).get(0);
    }
}
