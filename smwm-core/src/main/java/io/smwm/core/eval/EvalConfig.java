package io.smwm.core.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to evaluate (the paper's evaluation protocol). Immutable; validated in the constructor with every problem reported at once.
 *
 * @param episodes          start/goal pairs per goal offset (100 in the paper)
 * @param budgetFactor      env-step budget = round(budgetFactor × goal offset): 2 gives the paper's 50 steps
 *                          for offset 25 and its sweep budgets (2 × offset)
 * @param executeModelSteps model steps of each plan executed before re-planning, in [1, planner.horizon]
 *                          (5 = all of the paper's plan: 25 env actions)
 * @param seed              root seed: pairs, planner streams and the random baseline derive from it
 * @param stopOnSuccess     stop an episode at its first success (its curves then hold their last value)
 * @param randomBaseline    also run the uniform random policy on the same pairs
 * @param filmstripEpisodes episodes per method and offset whose frames are kept for the filmstrip
 * @param latentCurve       encode the executed frames every step to record the latent distance to the goal
 * @param recordStates      keep every episode's executed env states and actions in its record
 *                          ({@link EpisodeRecord#states()}, {@link EpisodeRecord#actions()}), for analysing where
 *                          plans go; off by default (a report then grows by budget × state size numbers per episode)
 */
public record EvalConfig(int episodes, double budgetFactor, int executeModelSteps, long seed,
                         boolean stopOnSuccess, boolean randomBaseline, int filmstripEpisodes,
                         boolean latentCurve, boolean recordStates) {

    public EvalConfig {
        List<String> errors = new ArrayList<>();
        if (episodes < 1) {
            errors.add("eval.episodes must be >= 1, got " + episodes);
        }
        if (!(budgetFactor > 0) || Double.isInfinite(budgetFactor)) {
            errors.add("eval.budgetFactor must be finite and > 0, got " + budgetFactor);
        }
        if (executeModelSteps < 1) {
            errors.add("eval.executeModelSteps must be >= 1, got " + executeModelSteps);
        }
        if (filmstripEpisodes < 0) {
            errors.add("eval.filmstripEpisodes must be >= 0, got " + filmstripEpisodes);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }

    /** The paper's protocol: 100 episodes, budget 2 × offset, execute all 5 model steps, random baseline on. */
    public static EvalConfig defaults() {
        return new EvalConfig(100, 2.0, 5, 0L, true, true, 4, true, false);
    }

    /**
     * The paper's protocol with these pairs, budget, execution and seed: stop an episode at its first success, the
     * random baseline on the same pairs, 4 filmstrip episodes, latent distance curves.
     */
    public static EvalConfig protocol(int episodes, double budgetFactor, int executeModelSteps, long seed) {
        return new EvalConfig(episodes, budgetFactor, executeModelSteps, seed, true, true, 4, true, false);
    }

    /** The env-step budget for a goal offset. */
    public int budget(int goalOffset) {
        return Math.max(1, (int) Math.round(budgetFactor * goalOffset));
    }

    public EvalConfig withEpisodes(int v) {
        return new EvalConfig(v, budgetFactor, executeModelSteps, seed, stopOnSuccess, randomBaseline,
                filmstripEpisodes, latentCurve, recordStates);
    }

    public EvalConfig withSeed(long v) {
        return new EvalConfig(episodes, budgetFactor, executeModelSteps, v, stopOnSuccess, randomBaseline,
                filmstripEpisodes, latentCurve, recordStates);
    }

    public EvalConfig withExecuteModelSteps(int v) {
        return new EvalConfig(episodes, budgetFactor, v, seed, stopOnSuccess, randomBaseline, filmstripEpisodes,
                latentCurve, recordStates);
    }

    public EvalConfig withStopOnSuccess(boolean v) {
        return new EvalConfig(episodes, budgetFactor, executeModelSteps, seed, v, randomBaseline,
                filmstripEpisodes, latentCurve, recordStates);
    }

    public EvalConfig withRandomBaseline(boolean v) {
        return new EvalConfig(episodes, budgetFactor, executeModelSteps, seed, stopOnSuccess, v,
                filmstripEpisodes, latentCurve, recordStates);
    }

    public EvalConfig withFilmstripEpisodes(int v) {
        return new EvalConfig(episodes, budgetFactor, executeModelSteps, seed, stopOnSuccess, randomBaseline, v,
                latentCurve, recordStates);
    }

    public EvalConfig withRecordStates(boolean v) {
        return new EvalConfig(episodes, budgetFactor, executeModelSteps, seed, stopOnSuccess, randomBaseline,
                filmstripEpisodes, latentCurve, v);
    }

    /** Stable keys ("eval.episodes", ...) to values, for reports. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eval.episodes", episodes);
        m.put("eval.budgetFactor", budgetFactor);
        m.put("eval.executeModelSteps", executeModelSteps);
        m.put("eval.seed", seed);
        m.put("eval.stopOnSuccess", stopOnSuccess);
        m.put("eval.randomBaseline", randomBaseline);
        m.put("eval.filmstripEpisodes", filmstripEpisodes);
        m.put("eval.latentCurve", latentCurve);
        m.put("eval.recordStates", recordStates);
        return m;
    }
}
