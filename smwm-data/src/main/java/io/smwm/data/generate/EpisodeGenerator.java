package io.smwm.data.generate;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.EnvSpec;
import io.smwm.core.env.Environment;
import io.smwm.core.env.StepResult;
import io.smwm.core.util.Seeds;
import io.smwm.data.table.Episode;
import java.util.SplittableRandom;

/**
 * Records episodes of a behaviour policy in an environment. Episode e: env.reset(Seeds.derive(seed, "episode", e)),
 * policy.reset(env, new SplittableRandom(Seeds.derive(seed, "policy", e))), record frame 0; then for t in
 * 0..steps-1: a_t = policy.act(env), record a_t on row t, step, record frame t+1 (image, state, distractor
 * state); stop after a terminal step. The same spec and index give an identical Episode on any machine.
 * One instance reuses one environment and policy: not thread-safe.
 */
public final class EpisodeGenerator {
    private final GenerationSpec spec;
    private final Environment env;
    private final BehaviourPolicy policy;

    /** With the registry's env and policy. */
    public EpisodeGenerator(GenerationSpec spec) {
        this(spec, EnvSource.registry(spec));
    }

    /** With explicit factories (tests, tasks outside the registry). */
    public EpisodeGenerator(GenerationSpec spec, java.util.function.Supplier<Environment> env,
                            java.util.function.Supplier<BehaviourPolicy> policy) {
        this(spec, EnvSource.of(env, policy));
    }

    public EpisodeGenerator(GenerationSpec spec, EnvSource source) {
        this.spec = spec;
        this.env = source.env().get();
        this.policy = source.policy().get();
    }

    public EnvSpec envSpec() { return env.spec(); }

    /** Generates episode episodeIndex (0 <= episodeIndex < spec.episodes()). */
    public Episode generate(long episodeIndex) {
        if (episodeIndex < 0 || episodeIndex >= spec.episodes()) {
            throw new IndexOutOfBoundsException("episode index must be in [0, " + spec.episodes() + "), got "
                    + episodeIndex);
        }
        EnvSpec es = env.spec();
        int m = es.actionDim();
        int n = spec.steps() + 1;
        byte[][] frames = new byte[n][];
        float[][] states = new float[n][], distractors = new float[n][], actions = new float[n][];
        env.reset(Seeds.derive(spec.seed(), "episode", episodeIndex));
        policy.reset(env, new SplittableRandom(Seeds.derive(spec.seed(), "policy", episodeIndex)));
        frames[0] = env.render().data().clone();
        states[0] = env.state();
        distractors[0] = env.distractorState();
        int t = 0;
        boolean terminal = false;
        while (t < spec.steps() && !terminal) {
            float[] a = policy.act(env);
            if (a.length != m) {
                throw new IllegalStateException("policy '" + policy.name() + "' returned an action of length "
                        + a.length + ", expected " + m + " for " + es.id());
            }
            actions[t] = a.clone();
            StepResult r = env.step(a);
            t++;
            frames[t] = r.observation().data().clone();
            states[t] = env.state();
            distractors[t] = env.distractorState();
            terminal = r.terminal();
        }
        actions[t] = new float[m];
        int len = t + 1;
        if (len < n) {
            frames = java.util.Arrays.copyOf(frames, len);
            states = java.util.Arrays.copyOf(states, len);
            distractors = java.util.Arrays.copyOf(distractors, len);
            actions = java.util.Arrays.copyOf(actions, len);
        }
        return new Episode(episodeIndex, es.imageWidth(), es.imageHeight(), frames, states, distractors, actions,
                terminal);
    }
}
