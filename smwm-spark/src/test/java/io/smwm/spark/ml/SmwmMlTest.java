package io.smwm.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.model.WorldModel;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SmwmEstimator and SmwmEncoder in Spark ML Pipelines on local[2], on a TwoRoom table (6 episodes of 20 steps,
 * 16x16 frames) with the tiny model of tiny-tworoom.yaml, trained once for one epoch.
 */
@Tag("spark")
class SmwmMlTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static String table;
    static PipelineModel fitted;
    static SmwmEncoder encoder;

    @BeforeAll
    static void setUp() throws Exception {
        table = dir.resolve("tworoom").toString();
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of(), Map.of()),
                null, 6, 20, 5, 5, 2), table, false);
        spark = SparkSession.builder().master("local[2]").appName("SmwmMlTest").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
        String yaml = new String(SmwmMlTest.class.getResourceAsStream("/tiny-tworoom.yaml").readAllBytes());
        SmwmEstimator est = new SmwmEstimator().setConfig(yaml).setEpochs(1).setWorkers(2)
                .setWorkDir(dir.resolve("work").toUri().toString());
        fitted = new Pipeline().setStages(new PipelineStage[] {est}).fit(SmwmTables.read(spark, table));
        encoder = (SmwmEncoder) fitted.stages()[0];
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) spark.stop();
    }

    private static List<Row> sorted(Dataset<Row> df, String... cols) {
        String[] rest = new String[cols.length + 1];
        rest[0] = "frame_index";
        System.arraycopy(cols, 0, rest, 1, cols.length);
        return df.orderBy("episode_index", "frame_index").select("episode_index", rest).collectAsList();
    }

    @Test
    void pipelineLatents_equalWorldModelEncode_andSurviveSaveAndLoad() throws Exception {
        Dataset<Row> data = SmwmTables.read(spark, table);
        List<Row> out = sorted(fitted.transform(data), "observation_image", "latent");
        assertEquals(126, out.size());
        WorldModel m = encoder.checkpoint().load().toModel();
        byte[][] frames = out.stream().map(r -> (byte[]) r.get(2)).toArray(byte[][]::new);
        float[][] z = m.encode(frames).toFloatMatrix();
        for (int i = 0; i < out.size(); i++) {
            double[] v = ((Vector) out.get(i).get(3)).toArray();
            assertEquals(m.config().latentDim(), v.length);
            for (int j = 0; j < v.length; j++) {
                assertEquals(z[i][j], v[j], 1e-5, "row " + i + " dim " + j);
            }
        }
        String saved = dir.resolve("pipeline-model").toString();
        fitted.write().overwrite().save(saved);
        List<Row> again = sorted(PipelineModel.load(saved).transform(data), "latent");
        for (int i = 0; i < out.size(); i++) {
            assertArrayEquals(((Vector) out.get(i).get(3)).toArray(), ((Vector) again.get(i).get(2)).toArray());
        }
        Pipeline p = new Pipeline().setStages(new PipelineStage[] {new SmwmEstimator().setEpochs(3).setLambda(0.5)});
        p.write().overwrite().save(dir.resolve("pipeline").toString());
        SmwmEstimator back = (SmwmEstimator) Pipeline.load(dir.resolve("pipeline").toString()).getStages()[0];
        assertEquals(3, back.intOf(back.epochs()));
        assertEquals(0.5, (Double) back.getOrDefault(back.lambda()));
    }

    @Test
    void wrongColumnType_isRefusedBeforeAnyJobRuns() {
        Dataset<Row> bad = SmwmTables.read(spark, table)
                .withColumn("observation_image", functions.base64(functions.col("observation_image")));
        spark.sparkContext().setJobGroup("refused", "must not run", false);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fitted.transform(bad));
            assertTrue(e.getMessage().contains("must be of type binary") && e.getMessage().contains("string"),
                    e.getMessage());
            IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                    () -> new SmwmEstimator().fit(bad));
            assertTrue(f.getMessage().contains("observation_image must be of type binary"), f.getMessage());
        } finally {
            spark.sparkContext().clearJobGroup();
        }
        assertEquals(0, spark.sparkContext().statusTracker().getJobIdsForGroup("refused").length, "no job ran");
    }

    @Test
    void actionEstimates_forFramesFrameskipApart_andNullOnTheLastFrames() {
        SmwmEncoder e = encoder.copy(new org.apache.spark.ml.param.ParamMap()).setActionCol("action_hat");
        List<Row> out = sorted(e.transform(SmwmTables.read(spark, table)), "latent", "action_hat");
        WorldModel m = e.checkpoint().load().toModel();
        int k = m.config().frameskip();
        Row r0 = out.get(0), rk = out.get(k);
        float[] z0 = toFloats((Vector) r0.get(2)), zk = toFloats((Vector) rk.get(2));
        float[] want = m.unnormaliseActions(m.inferAction(Nd4j.create(new float[][] {z0}),
                Nd4j.create(new float[][] {zk}))).toFloatMatrix()[0];
        double[] got = ((Vector) r0.get(3)).toArray();
        assertEquals(k * m.config().actionDim(), got.length);
        for (int j = 0; j < got.length; j++) {
            assertEquals(want[j], got[j], 1e-4);
        }
        assertNull(out.get(20 - k + 1).get(3), "frame 16 of 21: no frame 5 steps later");
        assertTrue(out.get(20 - k).get(3) instanceof Vector, "frame 15 pairs with frame 20");
    }

    @Test
    void encoderSaveLoad_roundTrips_andAnUnknownVersionIsRefused() throws Exception {
        String path = dir.resolve("encoder").toString();
        encoder.copy(new org.apache.spark.ml.param.ParamMap()).setBatchSize(7).write().overwrite().save(path);
        SmwmEncoder back = SmwmEncoder.load(path);
        assertEquals(7, (Integer) back.getOrDefault(back.batchSize()));
        assertEquals(encoder.checkpoint().digest(), back.checkpoint().digest());
        Path meta = Path.of(path, "metadata", "part-00000");
        Files.writeString(meta, Files.readString(meta).replace("\"smwmFormatVersion\":1", "\"smwmFormatVersion\":99"));
        Files.deleteIfExists(meta.resolveSibling(".part-00000.crc"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmwmEncoder.load(path));
        assertTrue(e.getMessage().contains("smwmFormatVersion 99 is not supported"), e.getMessage());
    }

    private static float[] toFloats(Vector v) {
        double[] d = v.toArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
