package io.smwm.data.generate;

import static org.junit.jupiter.api.Assertions.*;

import io.smwm.core.env.EnvConfig;
import io.smwm.data.table.StatsAccumulator;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.testing.TestTables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationSpecTest {

    @Test
    void json_roundTrips_withEveryField() {
        GenerationSpec s = new GenerationSpec("disc", new EnvConfig("v2", 32, List.of("flicker"), Map.of("k", "1")),
                "scripted", 1234, 99, -5L, 4, 17);
        assertEquals(s, GenerationSpec.fromJson(s.toJson()));
        assertTrue(s.toJson().contains("\"episodes_per_file\""));
    }

    @Test
    void fromJson_missingOptionalKeys_usesDefaults() {
        GenerationSpec s = GenerationSpec.fromJson("{\"env_id\":\"disc\",\"episodes\":3,\"steps\":20,\"seed\":1}");
        assertEquals(GenerationSpec.DEFAULT_FRAMESKIP, s.frameskip());
        assertEquals(GenerationSpec.DEFAULT_EPISODES_PER_FILE, s.episodesPerFile());
        assertEquals(EnvConfig.defaults(), s.envConfig());
        assertNull(s.policy());
    }

    @Test
    void parts_coverAllEpisodesOnce() {
        GenerationSpec s = new GenerationSpec("disc", null, null, 101, 10, 0, 5, 25);
        assertEquals(5, s.parts());
        assertEquals(new GenerationSpec.EpisodeRange(0, 24), s.partEpisodes(0));
        assertEquals(new GenerationSpec.EpisodeRange(100, 100), s.partEpisodes(4));
        assertThrows(IndexOutOfBoundsException.class, () -> s.partEpisodes(5));
    }

    @Test
    void constructor_badValues_nameKeyRuleAndValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GenerationSpec("disc", null, null, 0, 10, 0, 5, 5));
        assertEquals("generate.episodes must be in [1, 2147483647], got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GenerationSpec("disc", null, null, 1, 3, 0, 5, 5));
        assertTrue(e.getMessage().startsWith("generate.frameskip must be in [1, generate.steps=3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GenerationSpec(" ", null, null, 1, 3, 0, 1, 5));
        assertTrue(e.getMessage().contains("generate.env"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GenerationSpec("d", null, null, 1, 3, 0, 1, 0));
        assertEquals("generate.episodes_per_file must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GenerationSpec("d", null, null, 1_000_000_000L, 3, 0, 1, 1));
        assertTrue(e.getMessage().contains("at most 100000 files"), e.getMessage());
        // --steps 2000000000 used to run the generating task out of memory (JVM exit 52)
        e = assertThrows(IllegalArgumentException.class, () -> new GenerationSpec("d", null, null, 2, 2_000_000_000, 0, 1, 1));
        assertEquals("generate.steps must be in [1, 1000000], got 2000000000", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GenerationSpec("d", null, null, 2, 500_000, 0, 1, 1));
        assertTrue(e.getMessage().contains("bytes per episode"), e.getMessage());
    }

    @Test
    void unknownRegistryEnv_failsListingValidIds() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> EnvSource.registry(new GenerationSpec("nope", null, null, 1, 5, 0, 1, 1)));
        assertTrue(e.getMessage().contains("unknown environment 'nope'"), e.getMessage());
    }

    @Test
    void partResult_json_roundTripsExactly() {
        GenerationSpec spec = TestTables.smallSpec();
        PartResult r = PartWriter.writePart(TestTables.CONF,
                System.getProperty("java.io.tmpdir") + "/smwm-pr-" + System.nanoTime(), spec, 0,
                DiscEnv.source(spec.envConfig()));
        PartResult back = PartResult.fromJson(r.toJson());
        assertEquals(r.toJson(), back.toJson());
        assertEquals(2, back.episodes());
        assertEquals(14, back.frames());
        assertEquals(2, back.episodeHashes().size());
        assertArrayEquals(r.stateStats().mean(), back.stateStats().mean());
        assertEquals(12, back.actionStats().count());
    }

    @Test
    void statsAccumulator_mergeOfHalves_equalsOnePass() {
        StatsAccumulator all = new StatsAccumulator(2), a = new StatsAccumulator(2), b = new StatsAccumulator(2);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            float[] x = {(float) rng.nextGaussian(), (float) (5 + 2 * rng.nextGaussian())};
            all.add(x);
            (i < 300 ? a : b).add(x);
        }
        a.merge(b);
        assertEquals(all.count(), a.count());
        for (int d = 0; d < 2; d++) {
            assertEquals(all.mean()[d], a.mean()[d], 1e-12);
            assertEquals(all.std()[d], a.std()[d], 1e-12);
            assertEquals(all.min()[d], a.min()[d]);
            assertEquals(all.max()[d], a.max()[d]);
        }
        assertEquals(2.0, all.std()[1], 0.2);
        StatsAccumulator empty = new StatsAccumulator(2);
        assertEquals(0, StatsAccumulator.fromJsonNode(empty.toJsonNode()).count());
    }
}
