package io.smwm.core.env.tworoom;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.Environments;
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
