package io.smwm.core.env;

import java.util.SplittableRandom;

/**
 * A data-collection policy: picks the primitive action for the next env step. Scripted policies may read the
 * environment's privileged state ({@link Environment#state()}); they are how offline data is made, not agents.
 */
public interface BehaviourPolicy {

    /** Registry name, e.g. "random" or "scripted". */
    String name();

    /** Starts an episode; called after {@code env.reset(...)}; rng is this episode's policy stream. */
    void reset(Environment env, SplittableRandom rng);

    /** The next primitive action a [actionDim], within the env's action bounds. */
    float[] act(Environment env);
}
