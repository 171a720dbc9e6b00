package io.smwm.core.env;

import io.smwm.core.env.cube.Cube;
import io.smwm.core.env.cube.CubeScriptedPolicy;
import io.smwm.core.env.pusht.PushT;
import io.smwm.core.env.pusht.PushTScriptedPolicy;
import io.smwm.core.env.reacher.Reacher;
import io.smwm.core.env.reacher.ReacherScriptedPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Registry of tasks by id: how to build each environment, its data-collection policies and the default one.
 * Unknown ids and policy names are errors that list the valid ones.
 */
public final class Environments {

    /**
     * One task.
     *
     * @param id            registry id
     * @param factory       builds an instance from a config
     * @param variants      the named variants ("default" first where the task has no others)
     * @param policies      data-collection policies by name ("random" is always there)
     * @param defaultPolicy the policy used when none is asked for
     */
    public record Task(String id, Function<EnvConfig, Environment> factory, List<String> variants,
                       Map<String, Supplier<BehaviourPolicy>> policies, String defaultPolicy) {}

    private static final Map<String, Task> REGISTRY = new LinkedHashMap<>();

    static {
        // tasks register here, e.g.
        // register(new Task("tworoom", TwoRoom::new, List.of("default"), Map.of("random", RandomPolicy::new,
        //         "scripted", TwoRoomScriptedPolicy::new), "scripted"));
        register(new Task(Reacher.ID, Reacher::new, List.of("default"), Map.of("random", RandomPolicy::new,
                "scripted", ReacherScriptedPolicy::new), "scripted"));
        register(new Task(PushT.ID, PushT::new, List.of("default"), Map.of("random", RandomPolicy::new,
                "scripted", PushTScriptedPolicy::new), "scripted"));
        register(new Task(Cube.ID, Cube::new, List.of("default"), Map.of("random", RandomPolicy::new,
                "scripted", CubeScriptedPolicy::new), "scripted"));
    }

    private Environments() {}

    private static void register(Task t) {
        if (!t.policies().containsKey(t.defaultPolicy())) {
            throw new IllegalStateException(t.id() + ": default policy " + t.defaultPolicy() + " not registered");
        }
        REGISTRY.put(t.id(), t);
    }

    public static List<String> ids() {
        return List.copyOf(REGISTRY.keySet());
    }

    public static Task task(String id) {
        Task t = REGISTRY.get(id);
        if (t == null) {
            throw new IllegalArgumentException("unknown environment '" + id + "'; valid: " + ids());
        }
        return t;
    }

    public static Environment create(String id, EnvConfig config) {
        Task t = task(id);
        if (!t.variants().contains(config.variant())) {
            throw new IllegalArgumentException("unknown variant '" + config.variant() + "' for " + id
                    + "; valid: " + t.variants());
        }
        return t.factory().apply(config);
    }

    /** A fresh policy; null or empty name means the task's default. */
    public static BehaviourPolicy policy(String id, String name) {
        Task t = task(id);
        String n = (name == null || name.isBlank()) ? t.defaultPolicy() : name;
        Supplier<BehaviourPolicy> s = t.policies().get(n);
        if (s == null) {
            throw new IllegalArgumentException("unknown policy '" + n + "' for " + id + "; valid: "
                    + t.policies().keySet());
        }
        return s.get();
    }
}
