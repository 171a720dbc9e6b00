package io.smwm.core.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a planning method's episodes failed at one goal offset, from each failed episode's two predicted costs
 * (see {@link EpisodeRecord#demoCost}).
 *
 * @param failures    failed episodes
 * @param search      of those, demo_cost &lt; first_plan_cost: the model rates the recorded route to the goal better
 *                    than the planner's first plan, so the planner missed a route the model knows
 * @param model       demo_cost &gt;= first_plan_cost: the model rates a plan that does not work at least as well as
 *                    the route that does
 * @param undiagnosed either cost unknown (no recorded route, or a goal offset other than the plan's length)
 * @param predictedMedian over the failed episodes whose first plan was executed to its end: the median of the
 *                    model's predicted cost of that plan ({@link EpisodeRecord#firstPlanCost}); NaN when there are none
 * @param realisedMedian over the same episodes: the median cost the frame reached by the plan actually has
 *                    ({@link EpisodeRecord#firstPlanRealisedCost}). Far above {@code predictedMedian}: the model
 *                    promises ends its plans do not reach (its predictions are wrong for the planner's actions)
 * @param realisedCount the number of those episodes
 */
public record FailureDiagnosis(int failures, int search, int model, int undiagnosed, double predictedMedian,
                               double realisedMedian, int realisedCount) {

    /** A diagnosis without the realised costs. */
    public FailureDiagnosis(int failures, int search, int model, int undiagnosed) {
        this(failures, search, model, undiagnosed, Double.NaN, Double.NaN, 0);
    }

    /** The diagnosis of {@code method}'s episodes at {@code goalOffset}, or null when that method does not plan. */
    public static FailureDiagnosis of(List<EpisodeRecord> episodes, String method, int goalOffset) {
        List<EpisodeRecord> mine = episodes.stream()
                .filter(e -> e.method().equals(method) && e.goalOffset() == goalOffset).toList();
        if (mine.stream().noneMatch(e -> e.planCosts() != null && e.planCosts().length > 0)) {
            return null;
        }
        int failures = 0, search = 0, model = 0, unknown = 0;
        List<Double> predicted = new ArrayList<>(), realised = new ArrayList<>();
        for (EpisodeRecord e : mine) {
            if (e.success()) {
                continue;
            }
            failures++;
            if (Double.isFinite(e.firstPlanCost()) && Double.isFinite(e.firstPlanRealisedCost())) {
                predicted.add(e.firstPlanCost());
                realised.add(e.firstPlanRealisedCost());
            }
            double demo = e.demoCost(), plan = e.firstPlanCost();
            if (!Double.isFinite(demo) || !Double.isFinite(plan)) {
                unknown++;
            } else if (demo < plan) {
                search++;
            } else {
                model++;
            }
        }
        return new FailureDiagnosis(failures, search, model, unknown, median(predicted), median(realised),
                realised.size());
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * The report.json object: {failures, search, model, undiagnosed, first_plan_cost_median,
     * first_plan_realised_cost_median, realised_episodes} (stable keys; the medians null when unknown).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failures", failures);
        m.put("search", search);
        m.put("model", model);
        m.put("undiagnosed", undiagnosed);
        m.put("first_plan_cost_median", Double.isFinite(predictedMedian) ? predictedMedian : null);
        m.put("first_plan_realised_cost_median", Double.isFinite(realisedMedian) ? realisedMedian : null);
        m.put("realised_episodes", realisedCount);
        return m;
    }

    /**
     * One line for people, e.g. "cem at offset 25, failures: 2 search (...), 1 model (...), 0 undiagnosed", and
     * where known "; their first plans: predicted cost (median) 0.09, reached 2.9 (n episodes)".
     */
    public String describe(String method, int goalOffset) {
        String line = String.format("%s at offset %d, failures: %d search (the model rates the recorded route to the goal "
                + "better than the first plan), %d model (it does not), %d undiagnosed", method, goalOffset, search,
                model, undiagnosed);
        if (realisedCount > 0) {
            line += String.format("; their first plans (%d run to the end): predicted cost %.3g, reached %.3g (medians)",
                    realisedCount, predictedMedian, realisedMedian);
        }
        return line;
    }
}
