package io.smwm.spark.cli;

import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.util.UserError;
import io.smwm.spark.hadoop.HadoopStore;
import io.smwm.spark.run.EvaluationRequest;
import io.smwm.spark.run.EvaluationRun;
import io.smwm.spark.run.HadoopRunDirs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code smwm evaluate}: plan toward goal images on held-out start/goal pairs; the paper's protocol. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Plan in latent space toward goal frames from held-out episodes (the paper's evaluation protocol) and write RUN/eval/report.{json,md,html} with plots.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run directory (with checkpoint/): a local path or a "
            + "Hadoop URI (file:, hdfs:, s3a:), whose committed checkpoint is copied to a local scratch directory.")
    String run;

    @Option(names = "--data", required = true, description = "The table the run was trained on (its held-out episodes give the pairs).")
    String data;

    @Option(names = "--episodes", defaultValue = "100", description = "Start/goal pairs per goal offset (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--planner", defaultValue = "cem", description = "cem or mppi (default: ${DEFAULT-VALUE}).")
    String planner;

    @Option(names = "--goal-offset", defaultValue = "25", description = "Env steps from start to goal (default: ${DEFAULT-VALUE}).")
    int goalOffset;

    @Option(names = "--goal-offsets", split = ",", description = "A horizon sweep, e.g. 25,40,55,70,85,100 (budget = 2 x offset).")
    List<Integer> goalOffsets;

    @Option(names = "--budget", description = "Env-step budget (default: 2 x goal offset, 50 for 25).")
    Integer budget;

    @Option(names = "--execute-steps", defaultValue = "5", description = "Model steps of each plan executed before "
            + "re-planning, 1..horizon (default: ${DEFAULT-VALUE}, the paper's whole 5-step plan = 25 env actions).")
    int executeSteps;

    @Option(names = "--plan-pick", defaultValue = "mean", description = "What each solve executes: mean (the "
            + "paper's CEM: the final sampling mean) or best (the lowest-cost candidate seen, when it beats the mean). "
            + "Default: ${DEFAULT-VALUE}.")
    String planPick;

    @Option(names = "--samples", description = "Planner candidates per iteration (default: the paper's 300).")
    Integer samples;

    @Option(names = "--iterations", description = "Planner iterations per solve (default: the paper's 30).")
    Integer iterations;

    @Option(names = "--noise-correlation", description = "AR(1) correlation ρ in [0, 1) of the planner's sampling "
            + "noise along each plan's primitive steps (default: 0, the paper's independent noise).")
    Double noiseCorrelation;

    @Option(names = "--inverse-weight", paramLabel = "B", description = "Add B times the inverse model's mean squared "
            + "residual along each candidate's rollout (h of each predicted transition against the action that made it, "
            + "normalised) to the planning cost (default: the run config's plan.inverseWeight, 0 unless set: the paper's "
            + "cost).")
    Double inverseWeight;

    @Option(names = "--ensemble", split = ",", paramLabel = "RUN", description = "Plan with an ensemble: "
            + "these runs' models beside --run's, the cost the sum of their costs (each whitened on its own), so a plan "
            + "must look good to every model. They must be trained on --data holding out the same episodes as --run "
            + "(train.splitSeed); local run directories, planned on the driver.")
    List<String> ensemble;

    @Option(names = "--record-states", description = "Keep every episode's executed env states and actions in "
            + "report.json (episodes[].states, episodes[].actions), to see where the plans went.")
    boolean recordStates;

    @Option(names = "--action-weight", paramLabel = "A", description = "Add A times each candidate's mean squared "
            + "normalised action to the planning cost (default: 0, the paper's cost).")
    Double actionWeight;

    @Option(names = "--clip-samples", arity = "1", paramLabel = "true|false", description = "Project every candidate "
            + "into the env's action box before the model sees it (default: the run config's plan.clipSamples for CEM, "
            + "false unless set, as the paper's code samples; true for MPPI). Executed actions are clipped either way.")
    Boolean clipSamples;

    @Option(names = "--cost-whitening", paramLabel = "F", description = "Plan with the squared distance to the goal "
            + "after a whitening of the latent fitted to the table's training frames, principal directions below F "
            + "times the largest variance floored at it; 0 = the paper's plain distance (default: the run config's "
            + "plan.costWhitening, 0 unless set).")
    Double costWhitening;

    @Option(names = "--seed", defaultValue = "0", description = "Evaluation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--min-goal-distance", paramLabel = "D", description = "Draw only pairs whose start is more "
            + "than D from the goal in the task's success metric (its first goal-error component, e.g. cube: m; "
            + "other components at the same multiple of their threshold), distinct pairs, an error if too few "
            + "exist. Default: every pair (the paper's protocol, unchanged draws).")
    Double minGoalDistance;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Set a task parameter that changes only the "
            + "success test, over the table's (repeatable): pusht: success_agent=true also wants the agent within 20 px "
            + "of the goal frame's agent, as the benchmark's code checks. Others are refused, naming those allowed.")
    Map<String, String> taskParams;

    @Option(names = "--out", description = "Report directory (default: RUN/eval): a local path or a Hadoop URI, "
            + "where the report appears whole (published atomically).")
    String out;

    @Option(names = "--overwrite", description = "Replace an existing report.")
    boolean overwrite;

    @Option(names = "--master", description = "Spread the episodes over Spark executors (local[2], spark://..., yarn); "
            + "the report equals the driver-only one for the same seed. Default: plan on the driver, no Spark.")
    String master;

    @Option(names = "--slices", description = "With --master: tasks per goal offset, each a contiguous slice of the "
            + "pairs (default: Spark's default parallelism).")
    Integer slices;

    @Option(names = "--skip-validation", description = "Do not validate the table first (for a table validated since "
            + "it last changed); the reader's per-row checks still apply.")
    boolean skipValidation;

    @Override
    public Integer call() throws Exception {
        PlannerConfig pc = switch (planner) {
            case "cem" -> PlannerConfig.cem();
            case "mppi" -> PlannerConfig.mppi();
            default -> throw new UserError("unknown --planner '" + planner + "'; valid: cem, mppi");
        };
        pc = switch (planPick) {
            case "mean" -> pc;
            case "best" -> pc.withReturnBest(true);
            default -> throw new UserError("unknown --plan-pick '" + planPick + "'; valid: mean, best");
        };
        try {
            pc = samples == null ? pc : pc.withSamples(samples);
            pc = iterations == null ? pc : pc.withIterations(iterations);
            pc = noiseCorrelation == null ? pc : pc.withNoiseCorrelation(noiseCorrelation);
            if (inverseWeight != null) {
                pc.withInverseWeight(inverseWeight); // checks the value; the request applies it (over the run's config)
            }
            pc = actionWeight == null ? pc : pc.withActionWeight(actionWeight);
        } catch (IllegalArgumentException e) {
            throw new UserError("--samples/--iterations/--noise-correlation/--inverse-weight/--action-weight: "
                    + e.getMessage());
        }
        List<Integer> offsets = goalOffsets == null || goalOffsets.isEmpty() ? List.of(goalOffset) : goalOffsets;
        EvaluationRequest req = new EvaluationRequest(Path.of("."), data, null, episodes, offsets, budget,
                executeSteps, seed, pc, master, slices, overwrite, skipValidation, minGoalDistance, clipSamples,
                costWhitening, inverseWeight, List.of(), false, taskParams);
        List<Path> members = new java.util.ArrayList<>();
        for (String m : ensemble == null ? List.<String>of() : ensemble) {
            if (HadoopStore.isUri(m)) throw new UserError("--ensemble takes local run directories, got " + m);
            members.add(Path.of(m));
        }
        if (HadoopStore.isUri(run) || (out != null && HadoopStore.isUri(out))) {
            if (!members.isEmpty())
                throw new UserError("--ensemble plans with local runs and reports; --run and --out must be local paths");
            HadoopRunDirs.Evaluated e = HadoopRunDirs.evaluate(req, run, out, System.out::println);
            ReportPrinter.print(e.outcome().report());
            System.out.printf("evaluated in %.0f s; report %s%n", e.outcome().wallSeconds(),
                    e.location() + "/report.html");
            return 0;
        }
        EvaluationRun.Outcome o = EvaluationRun.execute(new EvaluationRequest(Path.of(run), data,
                out == null ? null : Path.of(out), episodes, offsets, budget, executeSteps, seed, pc, master, slices,
                overwrite, skipValidation, minGoalDistance, clipSamples, costWhitening, inverseWeight, members,
                recordStates, taskParams),
                System.out::println);
        ReportPrinter.print(o.report());
        System.out.printf("evaluated in %.0f s; report %s%n", o.wallSeconds(), o.reportDir().resolve("report.html"));
        return 0;
    }
}
