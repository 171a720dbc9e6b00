package io.smwm.core.env;

import java.util.List;
import java.util.Map;

/**
 * Static description of an environment instance.
 *
 * @param id                  registry name, e.g. "tworoom"
 * @param variant             named variant ("default" where the task has none)
 * @param actionDim           m, the primitive action dimension
 * @param actionLow           per-dimension lower bound [m]
 * @param actionHigh          per-dimension upper bound [m]
 * @param stateDim            length of {@link Environment#state()}
 * @param stateNames          a name for each state component (documentation, plots), length stateDim
 * @param distractorStateDim  length of {@link Environment#distractorState()}
 * @param imageWidth          W of rendered frames
 * @param imageHeight         H of rendered frames
 * @param distractors         names of the active distractors, in order
 * @param params              task parameters worth recording in table metadata (stringly typed, stable keys)
 */
public record EnvSpec(String id, String variant, int actionDim, float[] actionLow, float[] actionHigh,
                      int stateDim, List<String> stateNames, int distractorStateDim,
                      int imageWidth, int imageHeight, List<String> distractors, Map<String, String> params) {
    public EnvSpec {
        if (actionLow.length != actionDim || actionHigh.length != actionDim) {
            throw new IllegalArgumentException("action bounds must have length actionDim=" + actionDim);
        }
        if (stateNames.size() != stateDim) {
            throw new IllegalArgumentException("stateNames must have length stateDim=" + stateDim
                    + ", got " + stateNames.size());
        }
        actionLow = actionLow.clone();
        actionHigh = actionHigh.clone();
        stateNames = List.copyOf(stateNames);
        distractors = List.copyOf(distractors);
        params = Map.copyOf(params);
    }

    @Override
    public float[] actionLow() { return actionLow.clone(); }

    @Override
    public float[] actionHigh() { return actionHigh.clone(); }
}
