package io.smwm.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.Environments;
import io.smwm.core.env.RgbImage;
import io.smwm.core.plan.LatentModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The runner feeds a model with frame history h its last h frames, and the goal frame repeated h times. */
class EpisodeRunnerHistoryTest {
    static final Supplier<Environment> TWOROOM = () -> Environments.create("tworoom", EnvConfig.defaults());

    /** A history-2 model that records every batch of frames it is asked to encode; z = mean red of the newest. */
    static final class RecordingModel implements LatentModel {
        final List<List<RgbImage>> calls = new ArrayList<>();

        @Override public int latentDim() { return 1; }
        @Override public int primitiveActionDim() { return 2; }
        @Override public int frameskip() { return 5; }
        @Override public int history() { return 2; }

        @Override
        public float[] encode(List<RgbImage> frames) {
            calls.add(List.copyOf(frames));
            float[] z = new float[frames.size() / 2];
            for (int i = 0; i < z.length; i++) {
                z[i] = frames.get(2 * i + 1).data()[0] & 0xff;
            }
            return z;
        }

        @Override
        public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
            throw new UnsupportedOperationException();
        }

        @Override public float[] unnormalise(float[] a) { return a.clone(); }
        @Override public float[] normalise(float[] a) { return a.clone(); }
    }

    @Test
    void history2_startObservationUsesThePairsPreviousFrame_goalIsRepeated_thenFramesRoll() {
        List<StartGoalPair> sim = new SimulatedPairSource(TWOROOM, () -> Environments.policy("tworoom", "scripted"), 10)
                .sample(2, 3L);
        RgbImage before = new RgbImage(64, 64);
        before.fill(0x123456);
        StartGoalPair withPast = new StartGoalPair("a", sim.get(0).startState(), sim.get(0).startDistractorState(),
                sim.get(0).goalFrame(), sim.get(0).goalState(), 10, null, List.of(before));
        StartGoalPair noPast = sim.get(1);
        RecordingModel m = new RecordingModel();
        EvalConfig cfg = EvalConfig.defaults().withRandomBaseline(true).withStopOnSuccess(false);
        EpisodeRunner runner = new EpisodeRunner(TWOROOM, m, cfg);
        runner.run(new RandomController(new float[] {-1, -1}, new float[] {1, 1}), List.of(withPast, noPast), 3, 1L);

        List<RgbImage> goals = m.calls.get(0);
        assertEquals(4, goals.size(), "two goal observations of two frames");
        assertSame(withPast.goalFrame(), goals.get(0));
        assertSame(withPast.goalFrame(), goals.get(1), "the goal at rest: its frame twice");
        List<RgbImage> start = m.calls.get(1);
        assertEquals(4, start.size());
        assertSame(before, start.get(0), "the recorded frame before the start comes first");
        assertEquals(start.get(2), start.get(3), "no recorded past: the start frame repeated");
        assertTrue(!start.get(0).equals(start.get(1)));
        List<RgbImage> step1 = m.calls.get(2);
        assertSame(start.get(1), step1.get(0), "after a step the observation rolls: (start, new frame)");
        assertSame(start.get(3), step1.get(2));
    }
}
