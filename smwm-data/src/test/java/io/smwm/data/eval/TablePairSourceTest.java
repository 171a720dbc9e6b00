package io.smwm.data.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.eval.MinGoalDistance;
import io.smwm.core.eval.StartGoalPair;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.testing.TestTables;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TrajectoryReader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablePairSourceTest {

    @Test
    void pairs_carryTheRecordedRoute_whichReplayedFromTheStartReachesTheGoal(@TempDir Path dir) throws Exception {
        String table = TestTables.makeValid(dir); // 4 episodes of 6 steps, a distractor dot
        TablePairSource src = new TablePairSource(table, EpisodeSplit.of(4, 0.0, 1L), 3);
        List<StartGoalPair> pairs = src.sample(6, 5L);
        assertEquals(6, pairs.size());
        DiscEnv env = new DiscEnv(TestTables.smallSpec().envConfig());
        for (StartGoalPair p : pairs) {
            assertEquals(3, p.goalOffset());
            assertEquals(3, p.recordedActions().length);
            env.reset(0);
            env.setState(p.startState());
            env.setDistractorState(p.startDistractorState());
            for (float[] a : p.recordedActions()) {
                env.step(a);
            }
            assertArrayEquals(p.goalState(), env.state(), 1e-6f, p.id());
        }
        // the same seed draws the same pairs
        assertEquals(pairs.stream().map(StartGoalPair::id).toList(),
                src.sample(6, 5L).stream().map(StartGoalPair::id).toList());
        assertThrows(UserError.class, () -> new TablePairSource(table, EpisodeSplit.of(4, 0.0, 1L), 7));
    }

    @Test
    void historyFrames_areTheRecordedFramesBeforeTheStart_andDoNotChangeWhichPairsAreDrawn(@TempDir Path dir)
            throws Exception {
        String table = TestTables.makeValid(dir);
        EpisodeSplit split = EpisodeSplit.of(4, 0.0, 1L);
        List<StartGoalPair> plain = new TablePairSource(table, split, 3).sample(8, 2L);
        List<StartGoalPair> hist = new TablePairSource(table, split, 3, 2).sample(8, 2L);
        java.util.Map<Long, io.smwm.data.table.Episode> eps = new java.util.HashMap<>();
        try (io.smwm.data.table.TrajectoryReader r = io.smwm.data.table.TrajectoryReader.open(table)) {
            r.readAll().forEach(e -> eps.put(e.episodeIndex(), e));
        }
        boolean sawShort = false, sawFull = false;
        for (int i = 0; i < plain.size(); i++) {
            StartGoalPair p = hist.get(i);
            assertEquals(plain.get(i).id(), p.id());
            assertEquals(0, plain.get(i).startHistory().size());
            long ep = Long.parseLong(p.id().substring(2, 8));
            int t = Integer.parseInt(p.id().substring(p.id().indexOf("@t") + 2));
            assertEquals(Math.min(2, t), p.startHistory().size(), p.id());
            for (int j = 0; j < p.startHistory().size(); j++) {
                assertArrayEquals(eps.get(ep).frames()[t - p.startHistory().size() + j], p.startHistory().get(j).data());
            }
            sawShort |= t < 2;
            sawFull |= t >= 2;
        }
        assertTrue(sawFull, "some start late enough for two frames before it");
    }

    /** A start-goal distance as evaluation measures it: the disc's goal error of the start state against the goal. */
    private static double distance(StartGoalPair p) {
        DiscEnv env = new DiscEnv(TestTables.smallSpec().envConfig());
        env.setState(p.startState());
        return env.goalError(p.goalState())[0];
    }

    private static TablePairSource far(String table, EpisodeSplit split, int offset, double d) throws Exception {
        EnvConfig cfg = TestTables.smallSpec().envConfig();
        return new TablePairSource(table, split, offset, 0, new MinGoalDistance(d), () -> new DiscEnv(cfg));
    }

    /** Every (episode, start) of the table whose start-goal distance exceeds d, as "epNNNNNN@tT" ids. */
    private static Set<String> eligible(String table, int offset, double d) throws Exception {
        Set<String> ids = new HashSet<>();
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            for (Episode e : r.readAll()) {
                for (int t = 0; t + offset < e.frameCount(); t++) {
                    float[] a = e.states()[t], b = e.states()[t + offset];
                    if (Math.hypot(a[0] - b[0], a[1] - b[1]) > d) {
                        ids.add(String.format("ep%06d@t%d", e.episodeIndex(), t));
                    }
                }
            }
        }
        return ids;
    }

    @Test
    void minGoalDistance_drawsOnlyDistinctPairsFartherThanIt_deterministicallyPerSeed(@TempDir Path dir)
            throws Exception {
        String table = TestTables.makeValid(dir); // 4 episodes x 6 steps: 16 starts at offset 3
        EpisodeSplit split = EpisodeSplit.of(4, 0.0, 1L);
        double d = 0.05; // the disc moves at most 0.05 a step: about half of the 3-step pairs are farther
        Set<String> ok = eligible(table, 3, d);
        assertTrue(ok.size() >= 4 && ok.size() < 16, "a table with near and far pairs: " + ok.size() + " far");
        // the plain draw does hold pairs at or below the bound (else the filter would test nothing)
        assertTrue(new TablePairSource(table, split, 3).sample(16, 5L).stream().anyMatch(p -> distance(p) <= d));
        TablePairSource src = far(table, split, 3, d);
        List<StartGoalPair> pairs = src.sample(ok.size(), 5L);
        assertEquals(ok.size(), pairs.size());
        for (StartGoalPair p : pairs) {
            assertTrue(distance(p) > d, p.id() + " at distance " + distance(p));
            assertTrue(ok.contains(p.id()), p.id());
        }
        assertEquals(ok, pairs.stream().map(StartGoalPair::id).collect(Collectors.toSet()), "distinct: all of them");
        List<String> again = src.sample(ok.size(), 5L).stream().map(StartGoalPair::id).toList();
        assertEquals(pairs.stream().map(StartGoalPair::id).toList(), again, "the same seed draws the same pairs");
        List<String> three = src.sample(3, 5L).stream().map(StartGoalPair::id).toList();
        List<String> other = src.sample(3, 6L).stream().map(StartGoalPair::id).toList();
        assertEquals(three, src.sample(3, 5L).stream().map(StartGoalPair::id).toList());
        assertNotEquals(three, other, "another seed, another draw (" + ok.size() + " pairs to choose from)");
        assertEquals(d, src.minGoalDistance().value());
        assertTrue(src.description().contains("only pairs with start-goal disc_distance > 0.05"), src.description());
    }

    @Test
    void minGoalDistance_withTooFewFarPairs_isAnErrorNamingHowManyThereAre(@TempDir Path dir) throws Exception {
        String table = TestTables.makeValid(dir);
        EpisodeSplit split = EpisodeSplit.of(4, 0.0, 1L);
        int found = eligible(table, 3, 0.05).size();
        UserError e = assertThrows(UserError.class, () -> far(table, split, 3, 0.05).sample(found + 1, 5L));
        assertTrue(e.getMessage().contains("only " + found + " of the 16 start frames"), e.getMessage());
        assertTrue(e.getMessage().contains("--min-goal-distance"), e.getMessage());
        UserError none = assertThrows(UserError.class, () -> far(table, split, 3, 1.0).sample(1, 5L));
        assertTrue(none.getMessage().contains("only 0 of the 16"), none.getMessage());
    }

    @Test
    void withoutMinGoalDistance_theDrawIsTheOneBefore(@TempDir Path dir) throws Exception {
        String table = TestTables.makeValid(dir);
        EpisodeSplit split = EpisodeSplit.of(4, 0.0, 1L);
        // the draw before the option, pinned: table seed 42, split seed 1, eval seed 5, offset 3
        List<String> before = List.of("ep000000@t3", "ep000002@t1", "ep000002@t0", "ep000000@t1", "ep000003@t2",
                "ep000000@t3", "ep000001@t1", "ep000001@t0");
        List<String> plain = new TablePairSource(table, split, 3).sample(8, 5L).stream().map(StartGoalPair::id).toList();
        List<String> nulls = new TablePairSource(table, split, 3, 0, null, null).sample(8, 5L).stream()
                .map(StartGoalPair::id).toList();
        assertEquals(before, plain);
        assertEquals(before, nulls);
        assertNull(new TablePairSource(table, split, 3).minGoalDistance());
        assertThrows(IllegalArgumentException.class, () -> new MinGoalDistance(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new MinGoalDistance(Double.NaN));
    }
}
