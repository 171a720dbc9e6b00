package io.smwm.core.eval;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.Environment;
import io.smwm.core.env.StepResult;
import io.smwm.core.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Pairs made on the fly the way a recorded dataset would hold them: reset the env with a per-pair seed, run a
 * behaviour policy for {@code goalOffset} steps, and take the first frame/state as the start and the last as the
 * goal, with the actions taken between them as the recorded route. Deterministic in (n, seed).
 */
public final class SimulatedPairSource implements PairSource {
    private final Supplier<Environment> envFactory;
    private final Supplier<BehaviourPolicy> policyFactory;
    private final int goalOffset;

    public SimulatedPairSource(Supplier<Environment> envFactory, Supplier<BehaviourPolicy> policyFactory,
                               int goalOffset) {
        if (goalOffset < 1) {
            throw new IllegalArgumentException("goalOffset must be >= 1, got " + goalOffset);
        }
        this.envFactory = envFactory;
        this.policyFactory = policyFactory;
        this.goalOffset = goalOffset;
    }

    @Override
    public int goalOffset() {
        return goalOffset;
    }

    @Override
    public List<StartGoalPair> sample(int n, long seed) {
        Environment env = envFactory.get();
        BehaviourPolicy policy = policyFactory.get();
        List<StartGoalPair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long s = Seeds.derive(seed, "pair", i);
            env.reset(s);
            policy.reset(env, new SplittableRandom(Seeds.derive(s, "policy")));
            float[] start = env.state(), startDistractor = env.distractorState();
            StepResult last = null;
            float[][] actions = new float[goalOffset][];
            for (int t = 0; t < goalOffset; t++) {
                actions[t] = policy.act(env).clone();
                last = env.step(actions[t]);
            }
            out.add(new StartGoalPair("sim" + i + "@seed" + Long.toHexString(s), start, startDistractor,
                    last.observation(), env.state(), goalOffset, actions));
        }
        return out;
    }

    @Override
    public String description() {
        return "simulated: " + envFactory.get().spec().id() + " policy " + policyFactory.get().name() + ", offset "
                + goalOffset;
    }
}
