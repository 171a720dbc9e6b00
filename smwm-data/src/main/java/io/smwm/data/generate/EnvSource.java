package io.smwm.data.generate;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import java.util.function.Supplier;

/**
 * Where a generator gets its environment and behaviour policy: the registry (by the spec's env id and policy
 * name) or explicit factories (tests, custom tasks). Each call of a supplier must give a fresh instance built
 * the same way, so that generation is deterministic.
 */
public record EnvSource(Supplier<Environment> env, Supplier<BehaviourPolicy> policy) {

    /** From {@link Environments}: create(spec.envId(), spec.envConfig()) and policy(spec.envId(), spec.policy()). */
    public static EnvSource registry(GenerationSpec spec) {
        Environments.task(spec.envId()); // fail early, listing the valid ids
        return new EnvSource(() -> Environments.create(spec.envId(), spec.envConfig()),
                () -> Environments.policy(spec.envId(), spec.policy()));
    }

    public static EnvSource of(Supplier<Environment> env, Supplier<BehaviourPolicy> policy) {
        return new EnvSource(env, policy);
    }
}
