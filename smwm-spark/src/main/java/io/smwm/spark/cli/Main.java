package io.smwm.spark.cli;

import io.smwm.spark.run.SparkSessions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The smwm command line. Run through ./smwm locally or with
 * {@code spark-submit --class io.smwm.spark.cli.Main smwm.jar <command> ...} on a cluster.
 */
@Command(name = "smwm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Sensorimotor world models on Spark: generate and check trajectory tables, train, plan, evaluate.",
        subcommands = {GenerateCommand.class, ValidateCommand.class, InspectCommand.class, RenderCommand.class,
                TrainCommand.class, RetrainCommand.class, RegistryCommand.class, DiagnoseCommand.class, EvaluateCommand.class, CompareCommand.class, QuickstartCommand.class, ToyCommand.class, BenchmarkCommand.class,
                ImportCommand.class, ExportCommand.class, TableCommand.class, EmbedCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static volatile boolean verbose;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and more detail on errors.")
    void setVerbose(boolean v) {
        verbose = v;
        if (v) {
            SparkSessions.verboseLogging();
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 user error or usage; retrain: 3 rejected). */
    public static int run(String... args) {
        verbose = false; // set again by --verbose while parsing
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new CliErrors());
        return cl.execute(args);
    }

    public static void main(String[] args) throws org.apache.spark.SparkUserAppException {
        int code = run(args);
        if (inYarnClusterDriver(System.getProperty("spark.master"), System.getProperty("spark.submit.deployMode"))) {
            // YARN's ApplicationMaster runs this main in a thread and reports FAILED ("shutdown hook called before
            // final status was reported") for any System.exit, 0 included: return normally on success, and hand it
            // the exit code otherwise, which it records in the application's diagnostics
            if (code != 0) throw new org.apache.spark.SparkUserAppException(code);
            return;
        }
        System.exit(code);
    }

    /** Whether this JVM is a driver that spark-submit started inside a YARN ApplicationMaster (cluster deploy mode). */
    static boolean inYarnClusterDriver(String master, String deployMode) {
        return master != null && master.startsWith("yarn") && "cluster".equals(deployMode);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"smwm " + io.smwm.core.util.Version.current()};
        }
    }
}
