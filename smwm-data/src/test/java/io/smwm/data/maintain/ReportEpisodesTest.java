package io.smwm.data.maintain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.util.UserError;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.Episode;
import io.smwm.data.table.Json;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.ValidationReport;
import io.smwm.data.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** table from-report: an evaluation's executed episodes replayed into a new table. */
class ReportEpisodesTest {

    /** A report as {@code evaluate --record-states} writes it: for each (episode, start) a random-action run. */
    private static ObjectNode report(String table, List<Episode> eps, String env, EnvConfig cfg, int[][] starts,
                                     int steps, String fingerprint) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema", "smwm.eval.report");
        root.putObject("provenance").put("table_fingerprint", fingerprint).put("eval_seed", 5);
        root.putObject("config").put("planner.method", "cem");
        ArrayNode episodes = root.putArray("episodes");
        SplittableRandom rng = new SplittableRandom(3);
        for (String method : List.of("cem", "random")) {
            for (int[] s : starts) {
                Episode src = eps.get(s[0]);
                Environment e = Environments.create(env, cfg);
                e.setState(src.states()[s[1]]);
                e.setDistractorState(src.distractorStates()[s[1]]);
                ObjectNode ep = episodes.addObject();
                ep.put("method", method).put("pair_id", String.format("ep%06d@t%d", s[0], s[1]))
                        .put("success", s[0] == 1);
                ArrayNode states = ep.putArray("states"), actions = ep.putArray("actions");
                addRow(states, e.state());
                for (int t = 0; t < steps + s[0]; t++) { // episodes of different lengths
                    float[] a = new float[e.spec().actionDim()];
                    for (int j = 0; j < a.length; j++) {
                        a[j] = (float) (2 * rng.nextDouble() - 1);
                    }
                    e.step(a);
                    addRow(actions, a);
                    addRow(states, e.state());
                }
            }
        }
        return root;
    }

    private static void addRow(ArrayNode rows, float[] v) {
        ArrayNode r = rows.addArray();
        for (float x : v) {
            r.add(x);
        }
    }

    private static List<Episode> read(String table) throws Exception {
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            return r.readAll();
        }
    }

    private static String table(Path dir, String env, EnvConfig cfg, String policy) {
        String t = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec(env, cfg, policy, 3, 20, 42, 5, 2), t, false);
        return t;
    }

    private static String fingerprint(String table) throws Exception {
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            return r.metadata().fingerprint();
        }
    }

    @Test
    void cube_replaysTheRecordedActions_framesRenderedFromTheTablesStartRows(@TempDir Path dir) throws Exception {
        EnvConfig cfg = EnvConfig.defaults().withImageSize(32);
        String t = table(dir, "cube", cfg, "pick-place");
        List<Episode> src = read(t);
        int[][] starts = {{0, 4}, {2, 11}, {1, 0}};
        Path rep = dir.resolve("rep");
        Files.createDirectories(rep);
        Files.writeString(rep.resolve("report.json"), Json.write(report(t, src, "cube", cfg, starts, 7,
                fingerprint(t))));
        String out = dir.resolve("out").toString();

        ReportEpisodes.Result r = ReportEpisodes.write(TestTables.CONF, rep.toString(), t, out, null, false, 2);

        ValidationReport v = new TableValidator().validate(out);
        assertTrue(v.ok(), v.format());
        TableMetadata md = r.metadata();
        assertEquals(3, md.episodes(), "the planner's (cem) episodes only");
        assertEquals(1, r.solved());
        assertEquals(7 + 9 + 8, r.steps());
        assertEquals(0, md.stepsPerEpisode(), "lengths differ");
        assertEquals("report:cem", md.generator().policy());
        assertEquals(5, md.generator().seed());
        assertEquals("cube", md.env().id());
        List<Episode> got = read(out);
        for (int i = 0; i < starts.length; i++) {
            Episode e = got.get(i), s = src.get(starts[i][0]);
            assertEquals(7 + starts[i][0] + 1, e.frameCount());
            assertArrayEquals(s.frames()[starts[i][1]], e.frames()[0], "the start frame rendered anew equals the "
                    + "table's");
            assertArrayEquals(s.states()[starts[i][1]], e.states()[0]);
            assertFalse(java.util.Arrays.equals(e.frames()[0], e.frames()[e.frameCount() - 1]), "the gripper moved");
            assertArrayEquals(new float[5], e.actions()[e.frameCount() - 1]);
        }
        // the actions are the report's, and replaying them gives the frames written
        var ep0 = Json.tree(Files.readString(rep.resolve("report.json"))).path("episodes").get(0);
        Environment env = Environments.create("cube", cfg);
        env.setState(src.get(0).states()[4]);
        for (int k = 0; k < 7; k++) {
            float[] a = new float[5];
            for (int j = 0; j < 5; j++) {
                a[j] = (float) ep0.path("actions").get(k).get(j).asDouble();
            }
            assertArrayEquals(a, got.get(0).actions()[k]);
            assertArrayEquals(env.step(a).observation().data(), got.get(0).frames()[k + 1]);
        }

        ReportEpisodes.Result rr = ReportEpisodes.write(TestTables.CONF, rep.resolve("report.json").toString(), t,
                dir.resolve("rand").toString(), "random", false, 50);
        assertEquals(3, rr.metadata().episodes());
        assertEquals("report:random", rr.metadata().generator().policy());
    }

    @Test
    void distractorsOfTheStartRowAreRestored(@TempDir Path dir) throws Exception {
        EnvConfig cfg = EnvConfig.defaults().withImageSize(32).withDistractors(List.of("moving-background"));
        String t = table(dir, "tworoom", cfg, null);
        List<Episode> src = read(t);
        int[][] starts = {{1, 9}, {2, 3}};
        Path rep = dir.resolve("report.json");
        Files.writeString(rep, Json.write(report(t, src, "tworoom", cfg, starts, 5, fingerprint(t))));
        String out = dir.resolve("out").toString();

        ReportEpisodes.write(TestTables.CONF, rep.toString(), t, out, "cem", false, 50);

        List<Episode> got = read(out);
        assertEquals(2, got.size());
        assertTrue(src.get(1).distractorStates()[9].length > 0, "precondition: a distractor state");
        assertArrayEquals(src.get(1).distractorStates()[9], got.get(0).distractorStates()[0]);
        assertArrayEquals(src.get(1).frames()[9], got.get(0).frames()[0], "the background where the row had it");
        assertArrayEquals(src.get(2).frames()[3], got.get(1).frames()[0]);
    }

    @Test
    void refusals_leaveNothingAtTheOutput(@TempDir Path dir) throws Exception {
        EnvConfig cfg = EnvConfig.defaults().withImageSize(32);
        String t = table(dir, "cube", cfg, "pick-place");
        List<Episode> src = read(t);
        int[][] starts = {{0, 4}, {2, 11}};
        String out = dir.resolve("out").toString();
        Path rep = dir.resolve("report.json");

        ObjectNode bent = report(t, src, "cube", cfg, starts, 6, fingerprint(t));
        ArrayNode s = (ArrayNode) bent.path("episodes").get(1).path("states").get(4);
        s.set(0, s.get(0).floatValue() + 0.01f);
        Files.writeString(rep, Json.write(bent));
        UserError e = assertThrows(UserError.class,
                () -> ReportEpisodes.write(TestTables.CONF, rep.toString(), t, out, null, false, 50));
        assertTrue(e.getMessage().contains("ep000002@t11, step 4") && e.getMessage().contains("departs"),
                e.getMessage());
        assertFalse(Files.exists(Path.of(out)), "nothing written");

        ObjectNode other = report(t, src, "cube", cfg, starts, 6, "sha256:00");
        Files.writeString(rep, Json.write(other));
        e = assertThrows(UserError.class,
                () -> ReportEpisodes.write(TestTables.CONF, rep.toString(), t, out, null, false, 50));
        assertTrue(e.getMessage().contains("fingerprint sha256:00"), e.getMessage());

        ObjectNode moved = report(t, src, "cube", cfg, starts, 6, fingerprint(t));
        ((ObjectNode) moved.path("episodes").get(0)).put("pair_id", "ep000001@t4"); // another row than it started at
        Files.writeString(rep, Json.write(moved));
        e = assertThrows(UserError.class,
                () -> ReportEpisodes.write(TestTables.CONF, rep.toString(), t, out, null, false, 50));
        assertTrue(e.getMessage().contains("its start is not row ep000001@t4"), e.getMessage());

        ObjectNode plain = report(t, src, "cube", cfg, starts, 6, fingerprint(t));
        for (var ep : plain.path("episodes")) {
            ((ObjectNode) ep).remove(List.of("states", "actions"));
        }
        Files.writeString(rep, Json.write(plain));
        e = assertThrows(UserError.class,
                () -> ReportEpisodes.write(TestTables.CONF, rep.toString(), t, out, null, false, 50));
        assertTrue(e.getMessage().contains("--record-states"), e.getMessage());
        assertFalse(Files.exists(Path.of(out)), "nothing written");
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().startsWith(".out")),
                "no staging directory left");
    }
}
