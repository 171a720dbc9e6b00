package io.smwm.spark.ml;

import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.TrajectorySchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;

/** Trajectory tables as Spark DataFrames. */
public final class SmwmTables {
    /**
     * Column metadata key of {@code observation_image}: {height, width, channels, encoding} from meta/info.json,
     * which {@link SmwmEncoder} checks against its model.
     */
    public static final String IMAGE_METADATA = "smwm_image";

    private SmwmTables() {}

    /**
     * The rows of the table at path (checked with {@link TrajectoryReader#open}; read with Spark's Parquet source from
     * the files meta/info.json lists), with the image shape attached to {@code observation_image}.
     */
    public static Dataset<Row> read(SparkSession spark, String path) {
        TableMetadata md;
        try (TrajectoryReader r = TrajectoryReader.open(spark.sparkContext().hadoopConfiguration(), path)) {
            md = r.metadata();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open table " + path + ": " + e.getMessage(), e);
        }
        String[] files = md.files().stream().map(f -> new org.apache.hadoop.fs.Path(path, f.path()).toString())
                .toArray(String[]::new);
        Metadata image = new MetadataBuilder().putLong("height", md.image().height())
                .putLong("width", md.image().width()).putLong("channels", md.image().channels())
                .putString("encoding", md.image().encoding()).build();
        Metadata col = new MetadataBuilder().putMetadata(IMAGE_METADATA, image).build();
        Dataset<Row> df = spark.read().parquet(files);
        return df.withColumn(TrajectorySchema.OBSERVATION_IMAGE,
                functions.col(TrajectorySchema.OBSERVATION_IMAGE).as(TrajectorySchema.OBSERVATION_IMAGE, col));
    }
}
