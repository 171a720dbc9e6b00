package io.smwm.data.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.maintain.TableAppender;
import io.smwm.data.maintain.TableFinalizer;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.ValidationReport;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.testing.ImportFixtures;
import io.smwm.data.testing.LocalAsS3a;
import io.smwm.data.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables at s3a:// paths, through the code path S3A takes (Hadoop FileSystem calls on an s3a URI; no java.nio, no
 * local-path shortcuts), against a local directory mapped to the s3a scheme ({@link LocalAsS3a}).
 */
class S3aPathTest {

    private static void assertValid(Configuration conf, String table) {
        ValidationReport r = new TableValidator(conf).validate(table);
        assertTrue(r.ok(), r.format());
    }

    @Test
    void generateImportExportFinalizeAndAppend_workOnS3aPaths(@TempDir Path dir) throws Exception {
        Configuration conf = LocalAsS3a.conf();
        String generated = LocalAsS3a.uri(dir.resolve("gen"));
        TableMetadata md = LocalGenerator.generate(conf, TestTables.smallSpec(),
                DiscEnv.source(TestTables.smallSpec().envConfig()), generated, false);
        assertValid(conf, generated);
        assertTrue(Files.exists(dir.resolve("gen/meta/info.json")), "written through the s3a mapping");

        String lr = LocalAsS3a.uri(dir.resolve("lr")), back = LocalAsS3a.uri(dir.resolve("back"));
        LeRobotExporter.export(conf, generated, lr, 10, false);
        TableMetadata imported = Importers.run(Importers.byId("lerobot"), conf, lr, back, ImportOptions.defaults());
        assertEquals(md.fingerprint(), imported.fingerprint());

        ImportFixtures.lewm(dir.resolve("d.h5"), new int[] {4, 5}, 16, Set.of());
        String h5 = LocalAsS3a.uri(dir.resolve("d.h5")), fromH5 = LocalAsS3a.uri(dir.resolve("h5t"));
        Importers.run(Importers.byId("lewm-hdf5"), conf, h5, fromH5, ImportOptions.defaults().withFrameskip(1));
        assertValid(conf, fromH5);

        TestTables.deleteTree(dir.resolve("gen/meta"));
        TableFinalizer.finalizeTable(conf, generated, new TableFinalizer.Options("disc", "default", 3, null, null, false));
        assertValid(conf, generated);
        TableAppender.append(conf, back, generated);
        assertValid(conf, generated);
        try (TrajectoryReader r = TrajectoryReader.open(conf, generated)) {
            assertEquals(2 * md.episodes(), r.metadata().episodes());
        }
    }
}
