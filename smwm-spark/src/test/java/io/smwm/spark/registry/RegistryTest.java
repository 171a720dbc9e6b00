package io.smwm.spark.registry;

import static io.smwm.spark.registry.RegistryFixtures.commit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.util.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's layout and atomicity, without training: versions with hand-made content. */
class RegistryTest {

    @Test
    void layout_commitPromoteReject_andStagingIsInvisible(@TempDir Path dir) throws Exception {
        Path regDir = dir.resolve("reg");
        ModelRegistry reg = ModelRegistry.openOrCreate(regDir);
        assertTrue(Files.isRegularFile(regDir.resolve("registry.json")));
        assertTrue(reg.current().isEmpty());
        assertTrue(reg.versions().isEmpty());
        try (RegistryJob job = reg.startJob("test")) {
            ModelRegistry.Staging s = job.stage();
            assertEquals("v1", s.name());
            assertTrue(s.dir().getFileName().toString().startsWith(".v1.tmp-"), s.dir().toString());
            assertTrue(reg.versions().isEmpty(), "a staged version is not a version");
            AtomicReference<Optional<ModelRegistry.Version>> seen = new AtomicReference<>();
            ModelRegistry.Version v1 = job.commit(s, cur -> {
                seen.set(cur);
                return new ModelRegistry.Decision(true, Map.of("summary", "first"));
            });
            assertTrue(seen.get().isEmpty(), "the decider sees what is current at commit");
            assertEquals("v1", reg.current().orElseThrow().name());
            assertTrue(Files.notExists(s.dir()));
            assertEquals("promoted", v1.decision().get("decision").asText());
            assertTrue(v1.decision().get("baseline_version").isNull());
            assertEquals("first", v1.decision().get("summary").asText());

            ModelRegistry.Version v2 = commit(job, false, 10);
            assertEquals("v2", v2.name());
            assertFalse(v2.promoted());
            assertEquals("v1", v2.decision().get("baseline_version").asText());
            assertEquals("v1", reg.current().orElseThrow().name(), "a rejected version leaves current alone");

            job.stage(); // left behind as a killed job would
        }
        assertEquals(List.of("v1", "v2"), reg.versions().stream().map(ModelRegistry.Version::name).toList());
        try (RegistryJob job = reg.startJob("test")) {
            try (Stream<Path> s = Files.list(regDir.resolve("versions"))) {
                assertEquals(List.of("v1", "v2"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                        "the next job removes staging directories left behind");
            }
            assertEquals("v3", job.stage().name());
        }
        assertEquals(List.of("promote", "reject"), reg.history().stream().map(h -> h.get("action").asText()).toList());
        assertEquals("v1", ModelRegistry.open(regDir).current().orElseThrow().name());
    }

    @Test
    void oneJobAtATime_andNotARegistry(@TempDir Path dir) throws Exception {
        ModelRegistry reg = ModelRegistry.openOrCreate(dir.resolve("reg"));
        try (RegistryJob job = reg.startJob("first")) {
            ModelRegistry.RegistryBusyException busy = assertThrows(ModelRegistry.RegistryBusyException.class,
                    () -> reg.startJob("second"));
            assertTrue(busy.getMessage().contains("first"), busy.getMessage());
        }
        reg.startJob("third").close();

        Files.createDirectories(dir.resolve("other"));
        Files.writeString(dir.resolve("other/notes.txt"), "x");
        assertTrue(assertThrows(UserError.class, () -> ModelRegistry.openOrCreate(dir.resolve("other"))).getMessage()
                .contains("not a model registry"));
        assertThrows(UserError.class, () -> ModelRegistry.open(dir.resolve("other")));
        assertThrows(UserError.class, () -> ModelRegistry.open(dir.resolve("missing")));
    }

    @Test
    void pointer_readerDuringRepeatedPromotions_alwaysSeesACompleteVersion(@TempDir Path dir) throws Exception {
        ModelRegistry reg = ModelRegistry.openOrCreate(dir.resolve("reg"));
        ModelRegistry reader = ModelRegistry.open(dir.resolve("reg"));
        RegistryFixtures.Reading r;
        try (RegistryJob job = reg.startJob("test")) {
            commit(job, true, 1 << 16);
            r = RegistryFixtures.promoteWhileReading(job, reader, 40, 1 << 16);
        }
        assertEquals(List.of(), r.problems());
        assertTrue(r.reads() >= 40, "the reader ran during the promotions: " + r.reads() + " reads");
        assertEquals("v40", reg.current().orElseThrow().name(), "v41 was rejected");
        assertEquals(41, reg.versions().size());
        try (Stream<Path> s = Files.list(dir.resolve("reg"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".current.tmp-")),
                    "no temporary pointer left");
        }
        assertEquals("v40\n", Files.readString(dir.resolve("reg/current"), StandardCharsets.UTF_8));
    }

    @Test
    void rollback_toThePreviousPromotedVersion_orANamedOne(@TempDir Path dir) throws Exception {
        ModelRegistry reg = ModelRegistry.openOrCreate(dir.resolve("reg"));
        assertTrue(assertThrows(UserError.class, () -> reg.rollback(null)).getMessage().contains("no promoted"));
        try (RegistryJob job = reg.startJob("test")) {
            commit(job, true, 8);  // v1
            assertTrue(assertThrows(UserError.class, () -> reg.rollback(null)).getMessage()
                    .contains("first promoted"), "nothing before the first promotion");
            commit(job, true, 8);  // v2 (baseline v1)
            commit(job, false, 8); // v3 rejected
            commit(job, true, 8);  // v4 (baseline v2)
        }
        assertEquals("v4", reg.current().orElseThrow().name());
        assertEquals("v2", reg.rollback(null).name());
        assertEquals("v2", reg.current().orElseThrow().name());
        assertEquals("v1", reg.rollback(null).name(), "walks back the promotion chain");

        assertTrue(assertThrows(UserError.class, () -> reg.rollback("v3")).getMessage().contains("rejected"));
        assertThrows(UserError.class, () -> reg.rollback("v9"));
        assertEquals("v1", reg.current().orElseThrow().name(), "refusals change nothing");

        assertEquals("v4", reg.rollback("4").name(), "a named version, forward too");
        assertEquals("v4", reg.rollback("v4").name(), "already current: nothing to do");
        try (RegistryJob job = reg.startJob("test")) {
            commit(job, true, 8); // v5, baseline v4
        }
        assertEquals("v4", reg.rollback(null).name());
        List<String> actions = reg.history().stream().map(h -> h.get("action").asText()).toList();
        assertEquals(List.of("promote", "promote", "reject", "promote", "rollback", "rollback", "rollback", "promote",
                "rollback"), actions);
    }

    @Test
    void corruptPointer_isNamed(@TempDir Path dir) throws Exception {
        ModelRegistry reg = ModelRegistry.openOrCreate(dir.resolve("reg"));
        Files.writeString(dir.resolve("reg/current"), "v7\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, reg::current);
        assertTrue(e.getMessage().contains("not a complete version"), e.getMessage());
        Files.writeString(dir.resolve("reg/current"), "../../etc\n");
        assertThrows(IllegalStateException.class, reg::current);
    }
}
