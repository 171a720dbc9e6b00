package io.smwm.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.smwm.core.config.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The encoder f of a trained world model as a Spark ML {@link Model}: image column → latent column.
 *
 * <p><b>Columns.</b> {@code inputCol} (default {@code observation_image}): binary, one raw uint8 H·W·3 HWC frame per
 * row, H = W = the model's {@code model.imageSize}; the shape is taken from the column's metadata
 * ({@link SmwmTables#IMAGE_METADATA}, as {@link SmwmTables#read} attaches it) or the {@code imageHeight} /
 * {@code imageWidth} params when set, and must match the model. {@code outputCol} (default {@code latent}):
 * {@code ml.linalg.Vector} z = f(o) [latentDim], equal to {@code WorldModel.encode} of the frame. Optionally
 * {@code actionCol} (default empty: off): the inverse model's estimate of the k·m raw actions taken from this frame to
 * the frame k = {@code model.frameskip} steps later in the same episode, â_t = h(s_t, z_{t+k}) unnormalised; null on
 * an episode's last k frames. With {@code model.context} c > 1 the planning state s_t is the latents of frames
 * t−(c−1)k, …, t (an episode's first frame repeated before its start), as in training. It needs the
 * {@code episodeCol} and {@code frameCol} columns; the rows are repartitioned by episode and sorted by frame, and
 * each episode's frames must be consecutive from 0.
 *
 * <p><b>Execution.</b> {@link #transformSchema} checks column types and the image shape before any Spark job and
 * says what it expected. Frames are encoded in batches of {@code batchSize} per partition; the checkpoint's files are
 * broadcast and each executor JVM loads one model ({@link CheckpointFiles#model()}). Persistence: {@link #write()}
 * / {@link #read()} in Spark's layout ({@link StageIO}) with the checkpoint files under {@code data/checkpoint/}.
 */
public final class SmwmEncoder extends Model<SmwmEncoder> implements MLWritable {
    static final String FORMAT = "smwm-encoder";
    private final String uid;
    private final CheckpointFiles checkpoint;
    private final ModelConfig config;
    private final Param<String> inputCol, outputCol, actionCol, episodeCol, frameCol;
    private final IntParam batchSize, imageHeight, imageWidth;

    /** An encoder for the checkpoint's files (loaded here once, with every check, for its config). */
    public SmwmEncoder(String uid, CheckpointFiles checkpoint) {
        this(uid, checkpoint, checkpoint.load().config().model());
    }

    private SmwmEncoder(String uid, CheckpointFiles checkpoint, ModelConfig config) {
        this.uid = uid;
        this.checkpoint = checkpoint;
        this.config = config;
        inputCol = new Param<>(this, "inputCol", "image column: binary, raw uint8 HWC frames");
        outputCol = new Param<>(this, "outputCol", "latent column to add (ml.linalg.Vector of latentDim)");
        actionCol = new Param<>(this, "actionCol", "column for the inverse model's action estimate to the frame "
                + "frameskip steps later (Vector of frameskip*actionDim raw actions); empty = not computed");
        episodeCol = new Param<>(this, "episodeCol", "episode column (integral), used with actionCol");
        frameCol = new Param<>(this, "frameCol", "frame column (integral, consecutive from 0), used with actionCol");
        batchSize = new IntParam(this, "batchSize", "frames encoded per batch (>= 1)", ParamValidators.gtEq(1));
        imageHeight = new IntParam(this, "imageHeight", "frame height; 0 = from column metadata or the model",
                ParamValidators.gtEq(0));
        imageWidth = new IntParam(this, "imageWidth", "frame width; 0 = from column metadata or the model",
                ParamValidators.gtEq(0));
        setDefault(inputCol, "observation_image");
        setDefault(outputCol, "latent");
        setDefault(actionCol, "");
        setDefault(episodeCol, "episode_index");
        setDefault(frameCol, "frame_index");
        setDefault(batchSize, 256);
        setDefault(imageHeight, 0);
        setDefault(imageWidth, 0);
    }

    /** An encoder for the checkpoint in a run directory's {@code checkpoint/} (or the checkpoint directory). */
    public static SmwmEncoder fromCheckpoint(Path dir) {
        Path d = dir.resolve("manifest.json").toFile().exists() ? dir : dir.resolve("checkpoint");
        return new SmwmEncoder(Identifiable.randomUID("smwmEncoder"), CheckpointFiles.read(d));
    }

    @Override
    public String uid() { return uid; }

    public CheckpointFiles checkpoint() { return checkpoint; }

    /** The model's architecture (image size, latent dimension, frameskip, context). */
    public ModelConfig modelConfig() { return config; }

    public Param<String> inputCol() { return inputCol; }

    public Param<String> outputCol() { return outputCol; }

    public Param<String> actionCol() { return actionCol; }

    public Param<String> episodeCol() { return episodeCol; }

    public Param<String> frameCol() { return frameCol; }

    public IntParam batchSize() { return batchSize; }

    public IntParam imageHeight() { return imageHeight; }

    public IntParam imageWidth() { return imageWidth; }

    public SmwmEncoder setInputCol(String v) { set(inputCol, v); return this; }

    public SmwmEncoder setOutputCol(String v) { set(outputCol, v); return this; }

    public SmwmEncoder setActionCol(String v) { set(actionCol, v); return this; }

    public SmwmEncoder setEpisodeCol(String v) { set(episodeCol, v); return this; }

    public SmwmEncoder setFrameCol(String v) { set(frameCol, v); return this; }

    public SmwmEncoder setBatchSize(int v) { set(batchSize, v); return this; }

    public SmwmEncoder setImageHeight(int v) { set(imageHeight, v); return this; }

    public SmwmEncoder setImageWidth(int v) { set(imageWidth, v); return this; }

    private int intOf(IntParam p) { return (Integer) $(p); }

    private boolean withActions() { return !$(actionCol).isEmpty(); }

    @Override
    public StructType transformSchema(StructType schema) {
        String in = $(inputCol);
        StructField f = field(schema, in, "the image column (inputCol)");
        require(f.dataType().equals(DataTypes.BinaryType), "Column " + in + " must be of type binary (raw uint8 "
                + "H*W*3 HWC bytes) but was actually of type " + f.dataType().simpleString() + ".");
        int s = config.imageSize();
        int h = intOf(imageHeight), w = intOf(imageWidth);
        if (h == 0 && w == 0 && f.metadata().contains(SmwmTables.IMAGE_METADATA)) {
            Metadata m = f.metadata().getMetadata(SmwmTables.IMAGE_METADATA);
            h = (int) m.getLong("height");
            w = (int) m.getLong("width");
        }
        require((h == 0 || h == s) && (w == 0 || w == s), "Column " + in + " holds " + h + "x" + w + " frames but the "
                + "model encodes " + s + "x" + s + " (model.imageSize); resize the images (smwm import --image-size) "
                + "or use a model trained at that size.");
        require(!schema.getFieldIndex($(outputCol)).isDefined(), "Output column " + $(outputCol) + " already exists.");
        List<StructField> out = new ArrayList<>(List.of(schema.fields()));
        out.add(DataTypes.createStructField($(outputCol), SQLDataTypes.VectorType(), true));
        if (withActions()) {
            for (String c : new String[] {$(episodeCol), $(frameCol)}) {
                DataType t = field(schema, c, "needed with actionCol").dataType();
                require(t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType), "Column " + c + " must be of "
                        + "type bigint or int but was actually of type " + t.simpleString() + ".");
            }
            require(!schema.getFieldIndex($(actionCol)).isDefined(), "Output column " + $(actionCol)
                    + " already exists.");
            out.add(DataTypes.createStructField($(actionCol), SQLDataTypes.VectorType(), true));
        }
        return DataTypes.createStructType(out);
    }

    private static StructField field(StructType schema, String name, String what) {
        require(schema.getFieldIndex(name).isDefined(), "Column " + name + " (" + what + ") does not exist; columns: "
                + String.join(", ", schema.fieldNames()));
        return schema.apply(name);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outSchema = transformSchema(dataset.schema()); // before any job
        Dataset<Row> df = dataset.toDF();
        EncoderTask.Spec spec = new EncoderTask.Spec(df.schema().fieldIndex($(inputCol)), intOf(batchSize),
                withActions() ? df.schema().fieldIndex($(episodeCol)) : -1,
                withActions() ? df.schema().fieldIndex($(frameCol)) : -1, config.frameskip(), config.context(),
                config.imageBytes());
        if (withActions()) {
            df = df.repartition(functions.col($(episodeCol))).sortWithinPartitions($(episodeCol), $(frameCol));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        Broadcast<String[]> names = jsc.broadcast(checkpoint.names());
        Broadcast<byte[][]> bytes = jsc.broadcast(checkpoint.bytes());
        return df.mapPartitions((MapPartitionsFunction<Row, Row>) it ->
                EncoderTask.run(it, new CheckpointFiles(names.value(), bytes.value()), spec), Encoders.row(outSchema));
    }

    @Override
    public SmwmEncoder copy(ParamMap extra) {
        SmwmEncoder c = new SmwmEncoder(uid, checkpoint, config);
        copyValues(c, extra);
        return c.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                try {
                    var conf = sparkSession().sparkContext().hadoopConfiguration();
                    StageIO.saveMetadata(SmwmEncoder.this, FORMAT, path, conf, sparkSession().version());
                    checkpoint.write(conf, new org.apache.hadoop.fs.Path(path, "data/checkpoint"));
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

    public static MLReader<SmwmEncoder> read() {
        return new MLReader<>() {
            @Override
            public SmwmEncoder load(String path) {
                try {
                    var conf = sparkSession().sparkContext().hadoopConfiguration();
                    JsonNode m = StageIO.loadMetadata(path, SmwmEncoder.class, FORMAT, conf);
                    CheckpointFiles c = CheckpointFiles.read(conf, new org.apache.hadoop.fs.Path(path, "data/checkpoint"));
                    SmwmEncoder e = new SmwmEncoder(m.path("uid").asText(), c);
                    StageIO.setParams(e, m);
                    return e;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot load an SmwmEncoder from " + path, e);
                }
            }
        };
    }

    public static SmwmEncoder load(String path) {
        return read().load(path);
    }
}
