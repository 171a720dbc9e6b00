package io.smwm.core.plan.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.pusht.PushT;
import io.smwm.core.env.pusht.PushTPusherPolicy;
import io.smwm.core.render.RgbImage;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Push-T oracle: frames to states, a scene in units of the success thresholds, rollouts that are the env's steps. */
class PushTOracleModelTest {
    private static final float[] MEAN = {0.05f, -0.05f}, STD = {0.6f, 0.5f};

    /** A pusher stretch: the start state, its 25 actions and the states after each. */
    private static float[][][] recorded(PushT p, int warmup) {
        BehaviourPolicy pol = new PushTPusherPolicy();
        p.reset(4);
        pol.reset(p, new SplittableRandom(4));
        for (int t = 0; t < warmup; t++) p.step(pol.act(p));
        float[][] start = {p.state()}, actions = new float[25][], after = new float[25][];
        for (int t = 0; t < 25; t++) {
            actions[t] = pol.act(p);
            p.step(actions[t]);
            after[t] = p.state();
        }
        return new float[][][] {start, actions, after};
    }

    @Test
    void simulate_isWhatStepDoesToTheState() {
        float[][][] r = recorded(new PushT(EnvConfig.defaults()), 20);
        PushT sim = new PushT(EnvConfig.defaults());
        assertArrayEquals(r[2][24], sim.simulate(r[0][0], r[1]));
        assertArrayEquals(r[2][9], sim.simulate(r[0][0], Arrays.copyOf(r[1], 10)));
        float[][] wild = {{4f, -3f}}, clipped = {{1f, -1f}};
        assertArrayEquals(sim.simulate(r[0][0], clipped), sim.simulate(r[0][0], wild), "actions clipped to the box");
    }

    @Test
    void encode_registeredAndWatchedFrames_rolloutReproducesTheEnv() {
        float[][][] r = recorded(new PushT(EnvConfig.defaults()), 30);
        PushTOracleModel m = new PushTOracleModel(EnvConfig.defaults(), 5, MEAN, STD, false);
        assertEquals(4 + 10, m.latentDim());
        PushT goalEnv = new PushT(EnvConfig.defaults());
        goalEnv.reset(0);
        goalEnv.setState(r[2][24]);
        RgbImage goal = goalEnv.render();
        m.register(goal, r[2][24]);
        PushT live = new PushT(EnvConfig.defaults());
        live.reset(0);
        live.setState(r[0][0]);
        m.watch(live);
        float[] z = m.encode(List.of(live.render(), goal));
        float[] s0 = r[0][0];
        // the scene in threshold units: 20 px of position, π/9 of turn
        assertEquals(s0[4] / PushT.SUCCESS_POS, z[0], 1e-4);
        assertEquals(s0[5] / PushT.SUCCESS_POS, z[1], 1e-4);
        assertEquals(Math.cos(s0[6]) / PushT.SUCCESS_ANGLE, z[2], 1e-4);
        assertEquals(Math.sin(s0[6]) / PushT.SUCCESS_ANGLE, z[3], 1e-4);
        // the recorded actions (normalised) reach the goal's scene; standing still leaves the block where it was
        float[] actions = new float[2 * 25 * 2];
        for (int t = 0; t < 25; t++) System.arraycopy(m.normalise(r[1][t]), 0, actions, t * 2, 2);
        for (int i = 50; i < 100; i++) actions[i] = -MEAN[i % 2] / STD[i % 2];
        float[] out = new float[2 * m.latentDim()];
        m.rolloutTerminal(Arrays.copyOf(z, m.latentDim()), 1, 2, actions, 5, out);
        for (int i = 0; i < 4; i++) assertEquals(z[m.latentDim() + i], out[i], 1e-4f, "scene component " + i);
        // the second candidate is its own rollout: 25 zero actions from the same start
        float[] still = new PushT(EnvConfig.defaults()).simulate(s0, new float[25][2]);
        assertEquals(still[4] / PushT.SUCCESS_POS, out[m.latentDim()], 1e-4);
        assertEquals(still[5] / PushT.SUCCESS_POS, out[m.latentDim() + 1], 1e-4);
        assertEquals(Math.cos(still[6]) / PushT.SUCCESS_ANGLE, out[m.latentDim() + 2], 1e-4);
        PushT elsewhere = new PushT(EnvConfig.defaults());
        elsewhere.reset(0);
        elsewhere.setState(r[2][5]);
        RgbImage other = elsewhere.render();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.encode(List.of(other)));
        assertTrue(e.getMessage().contains("does not know this frame"), e.getMessage());
        // with the agent: two more scene numbers, the agent's position in the same units
        PushTOracleModel a = new PushTOracleModel(EnvConfig.defaults(), 5, MEAN, STD, true);
        assertEquals(6 + 10, a.latentDim());
        a.register(goal, r[2][24]);
        float[] za = a.encode(List.of(goal));
        assertEquals(r[2][24][0] / PushT.SUCCESS_POS, za[4], 1e-4);
        assertEquals(r[2][24][1] / PushT.SUCCESS_POS, za[5], 1e-4);
        assertEquals(z[m.latentDim()], za[0], 1e-6);
    }
}
