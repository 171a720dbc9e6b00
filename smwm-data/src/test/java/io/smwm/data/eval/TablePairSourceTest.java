package io.smwm.data.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.eval.StartGoalPair;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.testing.TestTables;
import java.nio.file.Path;
import java.util.List;
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
}
