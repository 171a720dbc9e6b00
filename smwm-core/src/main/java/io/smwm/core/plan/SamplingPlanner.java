package io.smwm.core.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Shared machinery of population-based planners: per-episode random streams, the batched rollout over all
 * episodes' candidates, their cost ({@link PlanCost}) and buffers reused across calls (allocation per solve is O(E), not
 * O(E·N·H·A)).
 *
 * <p>Layout: E episodes (groups), N candidates each, L = H·A normalised action values per candidate;
 * {@code candidates} is [E·N, L], {@code costs} [E·N], {@code mean} [E, L].
 */
abstract class SamplingPlanner implements Planner {
    protected final PlannerConfig cfg;
    protected final LatentModel model;
    protected final ActionBox box;
    protected final int latentDim;
    /** Length of a planning state (start of a rollout): context · latentDim. */
    protected final int stateDim;
    protected final int actionDim;
    protected final int horizon;
    protected final int samples;
    protected final int planLength;
    private final PlanCost cost;

    protected float[] candidates = new float[0];
    protected float[] costs = new float[0];
    protected float[] mean = new float[0];
    /** With {@code planner.returnBest}: each episode's lowest-cost candidate so far [E, H·A]. */
    private float[] bestPlan = new float[0];
    /** Per-episode sampling std σ [E, H·A] in normalised action space (the subclass refits it each iteration). */
    protected float[] std = new float[0];
    protected float[] z0 = new float[0];
    protected float[] goal = new float[0];
    protected SplittableRandom[] rngs = new SplittableRandom[0];

    SamplingPlanner(PlannerConfig cfg, LatentModel model, float[] actionLow, float[] actionHigh) {
        this.cfg = cfg;
        this.model = model;
        this.box = new ActionBox(model, actionLow, actionHigh);
        this.latentDim = model.latentDim();
        this.stateDim = model.stateDim();
        this.actionDim = model.modelActionDim();
        this.horizon = cfg.horizon();
        this.samples = cfg.samples();
        this.planLength = horizon * actionDim;
        this.cost = new PlanCost(cfg, model);
    }

    @Override
    public PlannerConfig config() {
        return cfg;
    }

    /** Prepares per-episode state for a batch of {@code episodes} (called before the first iteration). */
    protected abstract void begin(int episodes);

    /** Refits every episode's distribution from {@code candidates} and {@code costs}. */
    protected abstract void update(int episodes, int iteration);

    @Override
    public final List<PlanResult> plan(List<PlanProblem> problems) {
        int e = problems.size();
        if (e == 0) {
            return List.of();
        }
        ensureCapacity(e);
        for (int i = 0; i < e; i++) {
            PlanProblem p = problems.get(i);
            if (p.z0().length != stateDim || p.goal().length != latentDim) {
                throw new IllegalArgumentException("problem " + i + ": the start state must have length context*latentDim="
                        + stateDim + " and the goal latentDim=" + latentDim + ", got " + p.z0().length + " and "
                        + p.goal().length);
            }
            System.arraycopy(p.z0(), 0, z0, i * stateDim, stateDim);
            System.arraycopy(p.goal(), 0, goal, i * latentDim, latentDim);
            if (p.initMean() != null && cfg.warmStart()) {
                if (p.initMean().length != planLength) {
                    throw new IllegalArgumentException("problem " + i + ": initMean must have length H*A="
                            + planLength + ", got " + p.initMean().length);
                }
                System.arraycopy(p.initMean(), 0, mean, i * planLength, planLength);
            } else {
                Arrays.fill(mean, i * planLength, (i + 1) * planLength, 0f);
            }
            if (cfg.clipSamples()) {
                box.clipNormalised(mean, i * planLength, planLength);
            }
            rngs[i] = new SplittableRandom(p.seed());
        }
        begin(e);
        float[][] best = new float[e][cfg.iterations()];
        float[] bestCost = new float[e];
        Arrays.fill(bestCost, Float.POSITIVE_INFINITY);
        for (int it = 0; it < cfg.iterations(); it++) {
            sample(e, it);
            evaluate(candidates, e, samples);
            for (int i = 0; i < e; i++) {
                float b = Float.POSITIVE_INFINITY;
                int arg = 0;
                for (int n = 0; n < samples; n++) {
                    if (costs[i * samples + n] < b) {
                        b = costs[i * samples + n];
                        arg = n;
                    }
                }
                best[i][it] = b;
                if (cfg.returnBest() && b < bestCost[i]) {
                    bestCost[i] = b;
                    System.arraycopy(candidates, (i * samples + arg) * planLength, bestPlan, i * planLength,
                            planLength);
                }
            }
            update(e, it);
        }
        evaluate(mean, e, 1); // the cost of the final means
        List<PlanResult> out = new ArrayList<>(e);
        for (int i = 0; i < e; i++) {
            boolean useBest = cfg.returnBest() && bestCost[i] < costs[i];
            float[] src = useBest ? bestPlan : mean;
            float[] plan = Arrays.copyOfRange(src, i * planLength, (i + 1) * planLength);
            out.add(new PlanResult(plan, box.toEnvActions(plan), useBest ? bestCost[i] : costs[i], best[i]));
        }
        return out;
    }

    /** Rolls out {@code perGroup} rows per episode from {@code actions} and writes their costs to {@code costs}. */
    protected final void evaluate(float[] actions, int episodes, int perGroup) {
        cost.evaluate(z0, goal, episodes, perGroup, actions, costs);
    }

    private void ensureCapacity(int e) {
        if (rngs.length >= e) {
            return;
        }
        candidates = new float[e * samples * planLength];
        costs = new float[e * samples];
        mean = new float[e * planLength];
        bestPlan = new float[e * planLength];
        std = new float[e * planLength];
        z0 = new float[e * stateDim];
        goal = new float[e * latentDim];
        rngs = new SplittableRandom[e];
        grow(e);
    }

    /**
     * Draws each episode's candidates: row 0 is the current mean μ, rows 1..N-1 are μ + σ·ε with ε ~ N(0, 1) from
     * the episode's own stream (clipped into the action box when {@code planner.clipSamples}); with
     * {@code planner.noiseCorrelation} ρ &gt; 0, ε of each primitive dimension is AR(1) over the primitive steps.
     */
    protected void sample(int episodes, int iteration) {
        int l = planLength, m = model.primitiveActionDim(), steps = l / m;
        double rho = cfg.noiseCorrelation(), innov = Math.sqrt(1 - rho * rho);
        for (int e = 0; e < episodes; e++) {
            SplittableRandom r = rngs[e];
            int mu = e * l;
            System.arraycopy(mean, mu, candidates, e * samples * l, l);
            for (int n = 1; n < samples; n++) {
                int c = (e * samples + n) * l;
                if (rho == 0) {
                    for (int j = 0; j < l; j++) {
                        candidates[c + j] = mean[mu + j] + std[mu + j] * (float) r.nextGaussian();
                    }
                } else {
                    // AR(1) along the H·k primitive steps, per primitive dimension; component of primitive step
                    // t = h·k + s, dimension d is at h·A + s·m + d = t·m + d
                    for (int d = 0; d < m; d++) {
                        double x = r.nextGaussian();
                        for (int t = 0; t < steps; t++) {
                            if (t > 0) {
                                x = rho * x + innov * r.nextGaussian();
                            }
                            int j = t * m + d;
                            candidates[c + j] = mean[mu + j] + std[mu + j] * (float) x;
                        }
                    }
                }
                if (cfg.clipSamples()) {
                    box.clipNormalised(candidates, c, l);
                }
            }
        }
    }

    /** Lets subclasses grow their own per-episode buffers to {@code e} episodes. */
    protected void grow(int e) {}
}
