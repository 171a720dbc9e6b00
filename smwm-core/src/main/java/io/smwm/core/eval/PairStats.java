package io.smwm.core.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
 * @param successByStartError   per goal-error component name, the pairs cut into {@value #ERROR_BINS} bins of equal
 *                              size by that component's start error (smallest first; ties go by pair order), with the
 *                              successes in each: which pairs fail, e.g. the far turns or the far moves; all pairs,
 *                              trivial ones included; empty without pairs
 */
public record PairStats(int trivialPairs, int nontrivialPairs, int successesNontrivial, double successRateNontrivial,
                        double stderrNontrivial, Map<String, Double> meanStartGoalError,
                        Map<String, List<ErrorBin>> successByStartError) {

    /** Bins of {@link #successByStartError}: quartiles of the pairs. */
    public static final int ERROR_BINS = 4;

    /**
     * Pairs whose start error in one goal-error component lies in [from, to] (the bin's smallest and largest value),
     * and how many of them the method solved.
     */
    public record ErrorBin(double from, double to, int pairs, int successes) {
        /** successes / pairs. */
        public double successRate() {
            return pairs == 0 ? Double.NaN : successes / (double) pairs;
        }
    }

    public PairStats {
        meanStartGoalError = Collections.unmodifiableMap(new LinkedHashMap<>(meanStartGoalError));
        Map<String, List<ErrorBin>> bins = new LinkedHashMap<>();
        successByStartError.forEach((k, v) -> bins.put(k, List.copyOf(v)));
        successByStartError = Collections.unmodifiableMap(bins);
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
        Map<String, List<ErrorBin>> bins = new LinkedHashMap<>();
        for (String k : mean.keySet()) {
            bins.put(k, bins(episodes, k));
        }
        return new PairStats(trivial, nontrivial, ok, p, se, mean, bins);
    }

    /** The episodes sorted by component k's start error (stable), cut into up to ERROR_BINS bins of equal size. */
    private static List<ErrorBin> bins(List<EpisodeRecord> episodes, String k) {
        List<EpisodeRecord> sorted = new ArrayList<>(episodes);
        sorted.sort(Comparator.comparingDouble(e -> e.startGoalError().get(k)));
        int n = sorted.size(), b = Math.min(ERROR_BINS, n);
        List<ErrorBin> out = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            int from = i * n / b, to = (i + 1) * n / b, ok = 0;
            for (int j = from; j < to; j++) {
                ok += sorted.get(j).success() ? 1 : 0;
            }
            out.add(new ErrorBin(sorted.get(from).startGoalError().get(k), sorted.get(to - 1).startGoalError().get(k),
                    to - from, ok));
        }
        return out;
    }

    /**
     * Successes per quartile of the start error for people, one clause per component joined by "; ", e.g.
     * "by start block_angle_error_rad (from 0 / 0.3 / 0.65 / 1.1): 21/75 4/75 4/75 4/75"; "-" without pairs.
     */
    public String describeSuccessByStartError() {
        if (successByStartError.isEmpty()) {
            return "-";
        }
        StringJoiner j = new StringJoiner("; ");
        successByStartError.forEach((k, bins) -> {
            StringJoiner from = new StringJoiner(" / "), counts = new StringJoiner(" ");
            bins.forEach(b -> {
                from.add(String.format(Locale.ROOT, "%.3g", b.from()));
                counts.add(b.successes() + "/" + b.pairs());
            });
            j.add("by start " + k + " (from " + from + "): " + counts);
        });
        return j.toString();
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
