package io.smwm.core.plan;

import java.util.SplittableRandom;

/**
 * Model-predictive path integral control as an iterative optimiser in normalised action space. Per episode and
 * iteration: draw N sequences a = μ + ε with ε ~ N(0, noiseStd²) (candidate 0 is μ; with {@code clipSamples}
 * candidates are projected into the action box), roll all E·N out in one batch, and move μ to the
 * exponentially weighted average w_n ∝ exp(−(c_n − c_min) / (λ·(c_max − c_min))) of the (clipped) candidates.
 * The temperature λ is relative to the iteration's cost range, so one value works whatever the latent's scale.
 * As in TD-MPC's MPPI, the per-component noise std is refitted to the same weights (σ² = Σ w (a − μ)² / Σ w),
 * starting from {@code noiseStd} each solve; with a fixed σ the weighted mean of N = 300 samples in H·A = 50
 * dimensions stays too noisy to reach a goal precisely. The plan is μ after the last iteration, or with
 * {@code planner.returnBest} the lowest-cost candidate seen when that beats μ.
 */
public final class MppiPlanner extends SamplingPlanner {
    private double[] weights = new double[0];
    private double[] acc = new double[0];

    public MppiPlanner(PlannerConfig cfg, LatentModel model, float[] actionLow, float[] actionHigh) {
        super(cfg, model, actionLow, actionHigh);
    }

    @Override
    public String name() {
        return "mppi";
    }

    @Override
    protected void grow(int e) {
        weights = new double[samples];
        acc = new double[planLength];
    }

    @Override
    protected void begin(int episodes) {
        java.util.Arrays.fill(std, 0, episodes * planLength, (float) cfg.noiseStd());
    }

    @Override
    protected void update(int episodes, int iteration) {
        int l = planLength;
        for (int e = 0; e < episodes; e++) {
            int base = e * samples;
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int n = 0; n < samples; n++) {
                float c = costs[base + n];
                if (c < Float.POSITIVE_INFINITY) {
                    min = Math.min(min, c);
                    max = Math.max(max, c);
                }
            }
            if (min == Float.POSITIVE_INFINITY) {
                continue; // every rollout diverged: keep the mean
            }
            double scale = cfg.temperature() * (max - min);
            double total = 0;
            for (int n = 0; n < samples; n++) {
                float c = costs[base + n];
                double w = c == Float.POSITIVE_INFINITY ? 0 : scale > 0 ? Math.exp(-(c - min) / scale) : 1;
                weights[n] = w;
                total += w;
            }
            int mu = e * l;
            java.util.Arrays.fill(acc, 0);
            for (int n = 0; n < samples; n++) {
                double w = weights[n];
                if (w != 0) {
                    int c = (base + n) * l;
                    for (int j = 0; j < l; j++) {
                        acc[j] += w * candidates[c + j];
                    }
                }
            }
            for (int j = 0; j < l; j++) {
                mean[mu + j] = (float) (acc[j] / total);
            }
            java.util.Arrays.fill(acc, 0);
            for (int n = 0; n < samples; n++) {
                double w = weights[n];
                if (w != 0) {
                    int c = (base + n) * l;
                    for (int j = 0; j < l; j++) {
                        double d = candidates[c + j] - mean[mu + j];
                        acc[j] += w * d * d;
                    }
                }
            }
            for (int j = 0; j < l; j++) {
                std[mu + j] = (float) Math.sqrt(acc[j] / total);
            }
        }
    }
}
