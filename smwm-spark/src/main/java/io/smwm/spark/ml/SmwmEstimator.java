package io.smwm.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ConfigOverrides;
import io.smwm.data.batch.TrainingData;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectorySchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a world model on a trajectory DataFrame and returns its encoder: a Spark ML {@link Estimator} for
 * {@code Pipeline}s.
 *
 * <p><b>Input.</b> The table's columns ({@link TrajectorySchema#COLUMNS}) with their Spark types: episode_index
 * bigint or int, frame_index int, observation_image binary (square raw uint8 HWC frames), observation_state,
 * distractor_state and action array&lt;float&gt;, is_first, is_last, is_terminal boolean; other columns are
 * ignored. {@link #transformSchema} checks them before any job. Episodes may have any indices (e.g. after a split):
 * they are renumbered 0..E-1 in ascending order.
 *
 * <p><b>fit.</b> Writes the episodes as a table under {@code workDir} (range-partitioned by episode, sorted by
 * frame), builds its metadata with {@code table finalize}, trains with {@link DistributedTrainer} (parameter
 * averaging on the DataFrame's session, {@code workers} partitions) and returns an {@link SmwmEncoder} on the final
 * checkpoint, its inputCol/outputCol set from this estimator's. {@code workDir} must be a path every executor can
 * read (HDFS, S3A) on a cluster; empty = a local temporary directory (local mode). The model config is
 * {@code config} (a bundled config name, or YAML text), by default the defaults sized to the data, with the
 * overrides epochs, lambda, latentDim, batchSize, seed when set (&gt;= 0).
 */
public final class SmwmEstimator extends Estimator<SmwmEncoder> implements MLWritable {
    static final String FORMAT = "smwm-estimator";
    private final String uid;
    final Param<String> inputCol, outputCol, config, envId, workDir;
    final IntParam epochs, latentDim, batchSize, workers, averagingFrequency;
    final DoubleParam lambda;
    final LongParam seed;

    public SmwmEstimator() {
        this(Identifiable.randomUID("smwmEstimator"));
    }

    public SmwmEstimator(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the image column of the returned encoder");
        outputCol = new Param<>(this, "outputCol", "the latent column of the returned encoder");
        config = new Param<>(this, "config", "bundled config name or YAML text; empty = defaults sized to the data");
        envId = new Param<>(this, "envId", "env id recorded in the training table's metadata");
        workDir = new Param<>(this, "workDir", "where the training table and run go (shared by all executors on a "
                + "cluster); empty = a local temporary directory");
        epochs = new IntParam(this, "epochs", "epochs; -1 = the config's", ParamValidators.gtEq(-1));
        latentDim = new IntParam(this, "latentDim", "latent dimension; -1 = the config's", ParamValidators.gtEq(-1));
        batchSize = new IntParam(this, "batchSize", "minibatch size; -1 = the config's", ParamValidators.gtEq(-1));
        workers = new IntParam(this, "workers", "partitions trained in parallel; 0 = default parallelism",
                ParamValidators.gtEq(0));
        averagingFrequency = new IntParam(this, "averagingFrequency", "local steps between parameter averages",
                ParamValidators.gtEq(1));
        lambda = new DoubleParam(this, "lambda", "inverse-loss weight; -1 = the config's", ParamValidators.gtEq(-1));
        seed = new LongParam(this, "seed", "root seed; -1 = the config's", ParamValidators.gtEq(-1));
        setDefault(inputCol, TrajectorySchema.OBSERVATION_IMAGE);
        setDefault(outputCol, "latent");
        setDefault(config, "");
        setDefault(envId, "dataframe");
        setDefault(workDir, "");
        setDefault(epochs, -1);
        setDefault(latentDim, -1);
        setDefault(batchSize, -1);
        setDefault(workers, 0);
        setDefault(averagingFrequency, 10);
        setDefault(lambda, -1.0);
        setDefault(seed, -1L);
    }

    @Override
    public String uid() { return uid; }

    public Param<String> inputCol() { return inputCol; }
    public Param<String> outputCol() { return outputCol; }
    public Param<String> config() { return config; }
    public Param<String> envId() { return envId; }
    public Param<String> workDir() { return workDir; }
    public IntParam epochs() { return epochs; }
    public IntParam latentDim() { return latentDim; }
    public IntParam batchSize() { return batchSize; }
    public IntParam workers() { return workers; }
    public IntParam averagingFrequency() { return averagingFrequency; }
    public DoubleParam lambda() { return lambda; }
    public LongParam seed() { return seed; }

    public SmwmEstimator setInputCol(String v) { set(inputCol, v); return this; }
    public SmwmEstimator setOutputCol(String v) { set(outputCol, v); return this; }
    public SmwmEstimator setConfig(String v) { set(config, v); return this; }
    public SmwmEstimator setEnvId(String v) { set(envId, v); return this; }
    public SmwmEstimator setWorkDir(String v) { set(workDir, v); return this; }
    public SmwmEstimator setEpochs(int v) { set(epochs, v); return this; }
    public SmwmEstimator setLatentDim(int v) { set(latentDim, v); return this; }
    public SmwmEstimator setBatchSize(int v) { set(batchSize, v); return this; }
    public SmwmEstimator setWorkers(int v) { set(workers, v); return this; }
    public SmwmEstimator setAveragingFrequency(int v) { set(averagingFrequency, v); return this; }
    public SmwmEstimator setLambda(double v) { set(lambda, v); return this; }
    public SmwmEstimator setSeed(long v) { set(seed, v); return this; }

    /** Checks the trajectory columns; the output schema is the input's plus the latent column. */
    @Override
    public StructType transformSchema(StructType schema) {
        ArrayType floats = DataTypes.createArrayType(DataTypes.FloatType);
        for (String c : TrajectorySchema.COLUMNS) {
            if (!schema.getFieldIndex(c).isDefined()) {
                throw new IllegalArgumentException("Column " + c + " does not exist; a trajectory DataFrame has "
                        + TrajectorySchema.COLUMNS + "; columns: " + String.join(", ", schema.fieldNames()));
            }
            DataType t = schema.apply(c).dataType();
            boolean ok = switch (c) {
                case TrajectorySchema.EPISODE_INDEX -> t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType);
                case TrajectorySchema.FRAME_INDEX -> t.equals(DataTypes.IntegerType);
                case TrajectorySchema.OBSERVATION_IMAGE -> t.equals(DataTypes.BinaryType);
                case TrajectorySchema.IS_FIRST, TrajectorySchema.IS_LAST, TrajectorySchema.IS_TERMINAL ->
                        t.equals(DataTypes.BooleanType);
                default -> t instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType);
            };
            if (!ok) {
                String want = switch (c) {
                    case TrajectorySchema.EPISODE_INDEX -> "bigint or int";
                    case TrajectorySchema.FRAME_INDEX -> "int";
                    case TrajectorySchema.OBSERVATION_IMAGE -> "binary";
                    case TrajectorySchema.IS_FIRST, TrajectorySchema.IS_LAST, TrajectorySchema.IS_TERMINAL -> "boolean";
                    default -> floats.simpleString();
                };
                throw new IllegalArgumentException("Column " + c + " must be of type " + want
                        + " but was actually of type " + t.simpleString() + ".");
            }
        }
        if (schema.getFieldIndex($(outputCol)).isDefined()) {
            throw new IllegalArgumentException("Output column " + $(outputCol) + " already exists.");
        }
        return schema.add($(outputCol), org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), true);
    }

    @Override
    public SmwmEncoder fit(Dataset<?> dataset) {
        transformSchema(dataset.schema()); // before any job
        return EstimatorFit.fit(this, dataset);
    }

    /** The config: {@code config} param or the defaults sized to the table, with the overrides applied. */
    ExperimentConfig resolveConfig(TableMetadata meta) {
        String c = $(config);
        ExperimentConfig cfg = c.isBlank() ? TrainingData.defaultsSizedTo(meta)
                : ConfigLoader.BUNDLED_TASKS.contains(c) ? ConfigLoader.forTask(c)
                : ConfigLoader.parse(c, "SmwmEstimator.config");
        return new ConfigOverrides((Double) $(lambda) >= 0 ? (Double) $(lambda) : null,
                intOf(epochs) >= 0 ? intOf(epochs) : null, intOf(batchSize) >= 0 ? intOf(batchSize) : null,
                (Long) $(seed) >= 0 ? (Long) $(seed) : null, intOf(latentDim) >= 1 ? intOf(latentDim) : null, null)
                .apply(cfg);
    }

    int intOf(IntParam p) { return (Integer) $(p); }

    String stringOf(Param<String> p) { return $(p); }

    @Override
    public SmwmEstimator copy(ParamMap extra) {
        return copyValues(new SmwmEstimator(uid), extra);
    }

    @Override
    public MLWriter write() {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                try {
                    StageIO.saveMetadata(SmwmEstimator.this, FORMAT, path,
                            sparkSession().sparkContext().hadoopConfiguration(), sparkSession().version());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot save " + uid + " to " + path, e);
                }
            }
        };
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    public static MLReader<SmwmEstimator> read() {
        return new MLReader<>() {
            @Override
            public SmwmEstimator load(String path) {
                try {
                    JsonNode m = StageIO.loadMetadata(path, SmwmEstimator.class, FORMAT,
                            sparkSession().sparkContext().hadoopConfiguration());
                    SmwmEstimator e = new SmwmEstimator(m.path("uid").asText());
                    StageIO.setParams(e, m);
                    return e;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot load an SmwmEstimator from " + path, e);
                }
            }
        };
    }

    public static SmwmEstimator load(String path) {
        return read().load(path);
    }
}
