package io.smwm.core.eval;

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
 */
public record FailureDiagnosis(int failures, int search, int model, int undiagnosed) {

    /** The diagnosis of {@code method}'s episodes at {@code goalOffset}, or null when that method does not plan. */
    public static FailureDiagnosis of(List<EpisodeRecord> episodes, String method, int goalOffset) {
        List<EpisodeRecord> mine = episodes.stream()
                .filter(e -> e.method().equals(method) && e.goalOffset() == goalOffset).toList();
        if (mine.stream().noneMatch(e -> e.planCosts() != null && e.planCosts().length > 0)) {
            return null;
        }
        int failures = 0, search = 0, model = 0, unknown = 0;
        for (EpisodeRecord e : mine) {
            if (e.success()) {
                continue;
            }
            failures++;
            double demo = e.demoCost(), plan = e.firstPlanCost();
            if (!Double.isFinite(demo) || !Double.isFinite(plan)) {
                unknown++;
            } else if (demo < plan) {
                search++;
            } else {
                model++;
            }
        }
        return new FailureDiagnosis(failures, search, model, unknown);
    }

    /** The report.json object: {failures, search, model, undiagnosed} (stable keys). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failures", failures);
        m.put("search", search);
        m.put("model", model);
        m.put("undiagnosed", undiagnosed);
        return m;
    }

    /** One line for people, e.g. "cem at offset 25, failures: 2 search (...), 1 model (...), 0 undiagnosed". */
    public String describe(String method, int goalOffset) {
        return String.format("%s at offset %d, failures: %d search (the model rates the recorded route to the goal "
                + "better than the first plan), %d model (it does not), %d undiagnosed", method, goalOffset, search,
                model, undiagnosed);
    }
}
