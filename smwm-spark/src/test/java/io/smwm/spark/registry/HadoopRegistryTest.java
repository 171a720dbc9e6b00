package io.smwm.spark.registry;

import static io.smwm.spark.registry.RegistryFixtures.commit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.util.UserError;
import io.smwm.spark.hadoop.HadoopStore;
import io.smwm.spark.hadoop.ObjectStoreFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry on Hadoop paths, without training: a {@code file:} URI (rename commits, the local layout) and
 * {@link ObjectStoreFileSystem} (marker commits: objects appear whole on close, no rename). The pointer test is
 * {@link RegistryTest}'s on these stores: a reader during promotions sees the old or the new version, complete.
 */
@Tag("spark")
class HadoopRegistryTest {

    @BeforeAll
    static void register() {
        ObjectStoreFileSystem.registerSystemWide();
    }

    @AfterAll
    static void unregister() {
        ObjectStoreFileSystem.unregisterSystemWide();
    }

    private static String fileUri(Path p) {
        return "file://" + p.toAbsolutePath();
    }

    private static String objUri(Path p) {
        return ObjectStoreFileSystem.uri(p.toAbsolutePath().toString());
    }

    @Test
    void fileUri_sameLayoutAsLocal_readableEitherWay(@TempDir Path dir) throws Exception {
        Path regDir = dir.resolve("reg");
        ModelRegistry reg = ModelRegistry.openOrCreate(fileUri(regDir));
        assertNull(reg.dir(), "a registry on a Hadoop path has no local directory");
        assertTrue(reg.location().startsWith("file:"), reg.location());
        try (RegistryJob job = reg.startJob("test")) {
            ModelRegistry.Staging s = job.stage();
            assertFalse(s.dir().startsWith(regDir), "staged locally, outside the registry");
            job.commit(s, cur -> new ModelRegistry.Decision(true, Map.of("summary", "first")));
            assertFalse(Files.exists(s.dir()), "the local staging directory is removed after publishing");
            commit(job, false, 10);
        }
        assertEquals("v1\n", Files.readString(regDir.resolve("current"), StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(regDir.resolve("versions/v1/decision.json")));
        assertFalse(Files.exists(regDir.resolve(".retrain.lease")), "the job's lease is released");
        ModelRegistry local = ModelRegistry.open(regDir);
        assertEquals(List.of("v1", "v2"), local.versions().stream().map(ModelRegistry.Version::name).toList());
        assertEquals("v1", local.current().orElseThrow().name());
        assertEquals(List.of("promote", "reject"), local.history().stream().map(h -> h.get("action").asText()).toList());

        // a registry written through a local path reads the same through a file: URI, and continues there
        Path other = dir.resolve("other");
        try (RegistryJob job = ModelRegistry.openOrCreate(other).startJob("local")) {
            commit(job, true, 16);
        }
        ModelRegistry viaUri = ModelRegistry.open(fileUri(other));
        assertEquals("v1", viaUri.current().orElseThrow().name());
        assertNull(RegistryFixtures.completeness(viaUri.current().orElseThrow()));
        try (RegistryJob job = viaUri.startJob("uri")) {
            commit(job, true, 16);
        }
        assertEquals("v2", ModelRegistry.open(other).current().orElseThrow().name());
    }

    @Test
    void objectStore_versionVisibleOnlyWithItsMarker_leftoversRemoved_neverRenames(@TempDir Path dir)
            throws Exception {
        long renames = ObjectStoreFileSystem.RENAMES.get();
        Path regDir = dir.resolve("reg");
        ModelRegistry reg = ModelRegistry.openOrCreate(objUri(regDir));
        try (RegistryJob job = reg.startJob("test")) {
            commit(job, true, 64);
        }
        assertTrue(Files.isRegularFile(regDir.resolve("versions/v1/" + HadoopStore.COMMITTED)));
        // an upload killed before its marker: a directory named v2 that is not a version
        Files.createDirectories(regDir.resolve("versions/v2/checkpoint"));
        Files.writeString(regDir.resolve("versions/v2/decision.json"), "{\"decision\": \"promoted\"}");
        assertEquals(List.of("v1"), reg.versions().stream().map(ModelRegistry.Version::name).toList());
        assertThrows(UserError.class, () -> reg.version("v2"));
        Files.writeString(regDir.resolve("current"), "v2\n");
        assertThrows(IllegalStateException.class, reg::current, "current naming an unmarked version is refused");
        Files.writeString(regDir.resolve("current"), "v1\n");
        try (RegistryJob job = reg.startJob("test")) {
            assertFalse(Files.exists(regDir.resolve("versions/v2")), "the next job removes the unmarked upload");
            assertEquals("v2", commit(job, true, 64).name());
        }
        assertEquals("v2", reg.current().orElseThrow().name());
        assertNull(RegistryFixtures.completeness(reg.current().orElseThrow()));
        assertEquals(renames, ObjectStoreFileSystem.RENAMES.get(), "nothing relies on rename");
    }

    @Test
    void pointer_readerDuringRepeatedPromotions_alwaysSeesACompleteVersion_onHadoopPaths(@TempDir Path dir)
            throws Exception {
        for (String uri : List.of(fileUri(dir.resolve("file-reg")), objUri(dir.resolve("obj-reg")))) {
            ModelRegistry reg = ModelRegistry.openOrCreate(uri);
            ModelRegistry reader = ModelRegistry.open(uri);
            RegistryFixtures.Reading r;
            try (RegistryJob job = reg.startJob("test")) {
                commit(job, true, 1 << 14);
                r = RegistryFixtures.promoteWhileReading(job, reader, 20, 1 << 14);
            }
            assertEquals(List.of(), r.problems(), uri);
            assertTrue(r.reads() >= 20, uri + ": the reader ran during the promotions: " + r.reads() + " reads");
            assertEquals("v20", reg.current().orElseThrow().name(), "v21 was rejected");
            assertEquals(21, reg.versions().size());
            assertEquals(21, reg.history().size());
        }
    }

    @Test
    void rollbackAndBusy_onHadoopPaths(@TempDir Path dir) throws Exception {
        for (String uri : List.of(fileUri(dir.resolve("file-reg")), objUri(dir.resolve("obj-reg")))) {
            ModelRegistry reg = ModelRegistry.openOrCreate(uri);
            try (RegistryJob job = reg.startJob("a scheduled retrain")) {
                ModelRegistry.RegistryBusyException busy = assertThrows(ModelRegistry.RegistryBusyException.class,
                        () -> ModelRegistry.open(uri).startJob("second"));
                assertTrue(busy.getMessage().contains("a scheduled retrain"), busy.getMessage());
                commit(job, true, 8);  // v1
                commit(job, true, 8);  // v2
                commit(job, false, 8); // v3
            }
            assertEquals("v1", reg.rollback(null).name());
            assertTrue(assertThrows(UserError.class, () -> reg.rollback("v3")).getMessage().contains("rejected"));
            assertEquals("v2", reg.rollback("v2").name());
            assertEquals("v2", ModelRegistry.open(uri).current().orElseThrow().name());
            assertEquals(List.of("promote", "promote", "reject", "rollback", "rollback"),
                    reg.history().stream().map(h -> h.get("action").asText()).toList());
            assertTrue(assertThrows(UserError.class, () -> ModelRegistry.open(uri + "-missing")).getMessage()
                    .contains("not a model registry"));
        }
    }
}
