package io.smwm.core.plan;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Cross-entropy method in normalised action space (the paper's evaluation protocol). Per episode and iteration: draw N sequences
 * a ~ N(μ, σ²) (candidate 0 is μ itself; with {@code clipSamples} every candidate is projected into the action
 * box), roll all E·N of them out through the model in one batch, keep the K lowest-cost elites and refit μ and σ
 * to them (per component; σ is the elites' sample std, divisor K − 1, as {@code torch.std} in the paper's code).
 * The plan is μ after the last iteration (the paper's choice), or with {@code planner.returnBest} the lowest-cost
 * candidate seen when that beats μ.
 * Start: μ = warm start or 0, σ = {@code initStd}. Ties between equal costs go to the lower candidate index.
 */
public final class CemPlanner extends SamplingPlanner {
    private long[] keys = new long[0];

    public CemPlanner(PlannerConfig cfg, LatentModel model, float[] actionLow, float[] actionHigh) {
        super(cfg, model, actionLow, actionHigh);
    }

    @Override
    public String name() {
        return "cem";
    }

    @Override
    protected void grow(int e) {
        keys = new long[samples];
    }

    @Override
    protected void begin(int episodes) {
        Arrays.fill(std, 0, episodes * planLength, (float) cfg.initStd());
    }

    @Override
    protected void update(int episodes, int iteration) {
        int l = planLength, k = cfg.elites();
        for (int e = 0; e < episodes; e++) {
            sortByCost(e);
            int mu = e * l;
            Arrays.fill(mean, mu, mu + l, 0f);
            Arrays.fill(std, mu, mu + l, 0f);
            for (int i = 0; i < k; i++) {
                int c = (e * samples + (int) keys[i]) * l;
                for (int j = 0; j < l; j++) {
                    mean[mu + j] += candidates[c + j];
                }
            }
            for (int j = 0; j < l; j++) {
                mean[mu + j] /= k;
            }
            for (int i = 0; i < k; i++) {
                int c = (e * samples + (int) keys[i]) * l;
                for (int j = 0; j < l; j++) {
                    float d = candidates[c + j] - mean[mu + j];
                    std[mu + j] += d * d;
                }
            }
            float dof = Math.max(1, k - 1); // K = 1: σ = 0
            for (int j = 0; j < l; j++) {
                std[mu + j] = (float) Math.sqrt(std[mu + j] / dof);
            }
        }
    }

    /**
     * Sorts episode e's candidate indices by (cost, index) into {@code keys} (low 32 bits = index). Costs are
     * non-negative, so their IEEE bits order like the values; NaN was mapped to +inf by {@link #evaluate}.
     */
    private void sortByCost(int e) {
        for (int n = 0; n < samples; n++) {
            float c = costs[e * samples + n];
            keys[n] = ((long) Float.floatToIntBits(c + 0f) << 32) | n;
        }
        Arrays.sort(keys, 0, samples);
        for (int n = 0; n < samples; n++) {
            keys[n] &= 0xffffffffL;
        }
    }
}
