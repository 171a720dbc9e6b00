package io.smwm.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.util.UserError;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.ValidationReport;
import io.smwm.data.testing.ImportFixtures;
import io.smwm.data.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importers on fixtures in each outside layout, their refusals, and the LeRobot export round trip. */
class ImportExportTest {

    private static TableMetadata importValid(String from, String src, String out, ImportOptions o) throws Exception {
        TableMetadata md = Importers.run(Importers.byId(from), TestTables.CONF, src, out, o);
        ValidationReport r = new TableValidator().validate(out);
        assertTrue(r.ok(), r.format());
        return md;
    }

    private static List<Episode> episodes(String table) throws Exception {
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            return r.readAll();
        }
    }

    /** Nothing at out and no hidden staging sibling. */
    private static void assertNothingAt(Path out) throws Exception {
        assertFalse(Files.exists(out), "nothing at " + out);
        try (var s = Files.list(out.getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("." + out.getFileName())),
                    "no staging directory left");
        }
    }

    @Test
    void lewmHdf5_episodesActionsStatesAndTerminalFlagsArrive(@TempDir Path dir) throws Exception {
        Path h5 = dir.resolve("pusht.h5");
        ImportFixtures.lewm(h5, new int[] {5, 7, 4}, 16, Set.of());
        String out = dir.resolve("t").toString();
        TableMetadata md = importValid("lewm-hdf5", h5.toString(), out, ImportOptions.defaults().withFrameskip(2));
        assertEquals("lewm-hdf5:pusht", md.env().id());
        assertEquals(3, md.episodes());
        assertEquals(16, md.frames());
        assertEquals(0, md.stepsPerEpisode(), "truncated episodes of different lengths");
        List<Episode> eps = episodes(out);
        Episode e1 = eps.get(1);
        assertArrayEquals(new float[] {1.2f, -0.2f}, e1.actions()[2]);
        assertArrayEquals(new float[] {0, 0}, e1.actions()[6], "the NaN action after the last frame becomes zeros");
        assertArrayEquals(new float[] {3, 1, 1}, e1.states()[3]);
        assertEquals((byte) (40 + 3 * 7 + 2 * 3 + 5 * 5 + 2 * 60), e1.frames()[3][(2 * 16 + 5) * 3 + 2]);
        assertFalse(eps.get(0).terminal());
        assertTrue(eps.get(2).terminal());
    }

    @Test
    void lewmHdf5_resizedWhenImageSizeAsks(@TempDir Path dir) throws Exception {
        Path h5 = dir.resolve("d.h5");
        ImportFixtures.lewm(h5, new int[] {3, 3}, 32, Set.of());
        TableMetadata md = importValid("lewm-hdf5", h5.toString(), dir.resolve("t").toString(),
                ImportOptions.defaults().withImageSize(16).withFrameskip(1));
        assertEquals(16, md.image().height());
        assertEquals(16, md.image().width());
        assertEquals(2, md.stepsPerEpisode());
    }

    @Test
    void lewmHdf5_withoutEpOffset_isRefusedNamingItAndWritesNothing(@TempDir Path dir) throws Exception {
        Path h5 = dir.resolve("d.h5");
        ImportFixtures.lewm(h5, new int[] {3, 3}, 16, Set.of("ep_offset"));
        Path out = dir.resolve("t");
        UserError e = assertThrows(UserError.class, () -> Importers.run(Importers.byId("lewm-hdf5"), TestTables.CONF,
                h5.toString(), out.toString(), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("'ep_offset'"), e.getMessage());
        assertNothingAt(out);
    }

    @Test
    void minari_dictObservationsGiveImageAndStateAndTheTerminationFlag(@TempDir Path dir) throws Exception {
        ImportFixtures.minari(dir.resolve("pointmaze"), new int[] {4, 6}, 16, Set.of());
        String out = dir.resolve("t").toString();
        TableMetadata md = importValid("minari", dir.resolve("pointmaze").toString(), out,
                ImportOptions.defaults().withFrameskip(2));
        assertEquals("minari:pointmaze", md.env().id());
        assertEquals(2, md.state().dim(), "agent_pos");
        assertEquals(6, md.stepsPerEpisode(), "the shorter episode terminated");
        List<Episode> eps = episodes(out);
        assertTrue(eps.get(0).terminal());
        assertFalse(eps.get(1).terminal());
        assertArrayEquals(new float[] {1.3f, -0.3f}, eps.get(1).actions()[3]);
        assertArrayEquals(new float[] {5, -1}, eps.get(1).states()[5]);
    }

    @Test
    void minari_withoutTruncations_isRefusedNamingItAndWritesNothing(@TempDir Path dir) throws Exception {
        ImportFixtures.minari(dir.resolve("m"), new int[] {4}, 16, Set.of("truncations"));
        Path out = dir.resolve("t");
        UserError e = assertThrows(UserError.class, () -> Importers.run(Importers.byId("minari"), TestTables.CONF,
                dir.resolve("m").toString(), out.toString(), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("/episode_0/truncations"), e.getMessage());
        assertNothingAt(out);
    }

    @Test
    void lerobot_parquetImagesAreDecodedAndTheLastActionDropped(@TempDir Path dir) throws Exception {
        ImportFixtures.lerobot(dir.resolve("lr"), new int[] {4, 5}, 16, "image", null);
        String out = dir.resolve("t").toString();
        TableMetadata md = importValid("lerobot", dir.resolve("lr").toString(), out,
                ImportOptions.defaults().withFrameskip(1));
        assertEquals(2, md.episodes());
        assertEquals(3, md.state().dim());
        List<Episode> eps = episodes(out);
        assertArrayEquals(new float[] {1.2f, -0.2f}, eps.get(1).actions()[2]);
        assertArrayEquals(new float[] {0, 0}, eps.get(1).actions()[4]);
        assertEquals((byte) (40 + 2 * 7 + 3 * 3 + 4 * 5 + 60), eps.get(1).frames()[2][(3 * 16 + 4) * 3 + 1]);
        assertTrue(eps.get(0).terminal(), "next.done on the last frame");
    }

    @Test
    void lerobot_missingActionColumn_orVideoFeature_isRefusedAndWritesNothing(@TempDir Path dir) throws Exception {
        ImportFixtures.lerobot(dir.resolve("a"), new int[] {3}, 16, "image", "action");
        Path out = dir.resolve("t");
        UserError e = assertThrows(UserError.class, () -> Importers.run(Importers.byId("lerobot"), TestTables.CONF,
                dir.resolve("a").toString(), out.toString(), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("no column 'action'"), e.getMessage());
        assertNothingAt(out);

        ImportFixtures.lerobot(dir.resolve("v"), new int[] {3}, 16, "video", null);
        UserError v = assertThrows(UserError.class, () -> Importers.run(Importers.byId("lerobot"), TestTables.CONF,
                dir.resolve("v").toString(), out.toString(), ImportOptions.defaults()));
        assertTrue(v.getMessage().contains("video-encoded"), v.getMessage());
        assertNothingAt(out);
    }

    @Test
    void exportToLeRobotAndImportBack_givesTheSameFingerprintAndMetadata(@TempDir Path dir) throws Exception {
        String table = TestTables.makeValid(dir);
        TableMetadata src;
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            src = r.metadata();
        }
        String lr = dir.resolve("lr").toString();
        assertEquals(src.frames(), LeRobotExporter.export(TestTables.CONF, table, lr, 10, false));
        assertTrue(Files.exists(Path.of(lr, "meta/episodes/chunk-000/file-000.parquet")));
        TableMetadata back = importValid("lerobot", lr, dir.resolve("back").toString(),
                new ImportOptions(null, null, null, null, 5, 2, false));
        assertEquals(src.fingerprint(), back.fingerprint());
        assertEquals(src.env(), back.env());
        assertEquals(src.action(), back.action());
        assertEquals(src.frameskip(), back.frameskip());
        assertEquals(src.distractorState().dim(), back.distractorState().dim());
    }
}
