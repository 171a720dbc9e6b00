package io.smwm.spark.cli;

import io.smwm.data.convert.ImportOptions;
import io.smwm.data.convert.Importers;
import io.smwm.data.convert.TableImporter;
import io.smwm.data.table.TableMetadata;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smwm import}: a dataset in an outside format → a trajectory table. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Import a dataset (LeRobot v3 Parquet, stable-worldmodel/LeWM HDF5, Minari HDF5) as a trajectory "
                + "table; a malformed source is refused naming what is missing, and nothing is left at --out.")
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "Source format: lerobot, lewm-hdf5, minari.")
    String from;

    @Parameters(index = "0", paramLabel = "SRC", description = "The dataset: a LeRobot directory, an HDF5 file, a "
            + "Minari dataset directory (or its main_data.hdf5).")
    String src;

    @Option(names = "--out", required = true, description = "The table to write (any Hadoop path).")
    String out;

    @Option(names = "--image-size", description = "Resize frames to SIZE x SIZE (bilinear).")
    Integer imageSize;

    @Option(names = "--image-key", description = "The image dataset or column (default: the format's, or the only one).")
    String imageKey;

    @Option(names = "--state-keys", split = ",", description = "Datasets or columns concatenated into observation_state.")
    List<String> stateKeys;

    @Option(names = "--env", description = "Env id recorded in the table (default: FORMAT:NAME).")
    String env;

    @Option(names = "--frameskip", defaultValue = "5", description = "Primitive steps per model step, recorded (default: ${DEFAULT-VALUE}).")
    int frameskip;

    @Option(names = "--episodes-per-file", defaultValue = "50", description = "Episodes per part file (default: ${DEFAULT-VALUE}).")
    int episodesPerFile;

    @Option(names = "--overwrite", description = "Replace an existing table at --out.")
    boolean overwrite;

    @Override
    public Integer call() {
        TableImporter importer = Importers.byId(from);
        ImportOptions o = new ImportOptions(imageSize, imageKey, stateKeys, env, frameskip, episodesPerFile, overwrite);
        long t0 = System.nanoTime();
        TableMetadata md = Importers.run(importer, new Configuration(), src, out, o);
        System.out.printf("imported %d episodes, %d frames (%dx%d) from %s (%s) to %s in %.1f s%n", md.episodes(),
                md.frames(), md.image().height(), md.image().width(), src, from, out, (System.nanoTime() - t0) / 1e9);
        System.out.println("fingerprint " + md.fingerprint());
        return 0;
    }
}
