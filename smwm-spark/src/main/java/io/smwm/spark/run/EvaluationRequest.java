package io.smwm.spark.run;

import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.plan.PlannerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to evaluate and how: everything {@code smwm evaluate} takes, as one value.
 *
 * @param run            the run directory (with checkpoint/)
 * @param data           the table the run was trained on (its held-out episodes give the pairs)
 * @param out            the report directory; null: RUN/eval
 * @param episodes       start/goal pairs per goal offset
 * @param goalOffsets    env steps from start to goal, one or a sweep
 * @param budget         env-step budget for a single offset; null: 2 × offset
 * @param executeSteps   model steps of each plan executed before re-planning, 1..horizon
 * @param seed           evaluation seed
 * @param planner        the planner (CEM or MPPI with its settings)
 * @param master         Spark master to spread the pairs over executors; null: plan on the driver
 * @param slices         with a master: tasks per goal offset; null: Spark's default parallelism
 * @param overwrite      replace an existing report
 * @param skipValidation do not validate the table first
 * @param minGoalDistance draw only pairs whose start is farther than this from the goal in the task's own success
 *                        metric (units of its first goal-error component; see
 *                        {@link io.smwm.core.eval.MinGoalDistance}); null: every pair, the paper's protocol
 * @param clipSamples    whether the planner projects its candidates into the action box; null: as the run's config
 *                        says ({@code plan.clipSamples}, CEM only: MPPI keeps {@code planner}'s setting)
 * @param costWhitening  the planning cost's whitening floor (0: off, the paper's cost; see
 *                        {@link PlannerConfig#costWhitening}); null: as the run's config says ({@code plan.costWhitening})
 *                        unless {@code planner} sets one
 * @param inverseWeight  β of the planning cost's inverse-model penalty (0: off; see
 *                        {@link PlannerConfig#inverseWeight}); null: as the run's config says ({@code plan.inverseWeight})
 *                        unless {@code planner} sets one
 * @param ensemble       further run directories whose models plan together with {@code run}'s as one ensemble
 *                        ({@link io.smwm.core.plan.EnsembleLatentModel}: the cost is the sum of the members' costs);
 *                        they must have been trained on {@code data} with the same held-out episodes; empty: {@code run}
 *                        alone. Plans on the driver only
 * @param recordStates   keep every episode's executed env states and actions in the report
 *                        ({@link io.smwm.core.eval.EvalConfig#recordStates()})
 * @param taskParams     task params set over the table's for this evaluation, only those that change the success
 *                        test alone ({@link io.smwm.core.env.catalog.Environments#withEvaluationParams}, e.g. Push-T's
 *                        {@code success_agent}); empty: the table's task as recorded
 */
public record EvaluationRequest(Path run, String data, Path out, int episodes, List<Integer> goalOffsets,
                                Integer budget, int executeSteps, long seed, PlannerConfig planner, String master,
                                Integer slices, boolean overwrite, boolean skipValidation, Double minGoalDistance,
                                Boolean clipSamples, Double costWhitening, Double inverseWeight,
                                List<Path> ensemble, boolean recordStates, Map<String, String> taskParams) {
    public EvaluationRequest {
        goalOffsets = List.copyOf(goalOffsets);
        ensemble = ensemble == null ? List.of() : List.copyOf(ensemble);
        taskParams = taskParams == null ? Map.of() : Map.copyOf(taskParams);
    }

    /** A request on the table's task as recorded (no task params set). */
    public EvaluationRequest(Path run, String data, Path out, int episodes, List<Integer> goalOffsets,
                             Integer budget, int executeSteps, long seed, PlannerConfig planner, String master,
                             Integer slices, boolean overwrite, boolean skipValidation, Double minGoalDistance,
                             Boolean clipSamples, Double costWhitening, Double inverseWeight,
                             List<Path> ensemble, boolean recordStates) {
        this(run, data, out, episodes, goalOffsets, budget, executeSteps, seed, planner, master, slices, overwrite,
                skipValidation, minGoalDistance, clipSamples, costWhitening, inverseWeight, ensemble, recordStates,
                Map.of());
    }

    /** A request that plans with {@code run}'s model alone. */
    public EvaluationRequest(Path run, String data, Path out, int episodes, List<Integer> goalOffsets,
                             Integer budget, int executeSteps, long seed, PlannerConfig planner, String master,
                             Integer slices, boolean overwrite, boolean skipValidation, Double minGoalDistance,
                             Boolean clipSamples, Double costWhitening, Double inverseWeight) {
        this(run, data, out, episodes, goalOffsets, budget, executeSteps, seed, planner, master, slices, overwrite,
                skipValidation, minGoalDistance, clipSamples, costWhitening, inverseWeight, List.of(), false);
    }

    /**
     * A request that draws every pair (no minimum start-goal distance) and clips and measures the cost as the run's
     * config says.
     */
    public EvaluationRequest(Path run, String data, Path out, int episodes, List<Integer> goalOffsets,
                             Integer budget, int executeSteps, long seed, PlannerConfig planner, String master,
                             Integer slices, boolean overwrite, boolean skipValidation) {
        this(run, data, out, episodes, goalOffsets, budget, executeSteps, seed, planner, master, slices, overwrite,
                skipValidation, null, null, null, null);
    }

    /**
     * The planner this request plans with for a run configured as {@code cfg}: {@link #planner()} with
     * {@link #clipSamples()} applied, or where that is null and the planner is CEM, clipping if the planner already
     * does or the run's {@code plan.clipSamples} asks for it; with {@link #costWhitening()} applied, or where that
     * is null and the planner sets none, the run's {@code plan.costWhitening}; and the same for {@link #inverseWeight()}
     * and {@code plan.inverseWeight}.
     */
    public PlannerConfig plannerFor(ExperimentConfig cfg) {
        PlannerConfig p = planner;
        if (clipSamples != null) {
            p = p.withClipSamples(clipSamples);
        } else if ("cem".equals(p.method()) && cfg.plan().clipSamples()) {
            p = p.withClipSamples(true);
        }
        if (costWhitening != null) {
            p = p.withCostWhitening(costWhitening);
        } else if (p.costWhitening() == 0) {
            p = p.withCostWhitening(cfg.plan().costWhitening());
        }
        if (inverseWeight != null) {
            p = p.withInverseWeight(inverseWeight);
        } else if (p.inverseWeight() == 0) {
            p = p.withInverseWeight(cfg.plan().inverseWeight());
        }
        return p;
    }

    /** The report directory: {@code out}, else RUN/eval. */
    public Path reportDir() {
        return out != null ? out : run.resolve("eval");
    }
}
