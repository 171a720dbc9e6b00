package io.smwm.core.env;

import io.smwm.core.render.RgbImage;
import io.smwm.core.env.distractor.Distractors;
import io.smwm.core.env.catalog.Environments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Environment contract, checked for the physics tasks reacher, pusht and cube. */
class PhysicsTasksContractTest {

    private static Environment make(String id) {
        return Environments.create(id, EnvConfig.defaults());
    }

    /** Actions from the task's default (scripted) policy, so the runs include contacts and grasps. */
    private static List<float[]> scriptedActions(String id, long seed, int n) {
        Environment env = make(id);
        env.reset(seed);
        BehaviourPolicy p = Environments.policy(id, null);
        p.reset(env, new SplittableRandom(seed + 1));
        List<float[]> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            float[] a = p.act(env);
            out.add(a);
            env.step(a);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"reacher", "pusht", "cube"})
    void sameSeedAndActions_giveIdenticalFramesAndStates(String id) {
        List<float[]> actions = scriptedActions(id, 11, 60);
        Environment a = make(id), b = make(id);
        a.reset(11);
        b.reset(11);
        assertEquals(a.render(), b.render());
        for (float[] act : actions) {
            assertEquals(a.step(act).observation(), b.step(act).observation());
            assertArrayEquals(a.state(), b.state());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reacher", "pusht", "cube"})
    void instancesSteppedInParallelThreads_matchASequentialRun(String id) throws Exception {
        List<float[]> actions = scriptedActions(id, 21, 150);
        Environment ref = make(id);
        ref.reset(21);
        for (float[] a : actions) {
            ref.step(a);
        }
        float[] expected = ref.state();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<float[]>> runs = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                runs.add(pool.submit(() -> {
                    Environment env = make(id);
                    env.reset(21);
                    for (float[] a : actions) {
                        env.step(a);
                    }
                    return env.state();
                }));
            }
            for (java.util.concurrent.Future<float[]> f : runs) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reacher", "pusht", "cube"})
    void differentSeeds_giveDifferentStarts(String id) {
        Environment a = make(id), b = make(id);
        a.reset(1);
        b.reset(2);
        assertNotEquals(a.render(), b.render());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reacher", "pusht", "cube"})
    void restoredState_reproducesFrameAndFutureSteps(String id) {
        List<float[]> actions = scriptedActions(id, 5, 80);
        Environment a = make(id);
        a.reset(5);
        for (int t = 0; t < 50; t++) {
            a.step(actions.get(t));
        }
        float[] snap = a.state();
        RgbImage frame = a.render();
        // a fresh instance with another episode, and the same instance after diverging
        Environment b = make(id);
        b.reset(999);
        b.step(actions.get(0));
        b.setState(snap);
        assertArrayEquals(snap, b.state());
        assertEquals(frame, b.render(), "restored frame must match bit for bit");
        List<float[]> future = new ArrayList<>();
        for (int t = 50; t < 80; t++) {
            a.step(actions.get(t));
            b.step(actions.get(t));
            assertArrayEquals(a.state(), b.state(), "step " + t + " after restore");
            future.add(a.state());
        }
        a.setState(snap);
        for (int t = 50; t < 80; t++) {
            a.step(actions.get(t));
            assertArrayEquals(future.get(t - 50), a.state(), "same instance restored, step " + t);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reacher", "pusht", "cube"})
    void specMatchesStateActionAndImage(String id) {
        Environment env = Environments.create(id, EnvConfig.defaults().withImageSize(96));
        env.reset(3);
        EnvSpec s = env.spec();
        assertEquals(id, s.id());
        assertEquals(s.stateDim(), env.state().length);
        assertEquals(s.stateDim(), s.stateNames().size());
        RgbImage img = env.step(new float[s.actionDim()]).observation();
        assertEquals(96, img.width());
        assertEquals(96 * 96 * 3, img.data().length);
        for (int i : env.positionStateIndices()) {
            assertTrue(env.state()[i] >= 0 && env.state()[i] <= 1, "position index " + i + " in [0,1]");
        }
        assertEquals(0, env.distractorState().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reacher", "pusht", "cube"})
    void actionsOutsideBounds_areClipped(String id) {
        Environment a = make(id), b = make(id);
        a.reset(4);
        b.reset(4);
        int m = a.spec().actionDim();
        float[] big = new float[m], one = new float[m];
        for (int i = 0; i < m; i++) {
            big[i] = 7f;
            one[i] = 1f;
        }
        a.step(big);
        b.step(one);
        assertArrayEquals(a.state(), b.state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reacher", "pusht", "cube"})
    void badInputs_areRejectedWithTheExpectedShape(String id) {
        Environment env = make(id);
        env.reset(0);
        assertThrows(IllegalArgumentException.class, () -> env.setState(new float[env.spec().stateDim() + 1]));
        assertThrows(IllegalArgumentException.class, () -> env.step(new float[env.spec().actionDim() + 1]));
        assertThrows(IllegalArgumentException.class, () -> Environments.create(id,
                new EnvConfig("default", 64, List.of(), Map.of("nope", "1"))));
        assertThrows(IllegalArgumentException.class, () -> Environments.policy(id, "nope"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reacher", "pusht", "cube"})
    void everyDistractor_changesPixelsButNotState(String id) {
        Assumptions.assumeFalse(Distractors.NAMES.isEmpty(), "no distractors registered in this build");
        List<float[]> actions = scriptedActions(id, 8, 20);
        for (String name : Distractors.NAMES) {
            Environment plain = make(id);
            Environment noisy = Environments.create(id, EnvConfig.defaults().withDistractors(List.of(name)));
            plain.reset(8);
            noisy.reset(8);
            boolean differs = !plain.render().equals(noisy.render());
            for (float[] a : actions) {
                differs |= !plain.step(a).observation().equals(noisy.step(a).observation());
                assertArrayEquals(plain.state(), noisy.state(), name + " must not change the task state");
            }
            assertTrue(differs, name + " must change some pixels");
            float[] ds = noisy.distractorState();
            float[] ts = noisy.state();
            RgbImage frame = noisy.render();
            Environment other = Environments.create(id, EnvConfig.defaults().withDistractors(List.of(name)));
            other.reset(123);
            other.setState(ts);
            other.setDistractorState(ds);
            assertEquals(frame, other.render(), name + ": task + distractor state reproduce the frame");
        }
    }
}
