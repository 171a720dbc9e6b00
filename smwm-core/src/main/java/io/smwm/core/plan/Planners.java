package io.smwm.core.plan;

import io.smwm.core.env.EnvSpec;
import java.util.List;

/** Builds planners by method name; unknown names are an error listing the valid ones. */
public final class Planners {
    /** The valid values of planner.method. */
    public static final List<String> METHODS = List.of("cem", "mppi");

    private Planners() {}

    /**
     * A planner for {@code model} acting in an env with {@code spec}'s primitive action bounds.
     *
     * @throws IllegalArgumentException if the model's primitive action dimension is not the env's
     */
    public static Planner create(PlannerConfig config, LatentModel model, EnvSpec spec) {
        return create(config, model, spec.actionLow(), spec.actionHigh());
    }

    public static Planner create(PlannerConfig config, LatentModel model, float[] actionLow, float[] actionHigh) {
        return switch (config.method()) {
            case "cem" -> new CemPlanner(config, model, actionLow, actionHigh);
            case "mppi" -> new MppiPlanner(config, model, actionLow, actionHigh);
            default -> throw new IllegalArgumentException("unknown planner '" + config.method() + "'; valid: "
                    + METHODS);
        };
    }
}
