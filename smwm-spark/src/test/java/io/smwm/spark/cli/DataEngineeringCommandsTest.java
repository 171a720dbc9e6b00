package io.smwm.spark.cli;

import io.smwm.spark.run.SparkSessions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.Episode;
import io.smwm.data.table.FrameRow;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.testing.ImportFixtures;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import / export / table finalize / table append / embed end to end through the command line. */
@Tag("spark")
class DataEngineeringCommandsTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(Main.run(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String config(String name) throws Exception {
        return new File(DataEngineeringCommandsTest.class.getResource("/" + name).toURI()).getPath();
    }

    private static String fingerprint(Run r) {
        Matcher m = Pattern.compile("fingerprint (sha256:[0-9a-f]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        return m.group(1);
    }

    private static void validatesAndTrainsOneEpoch(String table, String config, Path run) throws Exception {
        Run v = run("validate", table);
        assertEquals(0, v.code(), v.out() + v.err());
        Run t = run("train", "--data", table, "--out", run.toString(), "--config", config(config), "--epochs", "1",
                "--master", "none", "--verbose");
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(Files.exists(run.resolve("checkpoint/manifest.json")), t.out());
    }

    @Test
    void importedLeWmMinariAndLeRobotDatasets_validateAndTrainOneEpoch(@TempDir Path dir) throws Exception {
        ImportFixtures.lewm(dir.resolve("lewm.h5"), new int[] {9, 12, 8, 10}, 32, Set.of());
        ImportFixtures.minari(dir.resolve("minari"), new int[] {9, 11, 8}, 16, Set.of());
        ImportFixtures.lerobot(dir.resolve("lerobot"), new int[] {10, 11, 12}, 16, "image", null);
        String[][] sources = {{"lerobot", "lerobot"}, {"lewm-hdf5", "lewm.h5"}, {"minari", "minari"}};
        for (String[] s : sources) {
            String table = dir.resolve("t-" + s[0]).toString();
            Run i = run("import", "--from", s[0], dir.resolve(s[1]).toString(), "--out", table, "--image-size", "16",
                    "--frameskip", "1");
            assertEquals(0, i.code(), i.out() + i.err());
            assertTrue(i.out().contains("(16x16)"), i.out());
            validatesAndTrainsOneEpoch(table, "tiny-dotworld.yaml", dir.resolve("run-" + s[0]));
        }
        Run bad = run("import", "--from", "lewm-hdf5", dir.resolve("minari/data/main_data.hdf5").toString(), "--out",
                dir.resolve("bad").toString());
        assertEquals(CliErrors.USER_ERROR, bad.code());
        assertTrue(bad.err().contains("no dataset 'pixels'"), bad.err());
        assertTrue(!Files.exists(dir.resolve("bad")));
    }

    @Test
    void exportToLeRobotAndImportBack_givesTheSameFingerprint(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        TableMetadata md = LocalGenerator.generate(new GenerationSpec("tworoom",
                new EnvConfig("default", 16, List.of(), Map.of()), null, 4, 10, 3, 5, 2), table, false);
        Run e = run("export", "--to", "lerobot", table, "--out", dir.resolve("lr").toString());
        assertEquals(0, e.code(), e.out() + e.err());
        Run i = run("import", "--from", "lerobot", dir.resolve("lr").toString(), "--out", dir.resolve("back").toString());
        assertEquals(0, i.code(), i.out() + i.err());
        assertEquals(md.fingerprint(), fingerprint(i));
    }

    @Test
    void tableWrittenByDfWriteParquet_finalizeValidatesTrainsAppendsAndEmbeds(@TempDir Path dir) throws Exception {
        String source = dir.resolve("source").toString();
        TableMetadata md = LocalGenerator.generate(new GenerationSpec("tworoom",
                new EnvConfig("default", 16, List.of(), Map.of()), null, 6, 15, 4, 5, 3), source, false);
        List<Row> rows = new ArrayList<>();
        try (TrajectoryReader r = TrajectoryReader.open(source)) {
            for (Episode e : r.readAll()) {
                for (int t = 0; t < e.frameCount(); t++) {
                    rows.add(RowFactory.create(e.episodeIndex(), t, e.frames()[t], boxed(e.states()[t]),
                            boxed(e.distractorStates()[t]), boxed(e.actions()[t]), t == 0, e.isLast(t), e.isTerminal(t)));
                }
            }
        }
        StructType schema = new StructType().add("episode_index", DataTypes.LongType)
                .add("frame_index", DataTypes.IntegerType).add("observation_image", DataTypes.BinaryType)
                .add("observation_state", DataTypes.createArrayType(DataTypes.FloatType))
                .add("distractor_state", DataTypes.createArrayType(DataTypes.FloatType))
                .add("action", DataTypes.createArrayType(DataTypes.FloatType))
                .add("is_first", DataTypes.BooleanType).add("is_last", DataTypes.BooleanType)
                .add("is_terminal", DataTypes.BooleanType);
        String own = dir.resolve("own").toString();
        SparkSession spark = SparkSessions.create("own job", "local[2]");
        try {
            spark.createDataFrame(rows, schema).repartitionByRange(3, functions.col("episode_index"))
                    .sortWithinPartitions("episode_index", "frame_index").write().parquet(own + "/data");
        } finally {
            spark.stop();
        }
        Run f = run("table", "finalize", own, "--env", "tworoom", "--frameskip", "5");
        assertEquals(0, f.code(), f.out() + f.err());
        assertEquals(md.fingerprint(), fingerprint(f), "same content as the table the rows came from");
        Path trained = dir.resolve("run");
        validatesAndTrainsOneEpoch(own, "tiny-tworoom.yaml", trained);

        Run a = run("table", "append", source, "--to", own);
        assertEquals(0, a.code(), a.out() + a.err());
        assertTrue(a.out().contains("as episodes 6..11"), a.out());
        assertEquals(0, run("validate", own).code());

        String emb = dir.resolve("emb").toString();
        Run e = run("embed", "--run", trained.toString(), "--data", own, "--out", emb, "--master", "local[2]",
                "--actions");
        assertEquals(0, e.code(), e.out() + e.err());
        assertTrue(e.out().contains("embedded 192 frames") && e.out().contains("frames/s"), e.out());
        long n = 0;
        for (File p : new File(emb).listFiles((d, name) -> name.endsWith(".parquet"))) {
            try (ParquetReader<Group> r = FrameRow.openGroups(new Configuration(),
                    new org.apache.hadoop.fs.Path(p.toURI()))) {
                for (Group g = r.read(); g != null; g = r.read(), n++) {
                    assertEquals(8, g.getGroup("latent", 0).getFieldRepetitionCount(0), "latentDim of tiny-tworoom");
                }
            }
        }
        assertEquals(192, n);
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }
}
