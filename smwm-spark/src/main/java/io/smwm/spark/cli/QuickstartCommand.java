package io.smwm.spark.cli;

import io.smwm.spark.run.Quickstart;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code smwm quickstart}: the whole pipeline on one machine: generate a small table of one task with its default
 * data policy on embedded Spark, train a world model on it, evaluate planning toward goal images against the
 * random policy, print the table.
 *
 * <p>Training uses the bundled config named like the task ({@code --config <env>}) when there is one, else no
 * {@code --config}: train then picks the defaults sized to the table. TwoRoom runs exactly as it always has: its
 * table, {@code --config tworoom}, output under {@value Quickstart#TWOROOM_OUT}.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate a small table (TwoRoom by default), train, evaluate (SMWM vs random) and print the "
                + "success table.")
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--env", defaultValue = "tworoom", description = "Task: tworoom, reacher, pusht or cube "
            + "(default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--out", description = "Where everything lands: OUT/table, OUT/run (default: " + Quickstart.TWOROOM_OUT
            + " for tworoom, runs/quickstart-<env> otherwise).")
    Path out;

    @Option(names = "--episodes", description = "Episodes to generate (default: 300; 600 for reacher and cube).")
    Integer episodes;

    @Option(names = "--epochs", description = "Training epochs (default: 2; 3 for reacher and cube).")
    Integer epochs;

    @Option(names = "--eval-episodes", defaultValue = "50", description = "Start/goal pairs to evaluate (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--seed", defaultValue = "7", description = "Root seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an earlier quickstart under --out.")
    boolean overwrite;

    /** The pipeline these options ask for. */
    Quickstart.Plan plan() {
        return Quickstart.plan(env, out != null ? out : Quickstart.defaultDir(env), episodes, epochs, evalEpisodes,
                seed, overwrite);
    }

    @Override
    public Integer call() throws Exception {
        Quickstart.Outcome o = Quickstart.run(plan(), System.out::println);
        TrainCommand.printDone(o.train().result());
        ReportPrinter.print(o.evaluation().report());
        System.out.printf("evaluated in %.0f s; report %s%n", o.evaluation().wallSeconds(),
                o.evaluation().reportDir().resolve("report.html"));
        return 0;
    }
}
