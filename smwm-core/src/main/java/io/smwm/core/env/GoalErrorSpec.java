package io.smwm.core.env;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The components of a task's success metric, its "goal error": what {@link Environment#goalError} returns, one
 * value per name, in the task's own units, and the threshold each value must stay strictly below for the task's
 * success criterion to hold. {@link Environment#isSuccess} holds exactly when {@link #isMet} holds for
 * {@link Environment#goalError}.
 *
 * @param names      component names, snake_case, with the unit where it is not the task's arena units (e.g.
 *                   "block_angle_error_rad"); at least one, distinct
 * @param thresholds one per name, finite and &gt; 0
 */
public record GoalErrorSpec(List<String> names, double[] thresholds) {

    public GoalErrorSpec {
        names = List.copyOf(names);
        if (names.isEmpty() || names.size() != thresholds.length) {
            throw new IllegalArgumentException("a goal error needs at least one component and one threshold per "
                    + "name, got names " + names + " and " + thresholds.length + " thresholds");
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("goal error names must be distinct, got " + names);
        }
        thresholds = thresholds.clone();
        for (int i = 0; i < thresholds.length; i++) {
            if (!(thresholds[i] > 0) || Double.isInfinite(thresholds[i])) {
                throw new IllegalArgumentException("goal error threshold of " + names.get(i)
                        + " must be finite and > 0, got " + thresholds[i]);
            }
        }
    }

    /** A one-component metric: {@code name} below {@code threshold}. */
    public static GoalErrorSpec of(String name, double threshold) {
        return new GoalErrorSpec(List.of(name), new double[] {threshold});
    }

    /** The thresholds (a copy), one per name. */
    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** Number of components. */
    public int size() {
        return names.size();
    }

    /**
     * True if every error is strictly below its threshold: the task's success criterion.
     *
     * @throws IllegalArgumentException if {@code errors} does not have one value per name
     */
    public boolean isMet(double[] errors) {
        checkLength(errors);
        for (int i = 0; i < errors.length; i++) {
            if (!(errors[i] < thresholds[i])) {
                return false;
            }
        }
        return true;
    }

    /** The errors by name, in name order (unmodifiable). */
    public Map<String, Double> toMap(double[] errors) {
        checkLength(errors);
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < errors.length; i++) {
            m.put(names.get(i), errors[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    private void checkLength(double[] errors) {
        if (errors.length != names.size()) {
            throw new IllegalArgumentException("expected " + names.size() + " goal errors " + names + ", got "
                    + errors.length);
        }
    }
}
