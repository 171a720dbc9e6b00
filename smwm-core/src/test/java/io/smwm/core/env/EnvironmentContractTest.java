package io.smwm.core.env;

import io.smwm.core.render.RgbImage;
import io.smwm.core.env.distractor.Distractors;
import io.smwm.core.env.catalog.Environments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link Environment} contract, checked for every task variant, with and without every distractor. */
class EnvironmentContractTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<List<String>> distractorSets = new ArrayList<>();
        distractorSets.add(List.of());
        for (String d : Distractors.NAMES) {
            distractorSets.add(List.of(d));
        }
        distractorSets.add(Distractors.NAMES);
        for (String id : Environments.ids()) {
            for (String variant : Environments.task(id).variants()) {
                for (List<String> ds : distractorSets) {
                    out.add(Arguments.of(id, variant, ds));
                }
            }
        }
        return out.stream();
    }

    static Stream<Arguments> tasksWithOneDistractor() {
        List<Arguments> out = new ArrayList<>();
        for (String id : Environments.ids()) {
            for (String variant : Environments.task(id).variants()) {
                for (String d : Distractors.NAMES) {
                    out.add(Arguments.of(id, variant, d));
                }
            }
        }
        return out.stream();
    }

    private static Environment make(String id, String variant, List<String> distractors) {
        return Environments.create(id, new EnvConfig(variant, 64, distractors, Map.of()));
    }

    /** Frames, task states and distractor states of one rollout (index 0 = after reset). */
    record Rollout(List<RgbImage> frames, List<float[]> states, List<float[]> distractorStates) {}

    /** Resets with seed and runs 30 random steps (actions from seed 99, some outside the bounds). */
    private static Rollout rollout(Environment env, long seed) {
        env.reset(seed);
        SplittableRandom r = new SplittableRandom(99);
        Rollout out = new Rollout(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        out.frames().add(env.render());
        out.states().add(env.state());
        out.distractorStates().add(env.distractorState());
        for (int t = 0; t < 30; t++) {
            float[] a = new float[env.spec().actionDim()];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (2.4 * r.nextDouble() - 1.2); // also exercises clipping
            }
            out.frames().add(env.step(a).observation());
            out.states().add(env.state());
            out.distractorStates().add(env.distractorState());
        }
        return out;
    }

    private static void assertSameRollout(Rollout a, Rollout b) {
        assertEquals(a.frames(), b.frames());
        for (int i = 0; i < a.states().size(); i++) {
            assertArrayEquals(a.states().get(i), b.states().get(i), "state " + i);
            assertArrayEquals(a.distractorStates().get(i), b.distractorStates().get(i), "distractor state " + i);
        }
    }

    @ParameterizedTest(name = "{0}/{1} {2}")
    @MethodSource("cases")
    void sameSeedSameActions_identicalFramesAndStates_differentSeedDiffers(String id, String variant,
                                                                          List<String> ds) {
        Rollout a = rollout(make(id, variant, ds), 7);
        Rollout b = rollout(make(id, variant, ds), 7);
        assertSameRollout(a, b);
        Rollout c = rollout(make(id, variant, ds), 8);
        assertNotEquals(a.frames().get(0), c.frames().get(0), "different seeds should give different start frames");
        assertFalse(java.util.Arrays.equals(a.states().get(0), c.states().get(0)), "different start states");
    }

    @ParameterizedTest(name = "{0}/{1} {2}")
    @MethodSource("cases")
    void setStateOnFreshInstance_reproducesFrameBitForBit(String id, String variant, List<String> ds) {
        Environment src = make(id, variant, ds);
        src.reset(3);
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 20; t++) {
            float[] a = new float[src.spec().actionDim()];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (2 * r.nextDouble() - 1);
            }
            RgbImage frame = src.step(a).observation();
            float[] state = src.state();
            float[] dstate = src.distractorState();
            assertEquals(src.spec().stateDim(), state.length);
            assertEquals(src.spec().distractorStateDim(), dstate.length);

            Environment dst = make(id, variant, ds);
            dst.reset(1000 + t);
            assertNotEquals(frame, dst.render(), "fresh instance should start elsewhere");
            dst.setState(state);
            dst.setDistractorState(dstate);
            assertEquals(frame, dst.render(), "step " + t);
            assertArrayEquals(state, dst.state());
            assertArrayEquals(dstate, dst.distractorState());
        }
    }

    @ParameterizedTest(name = "{0}/{1} {2}")
    @MethodSource("tasksWithOneDistractor")
    void distractor_changesPixelsButNotTaskState(String id, String variant, String distractor) {
        Rollout plain = rollout(make(id, variant, List.of()), 11);
        Rollout distracted = rollout(make(id, variant, List.of(distractor)), 11);
        int frames = plain.frames().size(), differentFrames = 0;
        for (int i = 0; i < frames; i++) {
            assertArrayEquals(plain.states().get(i), distracted.states().get(i), "task state " + i);
            if (!plain.frames().get(i).equals(distracted.frames().get(i))) {
                differentFrames++;
            }
        }
        assertEquals(frames, differentFrames, distractor + " should change every frame");
        assertTrue(frames > 30);
        assertTrue(distracted.distractorStates().get(0).length > 0);
    }
}
