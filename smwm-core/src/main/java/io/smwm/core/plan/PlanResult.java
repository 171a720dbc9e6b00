package io.smwm.core.plan;

/**
 * The plan for one episode.
 *
 * @param plan       the optimised action sequence in normalised model-action space, flat [H, A] (within the
 *                   normalised action box when samples are clipped); shift it for the next warm start
 * @param envActions the plan as primitive env actions, un-normalised and clipped to the env's bounds:
 *                   [H·k][m], row h·k + j is primitive step j of model step h
 * @param cost       predicted cost ‖ẑ_H − z_g‖² of {@code plan}
 * @param bestCostPerIteration the lowest candidate cost seen in each iteration [iterations] (diagnostics)
 */
public record PlanResult(float[] plan, float[][] envActions, float cost, float[] bestCostPerIteration) {

    /**
     * The warm start for the next solve after executing {@code executedModelSteps} steps of this plan: the plan
     * shifted left by that many model steps, the freed tail set to 0 (the prior mean).
     */
    public float[] shifted(int executedModelSteps, int modelActionDim) {
        int n = plan.length, s = executedModelSteps * modelActionDim;
        if (executedModelSteps < 0 || s > n) {
            throw new IllegalArgumentException("can shift by 0.." + (n / modelActionDim) + " model steps, got "
                    + executedModelSteps);
        }
        float[] out = new float[n];
        System.arraycopy(plan, s, out, 0, n - s);
        return out;
    }
}
