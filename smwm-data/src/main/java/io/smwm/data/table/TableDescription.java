package io.smwm.data.table;

import java.util.List;

/**
 * What a table's metadata records that its rows cannot tell: where the episodes come from and how to train on them.
 * {@link ContentSummary#metadata} combines it with what the rows do tell.
 *
 * @param env        the environment (for imported data: the source format's id, e.g. "lerobot:pusht")
 * @param frameskip  k, primitive actions per model step (recorded for training), >= 1
 * @param stateNames observation_state component names; null (or of the wrong length) = s0, s1, ...
 * @param actionLow  action lower bounds [m]; null = the observed per-dimension minimum
 * @param actionHigh action upper bounds [m]; null = the observed maximum
 * @param generator  provenance of generated tables; null for imported or finalised ones
 */
public record TableDescription(TableMetadata.Env env, int frameskip, List<String> stateNames, float[] actionLow,
                               float[] actionHigh, TableMetadata.Generator generator) {
    public TableDescription {
        if (env == null || env.id() == null || env.id().isBlank()) {
            throw new IllegalArgumentException("a table needs an env id, got " + env);
        }
        if (frameskip < 1) {
            throw new IllegalArgumentException("frameskip must be >= 1, got " + frameskip);
        }
        if ((actionLow == null) != (actionHigh == null)) {
            throw new IllegalArgumentException("give both action bounds or neither");
        }
    }

    /** An env with no variant parameters or distractors, and observed action bounds. */
    public static TableDescription of(String envId, String variant, int frameskip) {
        return new TableDescription(new TableMetadata.Env(envId, variant == null ? "default" : variant,
                java.util.Map.of(), List.of()), frameskip, null, null, null, null);
    }
}
