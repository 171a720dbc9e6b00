package io.smwm.spark.cli;

import io.smwm.data.maintain.ReportEpisodes;
import io.smwm.data.maintain.TableAppender;
import io.smwm.data.maintain.TableFinalizer;
import io.smwm.data.table.TableMetadata;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smwm table finalize|append|from-report}: tables written by one's own jobs or from an evaluation. */
@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Maintain tables: finalize (metadata from the data), append (add episodes), from-report (the "
                + "episodes an evaluation's planner executed).",
        subcommands = {TableCommand.Finalize.class, TableCommand.Append.class, TableCommand.FromReport.class})
final class TableCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "finalize", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Build meta/info.json and meta/stats.json (fingerprint included) from the data of a table "
                    + "written with df.write.parquet(PATH/data); Spark's part-file names are accepted. The table is "
                    + "validated; if it is not valid no metadata is kept.")
    static final class Finalize implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PATH", description = "The table directory.")
        String path;

        @Option(names = "--env", defaultValue = "custom", description = "Env id to record (default: ${DEFAULT-VALUE}).")
        String env;

        @Option(names = "--variant", defaultValue = "default", description = "Env variant to record (default: ${DEFAULT-VALUE}).")
        String variant;

        @Option(names = "--frameskip", defaultValue = "5", description = "Primitive steps per model step (default: ${DEFAULT-VALUE}).")
        int frameskip;

        @Option(names = "--image-height", description = "Frame height (default: square from the byte length).")
        Integer height;

        @Option(names = "--image-width", description = "Frame width (default: square from the byte length).")
        Integer width;

        @Option(names = "--force", description = "Rebuild existing metadata.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            TableMetadata md = TableFinalizer.finalizeTable(new Configuration(), path,
                    new TableFinalizer.Options(env, variant, frameskip, height, width, force));
            System.out.printf("finalized %s: %d episodes, %d frames, %d files, %dx%d images, steps_per_episode %d%n",
                    path, md.episodes(), md.frames(), md.files().size(), md.image().height(), md.image().width(),
                    md.stepsPerEpisode());
            System.out.println("fingerprint " + md.fingerprint());
            return 0;
        }
    }

    @Command(name = "append", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Add the episodes of table SRC to TABLE. Env, image size, dimensions and frameskip must "
                    + "agree; SRC's episodes are renumbered to follow TABLE's. TABLE's meta/info.json is replaced last "
                    + "(the commit point).")
    static final class Append implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SRC", description = "The table whose episodes are added.")
        String src;

        @Option(names = "--to", required = true, description = "The table to add them to.")
        String table;

        @Override
        public Integer call() throws Exception {
            TableAppender.Result r = TableAppender.append(new Configuration(), src, table);
            System.out.printf("appended %d episodes of %s to %s as episodes %d..%d (%s); now %d episodes%n",
                    r.last() - r.first() + 1, src, table, r.first(), r.last(), String.join(", ", r.newFiles()),
                    r.metadata().episodes());
            System.out.println("fingerprint " + r.metadata().fingerprint());
            return 0;
        }
    }

    @Command(name = "from-report", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write the episodes an evaluation executed (evaluate --record-states) as a new table: each "
                    + "starts at its pair's start row of TABLE, the recorded actions are replayed in the task's env "
                    + "and every frame is rendered anew; a replay that departs from the recorded states is refused "
                    + "and nothing is written.")
    static final class FromReport implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REPORT", description = "report.json, or the report directory.")
        String report;

        @Option(names = "--data", required = true, description = "The table the report was evaluated on.")
        String table;

        @Option(names = "--out", required = true, description = "The new table.")
        String out;

        @Option(names = "--method", description = "Whose episodes: cem, mppi or random (default: the report's planner).")
        String method;

        @Option(names = "--episodes-per-file", defaultValue = "50", description = "Episodes per data file (default: ${DEFAULT-VALUE}).")
        int episodesPerFile;

        @Option(names = "--overwrite", description = "Replace an existing table at --out.")
        boolean overwrite;

        @Override
        public Integer call() throws Exception {
            ReportEpisodes.Result r = ReportEpisodes.write(new Configuration(), report, table, out, method, overwrite,
                    episodesPerFile);
            System.out.printf("wrote %d episodes (%d solved, %d steps) of %s to %s%n", r.metadata().episodes(),
                    r.solved(), r.steps(), report, out);
            System.out.println("fingerprint " + r.metadata().fingerprint());
            return 0;
        }
    }
}
