package io.smwm.core.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Summary of one method at one goal offset.
 *
 * @param method            controller name
 * @param goalOffset        goal offset of the pairs
 * @param budget            env-step budget
 * @param episodes          n
 * @param successes         episodes that succeeded
 * @param successRate       successes / n, in [0, 1]
 * @param stderr            binomial standard error sqrt(p(1 − p) / n)
 * @param planMsMedian      median amortised planning time per solve (ms; batch time / episodes in the batch);
 *                          NaN for baselines
 * @param meanFinalStateDistance mean final distance to the goal (the first goal-error component, see
 *                          {@link EpisodeRecord#finalStateDistance})
 * @param stateCurveMean    mean distance to the goal (task metric) per step [budget + 1]
 * @param stateCurveStderr  its standard error per step
 * @param latentCurveMean   mean latent distance per step, or null
 * @param latentCurveStderr its standard error, or null
 * @param pairStats         pairs solved at the start, success on the others, mean start-goal error
 */
public record MethodResult(String method, int goalOffset, int budget, int episodes, int successes,
                           double successRate, double stderr, double planMsMedian, double meanFinalStateDistance,
                           double[] stateCurveMean, double[] stateCurveStderr, double[] latentCurveMean,
                           double[] latentCurveStderr, PairStats pairStats) {

    /** Summarises one method's episodes at one offset (all with the same budget). */
    public static MethodResult of(String method, int goalOffset, int budget, List<EpisodeRecord> eps) {
        int n = eps.size();
        int s = (int) eps.stream().filter(EpisodeRecord::success).count();
        double p = n == 0 ? 0 : s / (double) n;
        double[] ms = eps.stream().flatMapToDouble(e -> Arrays.stream(e.planMs())).sorted().toArray();
        double med = ms.length == 0 ? Double.NaN
                : ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
        double fin = eps.stream().mapToDouble(EpisodeRecord::finalStateDistance).average().orElse(Double.NaN);
        double[][] st = curveStats(eps.stream().map(EpisodeRecord::stateCurve).toList(), budget);
        boolean lat = !eps.isEmpty() && eps.stream().allMatch(e -> e.latentCurve() != null);
        double[][] lc = lat ? curveStats(eps.stream().map(EpisodeRecord::latentCurve).toList(), budget) : null;
        return new MethodResult(method, goalOffset, budget, n, s, p, binomialStderr(p, n), med, fin, st[0], st[1],
                lc == null ? null : lc[0], lc == null ? null : lc[1], PairStats.of(eps));
    }

    /**
     * One line for people, e.g. {@code cem    offset 25: 241/300 = 80.3 % ± 2.3 (non-trivial 230/289 = 79.6 % ± 2.4);
     * 11 pairs solved at start; mean start-goal error agent_distance 0.3100}.
     */
    public String describe() {
        PairStats ps = pairStats;
        String nontrivial = ps.nontrivialPairs() == 0 ? "none"
                : String.format(Locale.ROOT, "%d/%d = %.1f %% ± %.1f", ps.successesNontrivial(), ps.nontrivialPairs(),
                        100 * ps.successRateNontrivial(), 100 * ps.stderrNontrivial());
        return String.format(Locale.ROOT, "%-6s offset %d: %d/%d = %.1f %% ± %.1f (non-trivial %s); %d %s solved at "
                        + "start; mean start-goal error %s", method, goalOffset, successes, episodes, 100 * successRate,
                100 * stderr, nontrivial, ps.trivialPairs(), ps.trivialPairs() == 1 ? "pair" : "pairs",
                ps.describeMeanStartGoalError());
    }

    /** sqrt(p(1 − p) / n); 0 for n = 0. */
    public static double binomialStderr(double p, int n) {
        return n == 0 ? 0 : Math.sqrt(p * (1 - p) / n);
    }

    private static double[][] curveStats(List<float[]> curves, int budget) {
        double[] mean = new double[budget + 1], se = new double[budget + 1];
        int n = curves.size();
        for (int t = 0; t <= budget; t++) {
            double sum = 0, sq = 0;
            for (float[] c : curves) {
                sum += c[t];
                sq += c[t] * (double) c[t];
            }
            mean[t] = n == 0 ? Double.NaN : sum / n;
            double var = n > 1 ? Math.max(0, (sq - n * mean[t] * mean[t]) / (n - 1)) : 0;
            se[t] = n == 0 ? Double.NaN : Math.sqrt(var / n);
        }
        return new double[][] {mean, se};
    }
}
