package io.smwm.data.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
