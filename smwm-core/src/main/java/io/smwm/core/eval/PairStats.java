package io.smwm.core.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How hard one method's start/goal pairs at one goal offset were, and its success on the pairs that needed work.
 * A pair whose goal already meets the success criterion at the start (step 0) counts as a success for every
 * method, random included; these statistics leave such trivial pairs out.
 *
 * @param trivialPairs          pairs solved at the start ({@link EpisodeRecord#solvedAtStart})
 * @param nontrivialPairs       the other pairs: episodes − trivialPairs
 * @param successesNontrivial   successes among the non-trivial pairs: successes − trivialPairs
 * @param successRateNontrivial successesNontrivial / nontrivialPairs in [0, 1]; NaN when there are no non-trivial
 *                              pairs
 * @param stderrNontrivial      its binomial standard error sqrt(p(1 − p) / nontrivialPairs); NaN when there are no
 *                              non-trivial pairs
 * @param meanStartGoalError    per goal-error component name (in the env's order), the mean of the start state's
 *                              goal error over all the pairs, trivial ones included; empty without pairs
 */
public record PairStats(int trivialPairs, int nontrivialPairs, int successesNontrivial, double successRateNontrivial,
                        double stderrNontrivial, Map<String, Double> meanStartGoalError) {

    public PairStats {
        meanStartGoalError = Collections.unmodifiableMap(new LinkedHashMap<>(meanStartGoalError));
    }

    /**
     * The statistics of one method's episodes at one offset.
     *
     * @throws IllegalArgumentException if the episodes' goal errors do not all have the same components
     */
    public static PairStats of(List<EpisodeRecord> episodes) {
        int trivial = 0, nontrivial = 0, ok = 0;
        Map<String, Double> sum = new LinkedHashMap<>();
        for (EpisodeRecord e : episodes) {
            if (e.solvedAtStart()) {
                trivial++;
            } else {
                nontrivial++;
                ok += e.success() ? 1 : 0;
            }
            if (!sum.isEmpty() && !List.copyOf(sum.keySet()).equals(List.copyOf(e.startGoalError().keySet()))) {
                throw new IllegalArgumentException("pair " + e.pairId() + " has goal error components "
                        + e.startGoalError().keySet() + ", the others " + sum.keySet());
            }
            e.startGoalError().forEach((k, v) -> sum.merge(k, v, Double::sum));
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        int n = episodes.size();
        sum.forEach((k, v) -> mean.put(k, v / n));
        double p = nontrivial == 0 ? Double.NaN : ok / (double) nontrivial;
        double se = nontrivial == 0 ? Double.NaN : MethodResult.binomialStderr(p, nontrivial);
        return new PairStats(trivial, nontrivial, ok, p, se, mean);
    }

    /** The mean start-goal error for people, e.g. "agent_distance 0.3100" (components joined by ", "). */
    public String describeMeanStartGoalError() {
        if (meanStartGoalError.isEmpty()) {
            return "-";
        }
        StringJoiner j = new StringJoiner(", ");
        meanStartGoalError.forEach((k, v) -> j.add(k + " " + String.format(Locale.ROOT, "%.4g", v)));
        return j.toString();
    }
}
