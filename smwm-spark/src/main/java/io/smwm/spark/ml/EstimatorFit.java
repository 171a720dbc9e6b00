package io.smwm.spark.ml;

import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ConfigOverrides;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.data.maintain.TableFinalizer;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectorySchema;
import io.smwm.spark.train.AveragingConfig;
import io.smwm.spark.run.TrainRequest;
import io.smwm.spark.run.TrainRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SmwmEstimator#fit}: DataFrame → table → distributed training → encoder. */
final class EstimatorFit {
    private EstimatorFit() {}

    static SmwmEncoder fit(SmwmEstimator est, Dataset<?> dataset) {
        SparkSession spark = dataset.sparkSession();
        Configuration hconf = spark.sparkContext().hadoopConfiguration();
        try {
            java.nio.file.Path localWork = est.stringOf(est.workDir).isBlank()
                    ? Files.createTempDirectory("smwm-estimator") : null;
            String work = localWork != null ? localWork.toUri().toString() : est.stringOf(est.workDir);
            String table = new org.apache.hadoop.fs.Path(work, "table-" + UUID.randomUUID()).toString();
            long episodes = writeTable(spark, dataset.toDF(), table, est.intOf(est.workers));
            TableMetadata meta = TableFinalizer.finalizeTable(hconf, table, new TableFinalizer.Options(
                    est.stringOf(est.envId), "default", 5, null, null, false));
            ExperimentConfig cfg = est.resolveConfig(meta);
            java.nio.file.Path cfgFile = Files.createTempFile("smwm-estimator", ".yaml");
            Files.writeString(cfgFile, ConfigLoader.toYaml(cfg));
            java.nio.file.Path run = Files.createTempDirectory("smwm-estimator-run");
            int workers = est.intOf(est.workers) > 0 ? est.intOf(est.workers) : spark.sparkContext().defaultParallelism();
            Logger log = LoggerFactory.getLogger(EstimatorFit.class);
            // the same run as smwm train (the table was just finalized, so it is not validated again)
            TrainRun.execute(new TrainRequest(table, run, cfgFile.toString(), ConfigOverrides.NONE, null, workers,
                    est.intOf(est.averagingFrequency), true, AveragingConfig.DEFAULT_CHECKPOINT_EVERY, 4096, false,
                    false, false, true), spark, log::info);
            Files.deleteIfExists(cfgFile);
            SmwmEncoder enc = new SmwmEncoder(Identifiable.randomUID("smwmEncoder"),
                    CheckpointFiles.read(run.resolve("checkpoint")));
            enc.setInputCol(est.stringOf(est.inputCol)).setOutputCol(est.stringOf(est.outputCol));
            log.info("trained on {} episodes ({}), run {}", episodes,
                    table, run);
            return enc.setParent(est);
        } catch (IOException e) {
            throw new UncheckedIOException("SmwmEstimator.fit: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the trajectory columns of df as a table's data: episodes renumbered 0..E-1 in ascending order, types
     * cast to the table's, range-partitioned by episode (whole episodes per file, files in episode order) and
     * sorted by frame. Returns E.
     */
    static long writeTable(SparkSession spark, Dataset<Row> df, String table, int workers) {
        Column ep = functions.col(TrajectorySchema.EPISODE_INDEX).cast("long");
        Dataset<Row> ids = df.select(ep.as("_smwm_ep")).distinct().withColumn("_smwm_new",
                functions.row_number().over(Window.orderBy("_smwm_ep")).minus(1).cast("long"));
        long episodes = ids.count();
        Dataset<Row> joined = df.join(functions.broadcast(ids), ep.equalTo(ids.col("_smwm_ep")));
        List<Column> cols = new ArrayList<>();
        for (String c : TrajectorySchema.COLUMNS) {
            Column v = switch (c) {
                case TrajectorySchema.EPISODE_INDEX -> joined.col("_smwm_new");
                case TrajectorySchema.FRAME_INDEX -> joined.col(c).cast("int");
                default -> joined.col(c);
            };
            cols.add(v.as(c));
        }
        int parts = (int) Math.max(1, Math.min(episodes, Math.max(2L * Math.max(workers, 1),
                spark.sparkContext().defaultParallelism())));
        joined.select(cols.toArray(new Column[0]))
                .repartitionByRange(parts, functions.col(TrajectorySchema.EPISODE_INDEX))
                .sortWithinPartitions(TrajectorySchema.EPISODE_INDEX, TrajectorySchema.FRAME_INDEX)
                .write().parquet(table + "/" + TrajectorySchema.DATA_DIR);
        return episodes;
    }
}
