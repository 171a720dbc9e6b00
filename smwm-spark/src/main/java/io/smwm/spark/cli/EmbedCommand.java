package io.smwm.spark.cli;

import io.smwm.spark.run.SparkSessions;
import io.smwm.core.util.UserError;
import io.smwm.data.table.TrajectorySchema;
import io.smwm.spark.ml.SmwmEncoder;
import io.smwm.spark.ml.SmwmTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code smwm embed}: the latents of a table's frames, with {@link SmwmEncoder}, written as Parquet. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Encode every frame of a table with a run's encoder (Spark; embedded local[*] by default) and "
                + "write Parquet: episode_index, frame_index, latent array<float> (and action_estimate with --actions).")
final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run directory (its checkpoint/ is used).")
    Path run;

    @Option(names = "--data", required = true, description = "The table to embed.")
    String data;

    @Option(names = "--out", required = true, description = "Output Parquet directory (any Hadoop path).")
    String out;

    @Option(names = "--batch-size", defaultValue = "256", description = "Frames per encoder batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--actions", description = "Also write the inverse model's estimate of the frameskip actions from "
            + "each frame to the frame frameskip steps later (null on an episode's last frameskip frames).")
    boolean actions;

    @Option(names = "--master", description = "Spark master URL (default: from spark-submit, else local[*]).")
    String master;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Override
    public Integer call() {
        if (!Files.exists(run.resolve("checkpoint").resolve("manifest.json"))) {
            throw new UserError("--run " + run + " has no checkpoint (expected " + run.resolve("checkpoint/manifest.json")
                    + "); train first");
        }
        SmwmEncoder enc = SmwmEncoder.fromCheckpoint(run).setBatchSize(batchSize);
        if (actions) {
            enc.setActionCol("action_estimate");
        }
        SparkSession spark = SparkSessions.create("smwm embed " + data, master);
        try {
            long t0 = System.nanoTime();
            Dataset<Row> df = enc.transform(SmwmTables.read(spark, data));
            List<Column> cols = new ArrayList<>(List.of(df.col(TrajectorySchema.EPISODE_INDEX),
                    df.col(TrajectorySchema.FRAME_INDEX), functions.vector_to_array(df.col("latent"), "float32").as("latent")));
            if (actions) {
                Column a = df.col("action_estimate"); // null on an episode's last frameskip frames
                cols.add(org.apache.spark.sql.functions.when(a.isNull(), null)
                        .otherwise(functions.vector_to_array(a, "float32")).as("action_estimate"));
            }
            df.select(cols.toArray(new Column[0])).write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                    .parquet(out);
            double secs = (System.nanoTime() - t0) / 1e9;
            long frames = spark.read().parquet(out).count();
            System.out.printf("embedded %d frames of %s with %s (latent dim %d) to %s in %.1f s (%.0f frames/s) on %s%n",
                    frames, data, run, enc.modelConfig().latentDim(), out, secs, frames / secs,
                    spark.sparkContext().master());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
