package io.smwm.core.eval;

/**
 * One evaluation episode's outcome.
 *
 * @param method             controller name
 * @param goalOffset         the pair's goal offset
 * @param budget             env-step budget
 * @param pairId             the pair's id
 * @param success            the success criterion held at some step 0..budget
 * @param successStep        the first env step at which it held, or -1
 * @param stepsExecuted      env steps taken (budget, or fewer when stopped at success)
 * @param finalStateDistance distance to the goal in task-state space at the end (agent position for tasks that
 *                           have one, else the whole task state)
 * @param minStateDistance   the smallest such distance over the episode
 * @param finalLatentDistance ‖z_T − z_g‖ at the end (NaN when latents were not recorded)
 * @param solves             planner calls for this episode (0 for baselines)
 * @param planMs             amortised planning time of each solve: batch wall time / episodes in the batch
 * @param stateCurve         state distance at steps 0..budget [budget + 1] (held after a stop)
 * @param latentCurve        latent distance at steps 0..budget [budget + 1], or null when not recorded
 */
public record EpisodeRecord(String method, int goalOffset, int budget, String pairId, boolean success,
                            int successStep, int stepsExecuted, double finalStateDistance, double minStateDistance,
                            double finalLatentDistance, int solves, double[] planMs, float[] stateCurve,
                            float[] latentCurve) {}
