package io.smwm.core.eval;

import java.util.List;
import java.util.Map;

/**
 * Everything one evaluation produced: per method and goal offset summaries, every episode, the kept filmstrips
 * and the configuration that produced them (stable keys: "planner.*", "eval.*", "env.*", "pairs.*").
 */
public record EvaluationReport(List<MethodResult> results, List<EpisodeRecord> episodes, List<Filmstrip> filmstrips,
                               Map<String, Object> config) {

    /** The distinct goal offsets, in evaluation order. */
    public List<Integer> goalOffsets() {
        return results.stream().map(MethodResult::goalOffset).distinct().toList();
    }

    /** The distinct methods, in evaluation order. */
    public List<String> methods() {
        return results.stream().map(MethodResult::method).distinct().toList();
    }
}
