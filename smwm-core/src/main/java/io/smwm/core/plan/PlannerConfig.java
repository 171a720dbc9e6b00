package io.smwm.core.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to plan: the sampling-based optimiser and its budget. Immutable; validated in the constructor, which
 * reports every problem at once with the key, the rule and the value.
 *
 * <p>Defaults ({@link #cem()}) are the paper's CEM: 300 samples, 30 iterations, 30 elites,
 * horizon 5 model steps, initial mean 0 / std 1 in normalised action space, candidate 0 = the current mean, warm
 * start from the previous plan shifted by the executed steps.
 *
 * @param method      "cem" or "mppi" (see {@link Planners#METHODS})
 * @param samples     N candidates per episode per iteration (candidate 0 is the current mean)
 * @param iterations  optimiser iterations per solve
 * @param elites      CEM: elites refitting the mean and std, in [1, samples]
 * @param horizon     H, model steps per plan (each model step = k env steps)
 * @param initStd     CEM: std of the sampling distribution at the start of a solve (normalised units)
 * @param temperature MPPI: λ relative to the iteration's cost range: weight = exp(−(c − c_min) / (λ·(c_max −
 *                    c_min))), so it is independent of the latent's scale
 * @param noiseStd    MPPI: initial std of the Gaussian perturbations around the mean (normalised units; refitted
 *                    to the weighted samples every iteration)
 * @param clipSamples project every candidate into the env's action box (mapped into normalised space) before the
 *                    model sees it. The paper's code samples unclipped, and so does {@link #cem()}: on the two
 *                    full-size TwoRoom models clipping cost 0.3 and 3.6 points of success (300 pairs each,
 *                    docs/benchmarks.md). {@link #mppi()} clips. Executed actions are always clipped to the env's bounds.
 * @param warmStart   start each re-plan from the previous plan shifted by the executed model steps (tail = 0)
 * @param returnBest  return the lowest-cost candidate seen in any iteration when it beats the final mean, instead
 *                    of the final mean (the paper's CEM returns the mean; a mean of elites from two routes, e.g.
 *                    either side of an obstacle, can be neither)
 * @param noiseCorrelation ρ in [0, 1): the sampling noise of each primitive action dimension is an AR(1) process
 *                    over the H·k primitive steps of a plan, x_t = ρ·x_{t−1} + sqrt(1 − ρ²)·ε_t (unit variance
 *                    at every step), so candidates move coherently and reach further (as iCEM's coloured noise
 *                    does). 0 = independent noise, the paper's CEM
 * @param costWhitening the planning cost's whitening floor (0: off, the paper's squared distance; see the evaluator)
 * @param inverseWeight β ≥ 0: each candidate's cost gains β·r, where r = (1/(H·A)) Σ_h ‖h(ŝ_h, ẑ_{h+1}) − a_h‖² is
 *                    the mean squared residual of the model's own inverse model h along the candidate's rollout
 *                    (normalised actions): how far the predicted transitions are from ones h attributes to the
 *                    actions that produced them. Needs a latent model with an inverse model
 *                    ({@link LatentModel#scoresInverseConsistency}). 0 = off, the paper's cost
 * @param actionWeight α ≥ 0: each candidate's cost gains α·(1/(H·A)) Σ a², its mean squared normalised action (a
 *                    pull toward the data's mean action). 0 = off, the paper's cost
 */
public record PlannerConfig(String method, int samples, int iterations, int elites, int horizon, double initStd,
                            double temperature, double noiseStd, boolean clipSamples, boolean warmStart,
                            boolean returnBest, double noiseCorrelation, double costWhitening, double inverseWeight,
                            double actionWeight) {

    /** Upper bounds: a solve holds samples x horizon candidate actions per episode planned in a batch. */
    public static final int MAX_SAMPLES = 10_000, MAX_ITERATIONS = 10_000, MAX_HORIZON = 100;

    public PlannerConfig {
        List<String> errors = new ArrayList<>();
        if (method == null || !Planners.METHODS.contains(method)) {
            errors.add("planner.method must be one of " + Planners.METHODS + ", got " + method);
        }
        if (samples < 2 || samples > MAX_SAMPLES) {
            errors.add("planner.samples must be in [2, " + MAX_SAMPLES + "], got " + samples);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            errors.add("planner.iterations must be in [1, " + MAX_ITERATIONS + "], got " + iterations);
        }
        if (elites < 1 || elites > Math.max(samples, 1)) {
            errors.add("planner.elites must be in [1, planner.samples=" + samples + "], got " + elites);
        }
        if (horizon < 1 || horizon > MAX_HORIZON) {
            errors.add("planner.horizon must be in [1, " + MAX_HORIZON + "], got " + horizon);
        }
        if (!(initStd > 0) || Double.isInfinite(initStd)) {
            errors.add("planner.initStd must be finite and > 0, got " + initStd);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            errors.add("planner.temperature must be finite and > 0, got " + temperature);
        }
        if (!(noiseStd > 0) || Double.isInfinite(noiseStd)) {
            errors.add("planner.noiseStd must be finite and > 0, got " + noiseStd);
        }
        if (!(noiseCorrelation >= 0 && noiseCorrelation < 1)) {
            errors.add("planner.noiseCorrelation must be in [0, 1), got " + noiseCorrelation);
        }
        if (!(costWhitening >= 0 && costWhitening <= 1)) {
            errors.add("planner.costWhitening must be 0 (off) or a floor in (0, 1], got " + costWhitening);
        }
        if (!(inverseWeight >= 0) || Double.isInfinite(inverseWeight)) {
            errors.add("planner.inverseWeight must be finite and >= 0, got " + inverseWeight);
        }
        if (!(actionWeight >= 0) || Double.isInfinite(actionWeight)) {
            errors.add("planner.actionWeight must be finite and >= 0, got " + actionWeight);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }

    /**
     * The paper's CEM as its code runs it: 300 samples, 30 iterations, 30 elites, horizon 5, std 1, samples not
     * clipped, σ refitted as the elites' sample std, warm start, independent noise, the final mean executed.
     */
    public static PlannerConfig cem() {
        return new PlannerConfig("cem", 300, 30, 30, 5, 1.0, 0.1, 1.0, false, true, false, 0.0, 0.0, 0.0, 0.0);
    }

    /** MPPI with the same sampling budget as {@link #cem()}: temperature 0.1 (relative), noise std 1. */
    public static PlannerConfig mppi() {
        return new PlannerConfig("mppi", 300, 30, 30, 5, 1.0, 0.1, 1.0, true, true, false, 0.0, 0.0, 0.0, 0.0);
    }

    public PlannerConfig withMethod(String v) {
        return new PlannerConfig(v, samples, iterations, elites, horizon, initStd, temperature, noiseStd,
                clipSamples, warmStart, returnBest, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withSamples(int v) {
        return new PlannerConfig(method, v, iterations, elites, horizon, initStd, temperature, noiseStd,
                clipSamples, warmStart, returnBest, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withIterations(int v) {
        return new PlannerConfig(method, samples, v, elites, horizon, initStd, temperature, noiseStd,
                clipSamples, warmStart, returnBest, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withElites(int v) {
        return new PlannerConfig(method, samples, iterations, v, horizon, initStd, temperature, noiseStd,
                clipSamples, warmStart, returnBest, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withHorizon(int v) {
        return new PlannerConfig(method, samples, iterations, elites, v, initStd, temperature, noiseStd,
                clipSamples, warmStart, returnBest, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withTemperature(double v) {
        return new PlannerConfig(method, samples, iterations, elites, horizon, initStd, v, noiseStd,
                clipSamples, warmStart, returnBest, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withNoiseStd(double v) {
        return new PlannerConfig(method, samples, iterations, elites, horizon, initStd, temperature, v,
                clipSamples, warmStart, returnBest, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withClipSamples(boolean v) {
        return new PlannerConfig(method, samples, iterations, elites, horizon, initStd, temperature, noiseStd,
                v, warmStart, returnBest, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withWarmStart(boolean v) {
        return new PlannerConfig(method, samples, iterations, elites, horizon, initStd, temperature, noiseStd,
                clipSamples, v, returnBest, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withReturnBest(boolean v) {
        return new PlannerConfig(method, samples, iterations, elites, horizon, initStd, temperature, noiseStd,
                clipSamples, warmStart, v, noiseCorrelation, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withNoiseCorrelation(double v) {
        return new PlannerConfig(method, samples, iterations, elites, horizon, initStd, temperature, noiseStd,
                clipSamples, warmStart, returnBest, v, costWhitening, inverseWeight, actionWeight);
    }

    public PlannerConfig withCostWhitening(double v) {
        return new PlannerConfig(method, samples, iterations, elites, horizon, initStd, temperature, noiseStd,
                clipSamples, warmStart, returnBest, noiseCorrelation, v, inverseWeight, actionWeight);
    }

    public PlannerConfig withInverseWeight(double v) {
        return new PlannerConfig(method, samples, iterations, elites, horizon, initStd, temperature, noiseStd,
                clipSamples, warmStart, returnBest, noiseCorrelation, costWhitening, v, actionWeight);
    }

    public PlannerConfig withActionWeight(double v) {
        return new PlannerConfig(method, samples, iterations, elites, horizon, initStd, temperature, noiseStd,
                clipSamples, warmStart, returnBest, noiseCorrelation, costWhitening, inverseWeight, v);
    }

    /** Stable keys ("planner.samples", ...) to their values, for reports and provenance. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("planner.method", method);
        m.put("planner.samples", samples);
        m.put("planner.iterations", iterations);
        m.put("planner.elites", elites);
        m.put("planner.horizon", horizon);
        m.put("planner.initStd", initStd);
        m.put("planner.temperature", temperature);
        m.put("planner.noiseStd", noiseStd);
        m.put("planner.clipSamples", clipSamples);
        m.put("planner.warmStart", warmStart);
        m.put("planner.returnBest", returnBest);
        m.put("planner.noiseCorrelation", noiseCorrelation);
        m.put("planner.costWhitening", costWhitening);
        m.put("planner.inverseWeight", inverseWeight);
        m.put("planner.actionWeight", actionWeight);
        return m;
    }
}
