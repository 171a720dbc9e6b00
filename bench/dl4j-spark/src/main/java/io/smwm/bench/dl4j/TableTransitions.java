package io.smwm.bench.dl4j;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.rand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.util.LongAccumulator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SMWM's training transitions read from a trajectory table with Spark SQL, as DL4J MultiDataSets.
 *
 * <p>The table (SMWM trajectory table v1): {@code TABLE/data/*.parquet}, one row per env frame with
 * {@code episode_index} int64, {@code frame_index} int32, {@code observation_image} binary (raw uint8 H·W·C, HWC),
 * {@code action} array&lt;float&gt; (the action taken from this frame; zeros on the last frame) and more;
 * {@code TABLE/meta/info.json} (episodes, image shape, action dim) and {@code TABLE/meta/stats.json} (per-dimension
 * action mean/std). A transition of frameskip k (SMWM's {@code TableTransitionSource}) is
 * (o_t, a_t ‖ a_{t+1} ‖ … ‖ a_{t+k−1}, o_{t+k}) for every t = 0..T−k of every episode: here one window pass,
 * {@code lead(observation_image, k)} and {@code lead(action, j)} over (episode_index ORDER BY frame_index), keeping
 * the rows whose o_{t+k} exists.
 *
 * <p>A MultiDataSet holds features [o_t uint8 [B,C,S,S] (NCHW), o_{t+k} uint8 [B,C,S,S], a_t normalised [B, k·m]]
 * and labels [zeros [B, l] (for the forward loss layer), a_t normalised [B, k·m]]. No example metadata is attached,
 * so DL4J's MultiDataSet.save/load stay within ND4J's binary array format (no Java object stream).
 */
final class TableTransitions {
    /** What this harness needs from meta/info.json and meta/stats.json. */
    record TableInfo(String format, long episodes, long frames, int height, int width, int channels, int actionDim,
                     int frameskip, String env, double[] actionMean, double[] actionStd) {}

    private final SparkSession spark;
    private final String table;
    private final int frameskip;

    TableTransitions(SparkSession spark, String table, int frameskip) {
        this.spark = spark;
        this.table = table.endsWith("/") ? table.substring(0, table.length() - 1) : table;
        this.frameskip = frameskip;
    }

    static TableInfo readInfo(Configuration hadoop, String table) throws IOException {
        ObjectMapper om = new ObjectMapper();
        JsonNode info = readJson(om, hadoop, table + "/meta/info.json");
        JsonNode stats = readJson(om, hadoop, table + "/meta/stats.json");
        String format = info.path("format").asText();
        if (!"smwm-trajectory-table".equals(format))
            throw new IllegalArgumentException(table + "/meta/info.json: format is '" + format
                    + "', expected smwm-trajectory-table");
        JsonNode img = info.path("image");
        if (!"raw-uint8-hwc".equals(img.path("encoding").asText("raw-uint8-hwc")))
            throw new IllegalArgumentException("image encoding " + img.path("encoding") + " is not raw-uint8-hwc");
        JsonNode act = stats.path("action");
        return new TableInfo(format, info.path("episodes").asLong(), info.path("frames").asLong(),
                img.path("height").asInt(), img.path("width").asInt(), img.path("channels").asInt(),
                info.path("action").path("dim").asInt(), info.path("frameskip").asInt(),
                info.path("env").path("id").asText(), doubles(act.path("mean")), doubles(act.path("std")));
    }

    private static JsonNode readJson(ObjectMapper om, Configuration hadoop, String file) throws IOException {
        Path p = new Path(file);
        FileSystem fs = p.getFileSystem(hadoop);
        try (InputStream in = fs.open(p)) {
            return om.readTree(in);
        }
    }

    private static double[] doubles(JsonNode arr) {
        double[] d = new double[arr.size()];
        for (int i = 0; i < d.length; i++) d[i] = arr.get(i).asDouble();
        return d;
    }

    /** Every transition of the table: episode_index, frame_index, obs_t, obs_tk, a0..a{k−1}. */
    Dataset<Row> transitions() {
        Dataset<Row> frames = spark.read().parquet(table + "/data")
                .select("episode_index", "frame_index", "observation_image", "action");
        WindowSpec w = Window.partitionBy("episode_index").orderBy("frame_index");
        List<Column> cols = new ArrayList<>();
        cols.add(col("episode_index"));
        cols.add(col("frame_index"));
        cols.add(col("observation_image").as("obs_t"));
        cols.add(lead(col("observation_image"), frameskip).over(w).as("obs_tk"));
        cols.add(col("action").as("a0"));
        for (int j = 1; j < frameskip; j++) cols.add(lead(col("action"), j).over(w).as("a" + j));
        return frames.select(cols.toArray(new Column[0])).where(col("obs_tk").isNotNull());
    }

    static Column isValidation(BitSet val) {
        Object[] ids = val.stream().mapToObj(i -> (Object) (long) i).toArray();
        return ids.length == 0 ? org.apache.spark.sql.functions.lit(false) : col("episode_index").isin(ids);
    }

    static Dataset<Row> training(Dataset<Row> transitions, BitSet val) {
        return transitions.where(not(isValidation(val)));
    }

    static Dataset<Row> validation(Dataset<Row> transitions, BitSet val) {
        return transitions.where(isValidation(val));
    }

    /**
     * The training transitions dealt round-robin to {@code workers} partitions, each partition in a random order
     * (seeded), cut into batches of {@code batch} (the last one of a partition may be smaller).
     */
    static JavaRDD<MultiDataSet> trainingBatches(Dataset<Row> training, int workers, long shuffleSeed, Batcher batcher) {
        Dataset<Row> shuffled = training.repartition(workers).withColumn("shuffle_key", rand(shuffleSeed))
                .sortWithinPartitions("shuffle_key");
        return shuffled.javaRDD().mapPartitions(batcher);
    }

    /** Cuts rows into MultiDataSets (on the executors, or on the driver for validation). */
    static final class Batcher implements FlatMapFunction<Iterator<Row>, MultiDataSet>, Serializable {
        private static final long serialVersionUID = 1L;
        private final int batch, side, channels, frameskip, actionDim, latent;
        private final float[] mean, std;
        private final LongAccumulator transitions; // may be null

        Batcher(int batch, int side, int channels, int frameskip, int actionDim, int latent, float[][] normaliser,
                LongAccumulator transitions) {
            this.batch = batch;
            this.side = side;
            this.channels = channels;
            this.frameskip = frameskip;
            this.actionDim = actionDim;
            this.latent = latent;
            this.mean = normaliser[0];
            this.std = normaliser[1];
            this.transitions = transitions;
        }

        @Override
        public Iterator<MultiDataSet> call(Iterator<Row> rows) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public MultiDataSet next() {
                    if (!rows.hasNext()) throw new NoSuchElementException();
                    List<Row> buf = new ArrayList<>(batch);
                    while (buf.size() < batch && rows.hasNext()) buf.add(rows.next());
                    if (transitions != null) transitions.add(buf.size());
                    return toMultiDataSet(buf);
                }
            };
        }

        MultiDataSet toMultiDataSet(List<Row> rows) {
            int b = rows.size(), hw = side * side, frame = hw * channels, a = actionDim * frameskip;
            byte[] ot = new byte[b * frame], otk = new byte[b * frame];
            float[] act = new float[b * a];
            Row first = rows.get(0);
            int iT = first.fieldIndex("obs_t"), iTk = first.fieldIndex("obs_tk");
            int[] iA = new int[frameskip];
            for (int j = 0; j < frameskip; j++) iA[j] = first.fieldIndex("a" + j);
            for (int r = 0; r < b; r++) {
                Row row = rows.get(r);
                hwcToChw((byte[]) row.get(iT), ot, r * frame, hw, channels);
                hwcToChw((byte[]) row.get(iTk), otk, r * frame, hw, channels);
                for (int j = 0; j < frameskip; j++) {
                    List<Object> aj = row.getList(iA[j]);
                    if (aj.size() != actionDim)
                        throw new IllegalStateException("episode " + row.getAs("episode_index") + " frame "
                                + row.getAs("frame_index") + ": action has " + aj.size() + " entries, expected "
                                + actionDim);
                    for (int i = 0; i < actionDim; i++) {
                        int q = j * actionDim + i;
                        act[r * a + q] = (((Number) aj.get(i)).floatValue() - mean[q]) / std[q];
                    }
                }
            }
            INDArray action = Nd4j.create(act, new long[]{b, a}, 'c');
            INDArray[] features = {uint8(ot, b), uint8(otk, b), action};
            INDArray[] labels = {Nd4j.zeros(DataType.FLOAT, b, latent), action.dup()};
            return new org.nd4j.linalg.dataset.MultiDataSet(features, labels);
        }

        private void hwcToChw(byte[] img, byte[] out, int base, int hw, int c) {
            if (img == null || img.length != hw * c)
                throw new IllegalStateException("observation_image must have " + hw * c + " bytes (uint8 HWC "
                        + side + "x" + side + "x" + c + "), got " + (img == null ? "null" : img.length));
            for (int p = 0, q = 0; p < hw; p++)
                for (int k = 0; k < c; k++) out[base + k * hw + p] = img[q++];
        }

        /** An ND4J UINT8 array [b, C, S, S] holding these bytes (0..255, not sign-extended). */
        private INDArray uint8(byte[] bytes, int b) {
            INDArray arr = Nd4j.create(DataType.UINT8, b, channels, side, side);
            arr.data().asNio().put(bytes, 0, bytes.length);
            return arr;
        }
    }
}
