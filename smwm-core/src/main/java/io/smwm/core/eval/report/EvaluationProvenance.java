package io.smwm.core.eval.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an evaluation report's numbers come from, written as the report's {@code provenance} object.
 *
 * @param checkpoint       the checkpoint directory evaluated
 * @param table            the table whose held-out episodes gave the pairs
 * @param tableFingerprint that table's content fingerprint
 * @param trainSeed        the run's training seed
 * @param lambda           the run's inverse-loss weight
 * @param evalSeed         the evaluation seed (pairs, planner streams, random baseline)
 * @param wallSeconds      how long the evaluation took
 * @param evaluatedOn      "driver", or the Spark master and slices
 */
public record EvaluationProvenance(String checkpoint, String table, String tableFingerprint, long trainSeed,
                                   double lambda, long evalSeed, double wallSeconds, String evaluatedOn) {
    /** The report's provenance keys, in this order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checkpoint", checkpoint);
        m.put("table", table);
        m.put("table_fingerprint", tableFingerprint);
        m.put("train_seed", trainSeed);
        m.put("lambda", lambda);
        m.put("eval_seed", evalSeed);
        m.put("wall_seconds", wallSeconds);
        m.put("evaluated_on", evaluatedOn);
        return m;
    }
}
