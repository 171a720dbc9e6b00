package io.smwm.core.eval;

import java.util.List;

/**
 * Where evaluation start/goal pairs come from, one goal offset per source (a goal-offset sweep passes one source
 * per offset). The table-backed source draws them from held-out episodes of a trajectory table; tests use
 * {@link SimulatedPairSource}.
 */
public interface PairSource {

    /** Env steps between start and goal of every pair this source yields. */
    int goalOffset();

    /** {@code n} pairs chosen with {@code seed}: the same (n, seed) gives the same pairs, in the same order. */
    List<StartGoalPair> sample(int n, long seed);

    /** Where the pairs come from, for the report's provenance (e.g. table path and fingerprint, split). */
    String description();

    /**
     * The bound this source's pairs were filtered by ({@code --min-goal-distance}): every pair it yields is
     * admitted by it; null (the default) when pairs are drawn without regard to their start-goal distance.
     */
    default MinGoalDistance minGoalDistance() {
        return null;
    }
}
