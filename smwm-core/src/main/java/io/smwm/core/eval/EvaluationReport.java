package io.smwm.core.eval;

import java.util.List;
import java.util.Map;

/**
 * Everything one evaluation produced: per method and goal offset summaries, every episode, the kept filmstrips
 * and the configuration that produced them (stable keys: "planner.*", "eval.*", "env.*", "pairs.*").
 */
public record EvaluationReport(List<MethodResult> results, List<EpisodeRecord> episodes, List<Filmstrip> filmstrips,
                               Map<String, Object> config) {
    /** Config key: the pairs' minimum start-goal distance ({@link MinGoalDistance#value}), null when unfiltered. */
    public static final String MIN_GOAL_DISTANCE = "pairs.minGoalDistance";
    /** Config key: that bound's rule in words ({@link MinGoalDistance#describe}), null when unfiltered. */
    public static final String MIN_GOAL_DISTANCE_RULE = "pairs.minGoalDistanceRule";

    /**
     * How the pairs were filtered, for people: e.g. "only pairs with start-goal cube_distance_m > 0.05
     * (--min-goal-distance 0.05)"; null when the config records no filter (the pairs were drawn regardless of
     * their start-goal distance, or the report predates the option).
     */
    public String pairFilter() {
        Object v = config.get(MIN_GOAL_DISTANCE), rule = config.get(MIN_GOAL_DISTANCE_RULE);
        if (v == null) {
            return null;
        }
        return "only pairs with " + rule + " (--min-goal-distance " + v + ")";
    }

    /** The distinct goal offsets, in evaluation order. */
    public List<Integer> goalOffsets() {
        return results.stream().map(MethodResult::goalOffset).distinct().toList();
    }

    /** The distinct methods, in evaluation order. */
    public List<String> methods() {
        return results.stream().map(MethodResult::method).distinct().toList();
    }
}
