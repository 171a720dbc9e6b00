package io.smwm.core.eval;

import io.smwm.core.env.Environment;
import io.smwm.core.env.GoalErrorSpec;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A lower bound on how far apart a start/goal pair must be for evaluation to draw it ({@code smwm evaluate
 * --min-goal-distance D}), so that pairs already (or almost) solved at the start can be left out.
 *
 * <p>Distances are the task's own goal error ({@link Environment#goalError}) of the start state against the goal
 * state. {@code value} is in the units of the task's first goal-error component (e.g. Cube:
 * {@code cube_distance_m}, metres). A pair is admitted when its first component is strictly greater than
 * {@code value}; for tasks whose goal error has more components (Push-T: block position and angle), also when any
 * other component exceeds the same multiple of its own threshold: e<sub>i</sub> / τ<sub>i</sub> &gt;
 * {@code value} / τ<sub>0</sub>. For one-component tasks the rule is simply e &gt; {@code value}. With
 * {@code value} ≥ τ<sub>0</sub> no admitted pair is solved at its start.
 *
 * @param value D, finite and &gt;= 0, in the units of the first goal-error component
 */
public record MinGoalDistance(double value) {

    public MinGoalDistance {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("the minimum start-goal distance must be a finite number >= 0, got "
                    + value);
        }
    }

    /**
     * True if goal errors {@code errors} (one per {@code spec} component, in its order) admit the pair.
     *
     * @throws IllegalArgumentException if {@code errors} does not have one value per component
     */
    public boolean admits(double[] errors, GoalErrorSpec spec) {
        if (errors.length != spec.size()) {
            throw new IllegalArgumentException("expected " + spec.size() + " goal errors " + spec.names() + ", got "
                    + errors.length);
        }
        if (errors[0] > value) {
            return true;
        }
        double[] tol = spec.thresholds();
        for (int i = 1; i < errors.length; i++) {
            if (errors[i] / tol[i] > value / tol[0]) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if the pair (start, goal) is admitted: sets {@code env}'s task state to {@code start} (its previous
     * state is lost) and tests {@code env.goalError(goal)}.
     */
    public boolean admits(Environment env, float[] start, float[] goal) {
        env.setState(start);
        return admits(env.goalError(goal), env.goalErrorSpec());
    }

    /**
     * The rule for people, e.g. "start-goal cube_distance_m > 0.05" or, with more components, "start-goal
     * block_position_error_px > 20 or another goal-error component above 2 x its threshold".
     */
    public String describe(GoalErrorSpec spec) {
        String s = "start-goal " + spec.names().get(0) + " > " + fmt(value);
        if (spec.size() > 1) {
            s += " or another goal-error component above " + fmt(value / spec.thresholds()[0]) + " x its threshold";
        }
        return s;
    }

    private static String fmt(double v) {
        return new BigDecimal(v, new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
