package io.smwm.data.generate;

import static org.junit.jupiter.api.Assertions.*;

import io.smwm.data.table.EpisodeHasher;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterminismTest {
    @TempDir
    Path dir;

    private TableMetadata gen(GenerationSpec spec, String name) {
        return LocalGenerator.generate(spec, DiscEnv.source(spec.envConfig()), dir.resolve(name).toString(), false);
    }

    @Test
    void sameSpec_twice_givesSameFingerprintAndIdenticalFiles() throws Exception {
        GenerationSpec spec = TestTables.smallSpec();
        TableMetadata a = gen(spec, "a"), b = gen(spec, "b");
        assertEquals(a.fingerprint(), b.fingerprint());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/data/part-00001.parquet")),
                Files.readAllBytes(dir.resolve("b/data/part-00001.parquet")));
    }

    @Test
    void differentEpisodesPerFile_givesSameFingerprintAndDifferentFiles() {
        GenerationSpec spec = TestTables.smallSpec();
        TableMetadata two = gen(spec.withEpisodesPerFile(2), "two");
        TableMetadata one = gen(spec.withEpisodesPerFile(1), "one");
        TableMetadata all = gen(spec.withEpisodesPerFile(100), "all");
        assertEquals(two.fingerprint(), one.fingerprint());
        assertEquals(two.fingerprint(), all.fingerprint());
        assertEquals(2, two.files().size());
        assertEquals(4, one.files().size());
        assertEquals(1, all.files().size());
    }

    @Test
    void differentSeed_givesDifferentFingerprint() {
        GenerationSpec spec = TestTables.smallSpec();
        GenerationSpec other = new GenerationSpec(spec.envId(), spec.envConfig(), spec.policy(), spec.episodes(),
                spec.steps(), spec.seed() + 1, spec.frameskip(), spec.episodesPerFile());
        assertNotEquals(gen(spec, "a").fingerprint(), gen(other, "b").fingerprint());
    }

    @Test
    void episodeGenerator_sameIndex_givesSameBytes_independentOfOrder() {
        GenerationSpec spec = TestTables.smallSpec();
        EpisodeGenerator g1 = new EpisodeGenerator(spec, DiscEnv.source(spec.envConfig()));
        EpisodeGenerator g2 = new EpisodeGenerator(spec, DiscEnv.source(spec.envConfig()));
        String h3 = EpisodeHasher.hex(g1.generate(3).contentHash());
        g2.generate(0);
        g2.generate(1);
        assertEquals(h3, EpisodeHasher.hex(g2.generate(3).contentHash()));
        assertNotEquals(h3, EpisodeHasher.hex(g2.generate(2).contentHash()));
    }

    @Test
    void writePart_retriedAttempt_overwritesCleanlyWithoutTempFiles() throws Exception {
        GenerationSpec spec = TestTables.smallSpec();
        String staging = dir.resolve("stage").toString();
        PartResult a = PartWriter.writePart(TestTables.CONF, staging, spec, 1, DiscEnv.source(spec.envConfig()));
        PartResult b = PartWriter.writePart(TestTables.CONF, staging, spec, 1, DiscEnv.source(spec.envConfig()));
        assertEquals(a.toJson(), b.toJson());
        try (var files = Files.list(dir.resolve("stage/data"))) {
            assertEquals(java.util.List.of("part-00001.parquet"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc")).sorted().toList());
        }
    }
}
