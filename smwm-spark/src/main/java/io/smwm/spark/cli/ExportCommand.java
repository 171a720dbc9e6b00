package io.smwm.spark.cli;

import io.smwm.core.util.UserError;
import io.smwm.data.convert.LeRobotExporter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smwm export}: a trajectory table → a dataset in an outside format. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Export a trajectory table as a LeRobot v3 dataset (PNG images in Parquet).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--to", required = true, description = "Target format: lerobot.")
    String to;

    @Parameters(index = "0", paramLabel = "TABLE", description = "The table to export.")
    String table;

    @Option(names = "--out", required = true, description = "The dataset directory to write.")
    String out;

    @Option(names = "--fps", defaultValue = "10", description = "Frames per second recorded (default: ${DEFAULT-VALUE}).")
    int fps;

    @Option(names = "--overwrite", description = "Replace an existing dataset at --out.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (!"lerobot".equals(to)) {
            throw new UserError("--to " + to + " is not a known format; choose one of [lerobot]");
        }
        long t0 = System.nanoTime();
        long frames = LeRobotExporter.export(new Configuration(), table, out, fps, overwrite);
        System.out.printf("exported %d frames of %s to %s (LeRobot v3.0) in %.1f s%n", frames, table, out,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
