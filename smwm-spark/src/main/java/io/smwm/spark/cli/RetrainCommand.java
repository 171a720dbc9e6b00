package io.smwm.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.spark.registry.ModelRegistry;
import io.smwm.spark.run.RetrainRequest;
import io.smwm.spark.run.RetrainRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code smwm retrain}: the scheduled-retraining job. Parses the options into a {@link RetrainRequest};
 * {@link RetrainRun} trains, evaluates, gates and commits. Exit 0 when the candidate was promoted,
 * {@value #REJECTED} when the gate rejected it, 1 on a failure, 2 on bad input.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scheduled retraining into a model registry: train a candidate (from scratch, or --warm-start "
                + "from the promoted model), evaluate it on the registry's fixed benchmark pairs, and promote it only "
                + "if the gate holds (no NaN/Inf loss, no collapse, success >= the promoted model's - tolerance, "
                + "optional floors). Writes REG/versions/vN/ with decision.json and prints the decision. Exit codes: "
                + "0 promoted, 3 rejected by the gate, 1 failure, 2 bad input.")
final class RetrainCommand implements Callable<Integer> {
    /** The exit code of a candidate the gate rejected. */
    static final int REJECTED = 3;

    @Option(names = "--registry", required = true, description = "The model registry directory (created when new or "
            + "empty): a local path, or a Hadoop URI (file:///..., hdfs://..., s3a://... with the s3 build profile); "
            + "versions appear only complete and current is replaced atomically on each (see README).")
    String registry;

    @Mixin
    TrainOptions train;

    @Option(names = "--warm-start", description = "Start the candidate from the promoted version's parameters (same "
            + "architecture; a fresh run with new Adam state). Default: from scratch; from scratch anyway while "
            + "nothing is promoted.")
    boolean warmStart;

    @Option(names = "--gate", description = "Gate thresholds (YAML: tolerance 0.05, minSuccess, minSuccessNontrivial, "
            + "maxValLoss; see docs/commands.md). Default: tolerance 0.05, no floors.")
    Path gate;

    @Option(names = "--eval-episodes", description = "Benchmark pairs, drawn on the registry's first retrain "
            + "(default: " + RetrainRequest.BenchmarkSpec.DEFAULT_EPISODES + "; later: the stored ones).")
    Integer evalEpisodes;

    @Option(names = "--goal-offset", description = "Benchmark goal offset in env steps, budget 2 x offset (default: "
            + RetrainRequest.BenchmarkSpec.DEFAULT_GOAL_OFFSET + "; later: the stored one).")
    Integer goalOffset;

    @Option(names = "--eval-seed", description = "Benchmark evaluation seed (default: 0; later: the stored one).")
    Long evalSeed;

    @Option(names = "--planner", description = "cem or mppi (default: cem; later: the stored one).")
    String planner;

    @Option(names = "--eval-samples", description = "Planner candidates per iteration (default: the paper's 300; "
            + "later: the stored value).")
    Integer evalSamples;

    @Option(names = "--eval-iterations", description = "Planner iterations per solve (default: the paper's 30; "
            + "later: the stored value).")
    Integer evalIterations;

    @Option(names = "--benchmark-data", description = "Draw the benchmark pairs from every episode of this table (one "
            + "kept out of training). Default: the held-out episodes of the first candidate's --data.")
    String benchmarkData;

    @Option(names = "--eval-master", description = "Spread the benchmark evaluation over Spark executors (local[2], "
            + "spark://..., yarn). Default: plan on the driver.")
    String evalMaster;

    @Option(names = "--eval-slices", description = "With --eval-master: tasks (default: Spark's default parallelism).")
    Integer evalSlices;

    @Override
    public Integer call() throws Exception {
        RetrainRequest req = new RetrainRequest(registry, train.request(null, false, false, false, true), warmStart, gate,
                new RetrainRequest.BenchmarkSpec(evalEpisodes, goalOffset, evalSeed, planner, evalSamples,
                        evalIterations, benchmarkData), evalMaster, evalSlices);
        RetrainRun.Outcome o = RetrainRun.execute(req, System.out::println);
        if (o.report() != null) ReportPrinter.print(o.report());
        ModelRegistry.Version v = o.version();
        System.out.println("decision for " + v.name() + ": " + o.decision().summary());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(v.decision()));
        System.out.println("current: " + o.current().map(ModelRegistry.Version::name).orElse("none") + " ("
                + v.location() + "/" + ModelRegistry.DECISION + ")");
        return o.promoted() ? 0 : REJECTED;
    }
}
