package io.smwm.core.plan.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.cube.Cube;
import io.smwm.core.env.cube.CubePickPlacePolicy;
import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.render.RgbImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Cube oracle: frames to states, and rollouts that are the env's own steps. */
class CubeOracleModelTest {
    private static final float[] MEAN = {0.1f, -0.1f, 0f, 0f, 0.2f}, STD = {0.5f, 0.5f, 0.5f, 0.25f, 0.8f};

    /** A pick-place stretch: the start state, its 25 actions (5 model steps of 5) and the states after each. */
    private static float[][][] recorded(Cube c, int warmup) {
        BehaviourPolicy p = new CubePickPlacePolicy();
        c.reset(3);
        p.reset(c, new SplittableRandom(3));
        for (int t = 0; t < warmup; t++) c.step(p.act(c));
        float[][] start = {c.state()}, actions = new float[25][], after = new float[25][];
        for (int t = 0; t < 25; t++) {
            actions[t] = p.act(c);
            c.step(actions[t]);
            after[t] = c.state();
        }
        return new float[][][] {start, actions, after};
    }

    @Test
    void simulate_isWhatStepDoesToTheState() {
        Cube c = new Cube(EnvConfig.defaults());
        float[][][] r = recorded(c, 30);
        Cube sim = new Cube(EnvConfig.defaults());
        assertArrayEquals(r[2][24], sim.simulate(r[0][0], r[1]));
        assertArrayEquals(r[2][9], sim.simulate(r[0][0], java.util.Arrays.copyOf(r[1], 10)));
        float[][] wild = {{5f, -5f, 3f, 0f, -2f}}, clipped = {{1f, -1f, 1f, 0f, -1f}};
        assertArrayEquals(sim.simulate(r[0][0], clipped), sim.simulate(r[0][0], wild), "actions clipped to the box");
    }

    @Test
    void encode_registeredAndWatchedFrames_rolloutReproducesTheEnv() {
        Cube c = new Cube(EnvConfig.defaults());
        float[][][] r = recorded(c, 40);
        CubeOracleModel m = new CubeOracleModel("default", 5, MEAN, STD);
        assertEquals(6 + Cube.STATE_DIM, m.latentDim());
        // the goal frame, registered; the start frame, found by rendering a watched env in that state
        Cube goalEnv = new Cube(EnvConfig.defaults());
        goalEnv.reset(0);
        goalEnv.setState(r[2][24]);
        RgbImage goal = goalEnv.render();
        m.register(goal, r[2][24]);
        Cube live = new Cube(EnvConfig.defaults());
        live.reset(0);
        live.setState(r[0][0]);
        m.watch(live);
        float[] z = m.encode(List.of(live.render(), goal));
        float[] s0 = r[0][0], sg = r[2][24];
        assertArrayEquals(new float[] {s0[0], s0[1], s0[2], s0[8], s0[9], s0[10]}, java.util.Arrays.copyOf(z, 6));
        assertArrayEquals(new float[] {sg[0], sg[1], sg[2], sg[8], sg[9], sg[10]},
                java.util.Arrays.copyOfRange(z, m.latentDim(), m.latentDim() + 6));
        // two candidates from the start: the recorded actions (normalised) reach the goal's latent; zeros do not
        float[] actions = new float[2 * 25 * 5];
        for (int t = 0; t < 25; t++) {
            float[] n = m.normalise(r[1][t]);
            System.arraycopy(n, 0, actions, t * 5, 5);
        }
        for (int i = 125; i < 250; i++) actions[i] = -MEAN[i % 5] / STD[i % 5];
        float[] out = new float[2 * m.latentDim()];
        m.rolloutTerminal(java.util.Arrays.copyOf(z, m.latentDim()), 1, 2, actions, 5, out);
        float[] zg = java.util.Arrays.copyOfRange(z, m.latentDim(), 2 * m.latentDim());
        for (int i = 0; i < 6; i++) assertEquals(zg[i], out[i], 1e-6f, "scene component " + i);
        double move = 0;
        for (int i = 0; i < 6; i++) move += Math.abs(out[m.latentDim() + i] - z[i]);
        double still = 0;
        for (int i = 3; i < 6; i++) still += Math.abs(out[m.latentDim() + i] - z[i]);
        assertTrue(still < 1e-3, "no actions: the cube stays, moved " + still);
        assertTrue(move < 0.05, "no actions: the gripper barely moves, moved " + move);
        float[] round = m.unnormalise(m.normalise(r[1][3]));
        for (int j = 0; j < 5; j++) assertEquals(r[1][3][j], round[j], 1e-6f);
        // an unknown frame is refused
        live.setState(r[2][10]);
        Cube elsewhere = new Cube(EnvConfig.defaults());
        elsewhere.reset(0);
        elsewhere.setState(r[2][5]);
        RgbImage other = elsewhere.render();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.encode(List.of(other)));
        assertTrue(e.getMessage().contains("does not know this frame"), e.getMessage());
    }
}
