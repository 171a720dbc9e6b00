package io.smwm.core.env.tworoom;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.util.Seeds;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TwoRoomScriptedPolicyTest {

    /** Share of 100-step episodes in which the agent's side of x = 0.5 changes at least once. */
    private static double crossingShare(String policy, int episodes) {
        Environment env = Environments.create("tworoom", EnvConfig.defaults());
        BehaviourPolicy p = Environments.policy("tworoom", policy);
        int crossed = 0;
        for (int ep = 0; ep < episodes; ep++) {
            env.reset(Seeds.derive(123, "episode", ep));
            p.reset(env, new SplittableRandom(Seeds.derive(123, "policy", ep)));
            boolean left = env.state()[0] < 0.5f, didCross = false;
            for (int t = 0; t < 100; t++) {
                float[] a = p.act(env);
                assertTrue(a.length == 2 && Math.abs(a[0]) <= 1 && Math.abs(a[1]) <= 1, "action within bounds");
                env.step(a);
                if ((env.state()[0] < 0.5f) != left) {
                    didCross = true;
                }
            }
            if (didCross) {
                crossed++;
            }
        }
        return crossed / (double) episodes;
    }

    @Test
    void scriptedPolicy_crossesTheDoorInAGoodShareOfEpisodes() {
        double scripted = crossingShare("scripted", 200);
        double random = crossingShare("random", 200);
        System.out.printf("tworoom door-crossing share over 200 x 100-step episodes: scripted %.1f%%, random %.1f%%%n",
                100 * scripted, 100 * random);
        assertTrue(scripted >= 0.3, "scripted policy crossed in only " + scripted);
        assertTrue(scripted > random, "scripted should cross more than random");
    }

    /** Mean distance covered in 25 steps from a uniformly drawn step of 100-step episodes. */
    private static double meanDisplacement25(String policy, int episodes) {
        Environment env = Environments.create("tworoom", EnvConfig.defaults());
        BehaviourPolicy p = Environments.policy("tworoom", policy);
        double sum = 0;
        int n = 0;
        for (int ep = 0; ep < episodes; ep++) {
            env.reset(Seeds.derive(77, "episode", ep));
            p.reset(env, new SplittableRandom(Seeds.derive(77, "policy", ep)));
            float[][] xy = new float[101][];
            xy[0] = env.state().clone();
            for (int t = 0; t < 100; t++) {
                float[] a = p.act(env);
                assertTrue(a.length == 2 && Math.abs(a[0]) <= 1 && Math.abs(a[1]) <= 1, "action within bounds");
                env.step(a);
                xy[t + 1] = env.state().clone();
            }
            for (int t = 0; t + 25 <= 100; t += 5) {
                sum += Math.hypot(xy[t + 25][0] - xy[t][0], xy[t + 25][1] - xy[t][1]);
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void noisyExpert_isABiasedRandomWalk_slowerThanScripted_fasterThanRandom() {
        double scripted = meanDisplacement25("scripted", 100);
        double expert = meanDisplacement25(TwoRoomScriptedPolicy.NOISY_EXPERT, 100);
        double random = meanDisplacement25("random", 100);
        System.out.printf("tworoom mean 25-step displacement: scripted %.3f, noisy-expert %.3f, random %.3f%n",
                scripted, expert, random);
        // measured: scripted 0.301, noisy-expert 0.158, random 0.082 (full speed would cover 25 * 0.025 = 0.625)
        assertTrue(expert < 0.7 * scripted, "noisy-expert should be much slower than scripted: " + expert + " vs "
                + scripted);
        assertTrue(expert > 1.4 * random, "noisy-expert should drift more than random: " + expert + " vs " + random);
        assertTrue(Environments.policy("tworoom", TwoRoomScriptedPolicy.NOISY_EXPERT).name()
                .equals(TwoRoomScriptedPolicy.NOISY_EXPERT));
    }

    @Test
    void scriptedPolicy_isDeterministicGivenItsStream() {
        Environment a = Environments.create("tworoom", EnvConfig.defaults());
        Environment b = Environments.create("tworoom", EnvConfig.defaults());
        BehaviourPolicy pa = new TwoRoomScriptedPolicy(), pb = new TwoRoomScriptedPolicy();
        a.reset(5);
        b.reset(5);
        pa.reset(a, new SplittableRandom(9));
        pb.reset(b, new SplittableRandom(9));
        for (int t = 0; t < 200; t++) {
            a.step(pa.act(a));
            b.step(pb.act(b));
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.state(), b.state());
        }
    }
}
