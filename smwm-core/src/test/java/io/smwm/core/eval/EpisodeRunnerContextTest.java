package io.smwm.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.render.RgbImage;
import io.smwm.core.plan.LatentModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The runner gives a model with context 2 the latents of the current frame and of the frame k steps before it. */
class EpisodeRunnerContextTest {
    static final Supplier<Environment> TWOROOM = () -> Environments.create("tworoom", EnvConfig.defaults());

    /** Context 2, k = 5; z = a frame's first byte (its red at (0,0)); records encode calls and planning states. */
    static final class RecordingModel implements LatentModel {
        final List<List<RgbImage>> encoded = new ArrayList<>();

        @Override public int latentDim() { return 1; }
        @Override public int primitiveActionDim() { return 2; }
        @Override public int frameskip() { return 5; }
        @Override public int context() { return 2; }

        @Override
        public float[] encode(List<RgbImage> frames) {
            encoded.add(List.copyOf(frames));
            float[] z = new float[frames.size()];
            for (int i = 0; i < z.length; i++) {
                z[i] = frames.get(i).data()[0] & 0xff;
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

    /** Records the planning states it is given and always pushes the agent in +x for one model step. */
    static final class StateRecorder implements Controller {
        final List<float[]> states = new ArrayList<>();

        @Override public String name() { return "rec"; }
        @Override public boolean needsLatents() { return true; }
        @Override public void begin(List<StartGoalPair> pairs, float[] goalLatents, long seed, int firstEpisode) {}

        @Override
        public float[][][] act(int[] episodes, float[] latents) {
            float[][][] out = new float[episodes.length][][];
            for (int i = 0; i < episodes.length; i++) {
                states.add(new float[] {latents[2 * i], latents[2 * i + 1]});
                out[i] = new float[5][];
                for (int s = 0; s < 5; s++) {
                    out[i][s] = new float[] {1f, 0f};
                }
            }
            return out;
        }
    }

    static RgbImage solid(int rgb) {
        RgbImage img = new RgbImage(64, 64);
        img.fill(rgb);
        return img;
    }

    @Test
    void context2_startStateUsesTheRecordedFrameKStepsBack_laterStatesTheExecutedFrames() {
        StartGoalPair sim = new SimulatedPairSource(TWOROOM, () -> Environments.policy("tworoom", "scripted"), 10)
                .sample(1, 3L).get(0);
        List<RgbImage> before = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            before.add(solid((10 + i) << 16)); // red 10..16: frames t-7 .. t-1
        }
        StartGoalPair withPast = new StartGoalPair("a", sim.startState(), sim.startDistractorState(), sim.goalFrame(),
                sim.goalState(), 10, null, before);
        StartGoalPair noPast = new StartGoalPair("b", sim.startState(), sim.startDistractorState(), sim.goalFrame(),
                sim.goalState(), 10);
        RecordingModel m = new RecordingModel();
        StateRecorder c = new StateRecorder();
        EvalConfig cfg = EvalConfig.defaults().withStopOnSuccess(false);
        new EpisodeRunner(TWOROOM, m, cfg).run(c, List.of(withPast, noPast), 12, 1L);

        assertSame(withPast.goalFrame(), m.encoded.get(0).get(0), "goals first, one frame each");
        assertEquals(2, m.encoded.get(0).size());
        assertEquals(before.subList(2, 7), m.encoded.get(1), "the last (c-1)k = 5 recorded frames are encoded");
        // solve 0 at t = 0: episode a's state is [z(frame t-5), z(start)]; episode b has no past: [z(start), z(start)]
        float zStartA = c.states.get(0)[1];
        assertArrayEquals(new float[] {12f, zStartA}, c.states.get(0), 1e-6f);
        assertEquals(c.states.get(1)[0], c.states.get(1)[1], 1e-6f);
        // solve 1 at t = 5: [z(start frame), z(frame 5)]
        assertEquals(zStartA, c.states.get(2)[0], 1e-6f);
        assertEquals(6, c.states.size(), "solves at t = 0, 5, 10 for each of the two episodes");
        assertEquals(c.states.get(2)[1], c.states.get(4)[0], 1e-6f, "at t = 10 the older latent is the one of t = 5");
    }
}
