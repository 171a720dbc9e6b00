package io.smwm.core.plan;

/**
 * The cost a planner minimises, for rows of candidate action sequences: the squared distance between the
 * terminal latent of the row's rollout and its group's goal, ‖ẑ_H − z_g‖² (the paper's cost), plus
 * β·(1/(H·A)) Σ_h ‖h(ŝ_h, ẑ_{h+1}) − a_h‖² with {@code planner.inverseWeight} β (the model's inverse residual, see
 * {@link LatentModel#rolloutTerminal(float[], int, int, float[], int, float[], float[])}) and
 * α·(1/(H·A)) Σ a² with {@code planner.actionWeight} α. A NaN cost becomes +∞ (never chosen).
 *
 * <p>Layout as {@link LatentModel#rolloutTerminal}: G groups of N rows, start states [G, c·D], goals [G, D],
 * actions [G·N, H, A] normalised, costs [G·N]. Holds buffers reused across calls; not thread-safe.
 */
public final class PlanCost {
    private final LatentModel model;
    private final float beta;
    private final float alpha;
    private final int horizon;
    private float[] terminal = new float[0];
    private float[] residual = new float[0];

    /**
     * @throws IllegalArgumentException when β &gt; 0 and the model has no inverse model
     */
    public PlanCost(PlannerConfig cfg, LatentModel model) {
        this.model = model;
        this.beta = (float) cfg.inverseWeight();
        this.alpha = (float) cfg.actionWeight();
        this.horizon = cfg.horizon();
        if (beta > 0 && !model.scoresInverseConsistency()) {
            throw new IllegalArgumentException("planner.inverseWeight " + cfg.inverseWeight() + " needs a model with an "
                    + "inverse model (a trained world model); " + model.getClass().getSimpleName() + " has none");
        }
    }

    /** Writes the cost of each of the G·N rows of {@code actions} into {@code costs}. */
    public void evaluate(float[] z0, float[] goal, int groups, int perGroup, float[] actions, float[] costs) {
        int rows = groups * perGroup, d = model.latentDim(), l = horizon * model.modelActionDim();
        if (terminal.length < rows * d) {
            terminal = new float[rows * d];
            residual = new float[beta > 0 ? rows : 0];
        }
        if (beta > 0) {
            model.rolloutTerminal(z0, groups, perGroup, actions, horizon, terminal, residual);
        } else {
            model.rolloutTerminal(z0, groups, perGroup, actions, horizon, terminal);
        }
        for (int g = 0; g < groups; g++) {
            for (int n = 0; n < perGroup; n++) {
                int row = g * perGroup + n, t = row * d;
                float c = 0f;
                for (int j = 0; j < d; j++) {
                    float diff = terminal[t + j] - goal[g * d + j];
                    c += diff * diff;
                }
                if (beta > 0) {
                    c += beta * residual[row];
                }
                if (alpha > 0) {
                    float sq = 0f;
                    for (int j = row * l, end = j + l; j < end; j++) {
                        sq += actions[j] * actions[j];
                    }
                    c += alpha * sq / l;
                }
                costs[row] = Float.isNaN(c) ? Float.POSITIVE_INFINITY : c;
            }
        }
    }
}
