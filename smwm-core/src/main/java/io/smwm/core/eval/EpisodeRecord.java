package io.smwm.core.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * @param finalStateDistance distance to the goal at the end in the task's own success metric: the first component
 *                           of {@code env.goalError} (TwoRoom: agent distance; Reacher: largest joint error, rad;
 *                           Push-T: block position error, px; Cube: cube distance, m)
 * @param minStateDistance   the smallest such distance over the episode
 * @param finalLatentDistance ‖z_T − z_g‖ at the end (NaN when latents were not recorded)
 * @param solves             planner calls for this episode (0 for baselines)
 * @param planMs             amortised planning time of each solve: batch wall time / episodes in the batch
 * @param stateCurve         that distance at steps 0..budget [budget + 1] (held after a stop)
 * @param latentCurve        latent distance at steps 0..budget [budget + 1], or null when not recorded
 * @param planCosts          the model's predicted cost ‖ẑ_H − z_g‖² of the plan chosen at each solve [solves]
 *                           (empty for baselines)
 * @param demoCost           the model's predicted terminal cost ‖ẑ − z_g‖² of the pair's recorded actions rolled
 *                           out from the start latent; NaN for baselines, pairs without recorded actions, and goal
 *                           offsets other than the plan's length H·k (the costs only compare when both are whole
 *                           routes to the goal). A failed episode whose demoCost is
 *                           below its first plan cost is a search failure (the model rates a route to the goal
 *                           better than what the planner found); one whose demoCost is above it is a model
 *                           failure (the model does not rate the route that works as better)
 * @param firstPlanRealisedCost the cost ‖z − z_g‖² the latent of the frame actually reached after the first plan's
 *                           executed actions (the whole plan under the paper's protocol, so the outcome of what
 *                           {@code firstPlanCost} predicted; NaN when the episode stopped before they were all executed,
 *                           for baselines, and when latents were not recorded). Far above the prediction: the model
 *                           promised an end its plan does not reach
 * @param solvedAtStart      the success criterion already held at step 0, before any action: a property of the
 *                           pair, the same for every method; true exactly when successStep is 0
 * @param startGoalError     the start state's goal error ({@link io.smwm.core.env.Environment#goalError}) by
 *                           component name, in the env's order: how far the pair's goal is in the task's own
 *                           success metric
 * @param finalState         the env's task state at the end (for analysing where failures ended), or null
 * @param goalState          the pair's goal task state, or null
 * @param states             the env's task state at steps 0..stepsExecuted [stepsExecuted + 1][state size], when the
 *                           evaluation records them ({@link EvalConfig#recordStates()}), else null
 * @param actions            the env actions executed at steps 1..stepsExecuted [stepsExecuted][action size] (as the
 *                           controller gave them, before the env's own clipping), when recorded, else null
 */
public record EpisodeRecord(String method, int goalOffset, int budget, String pairId, boolean success,
                            int successStep, int stepsExecuted, double finalStateDistance, double minStateDistance,
                            double finalLatentDistance, int solves, double[] planMs, float[] stateCurve,
                            float[] latentCurve, double[] planCosts, double demoCost, double firstPlanRealisedCost,
                            boolean solvedAtStart,
                            Map<String, Double> startGoalError, float[] finalState, float[] goalState,
                            float[][] states, float[][] actions) {

    public EpisodeRecord {
        if (startGoalError == null) {
            throw new IllegalArgumentException("episode of pair " + pairId + ": startGoalError is required");
        }
        if (solvedAtStart != (successStep == 0)) {
            throw new IllegalArgumentException("episode of pair " + pairId + ": solvedAtStart=" + solvedAtStart
                    + " disagrees with success step " + successStep + " (solved at the start means success at step 0)");
        }
        if (states != null && states.length != stepsExecuted + 1) {
            throw new IllegalArgumentException("episode of pair " + pairId + ": " + states.length
                    + " recorded states for " + stepsExecuted + " steps (want steps + 1)");
        }
        if (actions != null && actions.length != stepsExecuted) {
            throw new IllegalArgumentException("episode of pair " + pairId + ": " + actions.length
                    + " recorded actions for " + stepsExecuted + " steps");
        }
        startGoalError = Collections.unmodifiableMap(new LinkedHashMap<>(startGoalError));
    }

    /** The predicted cost of the first solve's plan, or NaN when there was none. */
    public double firstPlanCost() {
        return planCosts == null || planCosts.length == 0 ? Double.NaN : planCosts[0];
    }
}
