package io.smwm.spark.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class DistributedGeneratorTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static GenerationSpec spec(List<String> distractors) {
        return new GenerationSpec("tworoom", new EnvConfig("default", 32, distractors, Map.of()), null,
                12, 20, 7, 5, 5);
    }

    @Test
    void generate_matchesLocalGeneratorFingerprint_andValidates(@TempDir Path dir) {
        TableMetadata onSpark = DistributedGenerator.run(spark, spec(List.of()), dir.resolve("a").toString(), false);
        TableMetadata local = LocalGenerator.generate(spec(List.of()), dir.resolve("b").toString(), false);
        assertEquals(local.fingerprint(), onSpark.fingerprint());
        assertEquals(12, onSpark.episodes());
        assertEquals(12 * 21, onSpark.frames());
        assertTrue(new TableValidator().validate(dir.resolve("a").toString()).ok());
    }

    @Test
    void generate_isReadBySparkSqlWithTheDocumentedTypes(@TempDir Path dir) {
        String out = dir.resolve("t").toString();
        DistributedGenerator.run(spark, spec(List.of("random-dots")), out, false);
        Dataset<Row> df = spark.read().parquet(out + "/data");
        StructType s = df.schema();
        assertEquals(DataTypes.LongType, s.apply("episode_index").dataType());
        assertEquals(DataTypes.IntegerType, s.apply("frame_index").dataType());
        assertEquals(DataTypes.BinaryType, s.apply("observation_image").dataType());
        assertEquals(DataTypes.FloatType, ((ArrayType) s.apply("action").dataType()).elementType());
        assertEquals(DataTypes.FloatType, ((ArrayType) s.apply("observation_state").dataType()).elementType());
        assertEquals(DataTypes.BooleanType, s.apply("is_first").dataType());
        assertEquals(12 * 21, df.count());
        Row r = df.where("episode_index = 3 AND frame_index = 0").first();
        assertEquals(32 * 32 * 3, ((byte[]) r.getAs("observation_image")).length);
        assertTrue(r.<Boolean>getAs("is_first"));
        assertEquals(12, df.where("is_last").count());
    }

    @Test
    void generate_refusesExistingOutputWithoutOverwrite_andLeavesNoStaging(@TempDir Path dir) throws Exception {
        String out = dir.resolve("t").toString();
        TableMetadata first = DistributedGenerator.run(spark, spec(List.of()), out, false);
        Exception e = assertThrows(RuntimeException.class,
                () -> DistributedGenerator.run(spark, spec(List.of()), out, false));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        TableMetadata again = DistributedGenerator.run(spark, spec(List.of()), out, true);
        assertEquals(first.fingerprint(), again.fingerprint());
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertEquals(List.of("t"), names, "only the table should remain, no staging or backup: " + names);
        }
    }

    @Test
    void generate_unknownEnvironment_failsBeforeWritingAnything(@TempDir Path dir) throws Exception {
        GenerationSpec bad = new GenerationSpec("nosuchenv", EnvConfig.defaults(), null, 2, 5, 1, 5, 1);
        Exception e = assertThrows(RuntimeException.class,
                () -> DistributedGenerator.run(spark, bad, dir.resolve("t").toString(), false));
        assertTrue(e.getMessage().contains("tworoom"), "should list valid ids: " + e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.findAny().isPresent());
        }
    }
}
