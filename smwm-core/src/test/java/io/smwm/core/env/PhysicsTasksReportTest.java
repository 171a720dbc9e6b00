package io.smwm.core.env;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.cube.Cube;
import io.smwm.core.env.pusht.PushT;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Prints (does not assert on) frames per second and data-coverage shares of the physics tasks' data policies.
 * Episodes per task: system property {@code smwm.report.episodes} (default 10; the numbers in the issue note
 * used 100). Only sanity bounds are asserted.
 */
class PhysicsTasksReportTest {
    private static final int EPISODES = Integer.getInteger("smwm.report.episodes", 10);
    private static final int STEPS = 100;

    private interface Probe {
        void episodeStart(float[] s);

        void step(float[] s);

        void episodeEnd(float[] s);
    }

    /** Runs the policy; returns env steps per second (each step renders a 64x64 frame). */
    private static double run(String id, String policy, Probe probe) {
        Environment env = Environments.create(id, EnvConfig.defaults());
        BehaviourPolicy p = Environments.policy(id, policy);
        long t0 = System.nanoTime();
        for (int e = 0; e < EPISODES; e++) {
            env.reset(e);
            p.reset(env, new SplittableRandom(1000 + e));
            probe.episodeStart(env.state());
            for (int t = 0; t < STEPS; t++) {
                env.step(p.act(env));
                probe.step(env.state());
            }
            probe.episodeEnd(env.state());
        }
        return EPISODES * STEPS / ((System.nanoTime() - t0) / 1e9);
    }

    private static double renderFps(String id) {
        Environment env = Environments.create(id, EnvConfig.defaults());
        env.reset(1);
        for (int i = 0; i < 200; i++) {
            env.render();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            env.render();
        }
        return 2000 / ((System.nanoTime() - t0) / 1e9);
    }

    private static void print(String fmt, Object... args) {
        System.out.println(String.format(Locale.ROOT, fmt, args));
    }

    @Test
    void reacher_speedAndJointSpaceCoverage() {
        for (String pol : new String[] {"scripted", "random"}) {
            int[] bins = new int[144];
            double fps = run("reacher", pol, new Probe() {
                public void episodeStart(float[] s) {}

                public void step(float[] s) {
                    int i = (int) ((s[0] + Math.PI) / (2 * Math.PI) * 11.999);
                    int j = (int) ((s[1] + Math.PI) / (2 * Math.PI) * 11.999);
                    bins[12 * i + j]++;
                }

                public void episodeEnd(float[] s) {}
            });
            int visited = 0;
            for (int b : bins) {
                visited += b > 0 ? 1 : 0;
            }
            print("[report] reacher/%s: %.0f steps/s (render only %.0f frames/s); joint-space bins visited %d/144",
                    pol, fps, renderFps("reacher"), visited);
            assertTrue(visited > 0);
        }
    }

    @Test
    void pusht_speedAndShareOfEpisodesMovingTheBlock() {
        for (String pol : new String[] {"scripted", "random"}) {
            int[] moved = new int[1];
            float[][] start = new float[1][];
            double fps = run("pusht", pol, new Probe() {
                public void episodeStart(float[] s) {
                    start[0] = s;
                }

                public void step(float[] s) {}

                public void episodeEnd(float[] s) {
                    if (Math.hypot(s[4] - start[0][4], s[5] - start[0][5]) > PushT.BLOCK_WIDTH) {
                        moved[0]++;
                    }
                }
            });
            print("[report] pusht/%s: %.0f steps/s (render only %.0f frames/s); block moved > its width in %d/%d "
                    + "episodes of %d steps", pol, fps, renderFps("pusht"), moved[0], EPISODES, STEPS);
        }
    }

    @Test
    void cube_speedAndShareOfLiftedAndPlacedEpisodes() {
        for (String pol : new String[] {"scripted", "random"}) {
            int[] counts = new int[3]; // grasped, lifted, placed elsewhere
            float[][] start = new float[1][];
            boolean[] flags = new boolean[2];
            double fps = run("cube", pol, new Probe() {
                public void episodeStart(float[] s) {
                    start[0] = s;
                    flags[0] = false;
                    flags[1] = false;
                }

                public void step(float[] s) {
                    flags[0] |= s[21] > 0.5f;
                    flags[1] |= s[10] > start[0][10] + 0.02;
                }

                public void episodeEnd(float[] s) {
                    counts[0] += flags[0] ? 1 : 0;
                    counts[1] += flags[1] ? 1 : 0;
                    double d = Math.hypot(s[8] - start[0][8], s[9] - start[0][9]);
                    double v = Math.sqrt(s[15] * s[15] + s[16] * s[16] + s[17] * s[17]);
                    if (d > 0.05 && s[21] < 0.5f && v < 0.02 && s[10] < Cube.HALF_SIZE + 0.003) {
                        counts[2]++;
                    }
                }
            });
            print("[report] cube/%s: %.0f steps/s (render only %.0f frames/s); grasped %d/%d, lifted > 2 cm %d/%d, "
                    + "placed > 5 cm away and resting %d/%d", pol, fps, renderFps("cube"), counts[0], EPISODES,
                    counts[1], EPISODES, counts[2], EPISODES);
        }
    }
}
