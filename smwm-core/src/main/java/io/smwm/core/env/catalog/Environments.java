package io.smwm.core.env.catalog;

import io.smwm.core.env.RandomPolicy;
import io.smwm.core.env.Environment;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.cube.Cube;
import io.smwm.core.env.cube.CubePickPlacePolicy;
import io.smwm.core.env.cube.CubeScriptedPolicy;
import io.smwm.core.env.pusht.PushT;
import io.smwm.core.env.pusht.PushTPusherPolicy;
import io.smwm.core.env.pusht.PushTScriptedPolicy;
import io.smwm.core.env.reacher.Reacher;
import io.smwm.core.env.reacher.ReacherReachPolicy;
import io.smwm.core.env.reacher.ReacherScriptedPolicy;
import io.smwm.core.env.dotworld.DotWorld;
import io.smwm.core.env.dotworld.DotWorldInBoundsPolicy;
import io.smwm.core.env.tworoom.TwoRoom;
import io.smwm.core.env.tworoom.TwoRoomScriptedPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
     * @param variants      the named variants ("default" where the task has no others); the first is the default:
     *                      {@link Environments#create} maps the variant "default" to it when "default" is not listed
     * @param policies      data-collection policies by name ("random" is always there)
     * @param defaultPolicy the policy used when none is asked for
     * @param params        the config params the task takes ({@link EnvConfig#params()}); each is recorded under the
     *                      same key in its spec's params (an evaluation param only when set off its default), so a
     *                      table's metadata can rebuild the same task
     * @param evalParams    those of {@code params} that change only the success test, not the dynamics or the frames,
     *                      so an evaluation may set them on any table of the task ({@link #withEvaluationParams})
     */
    public record Task(String id, Function<EnvConfig, Environment> factory, List<String> variants,
                       Map<String, Supplier<BehaviourPolicy>> policies, String defaultPolicy, Set<String> params,
                       Set<String> evalParams) {
        public Task {
            params = Set.copyOf(params);
            evalParams = Set.copyOf(evalParams);
            if (!params.containsAll(evalParams)) {
                throw new IllegalArgumentException(id + ": evaluation params " + evalParams + " not all in " + params);
            }
        }
    }

    private static final Map<String, Task> REGISTRY = new LinkedHashMap<>();

    static {
        register(new Task(TwoRoom.ID, TwoRoom::new, List.of("default"),
                policies(p("scripted", TwoRoomScriptedPolicy::new),
                        p(TwoRoomScriptedPolicy.NOISY_EXPERT, TwoRoomScriptedPolicy::noisyExpert),
                        p("random", RandomPolicy::new)), "scripted", Set.of(), Set.of()));
        register(new Task(DotWorld.ID, DotWorld::new, List.copyOf(DotWorld.VARIANT_LAYOUTS.keySet()),
                policies(p(DotWorldInBoundsPolicy.NAME, DotWorldInBoundsPolicy::new), p("random", RandomPolicy::new)),
                DotWorldInBoundsPolicy.NAME, Set.copyOf(DotWorld.PARAM_KEYS), Set.of()));
        register(new Task(Reacher.ID, Reacher::new, Reacher.VARIANTS,
                policies(p(ReacherReachPolicy.NAME, ReacherReachPolicy::new), p("scripted", ReacherScriptedPolicy::new),
                        p("random", RandomPolicy::new)), ReacherReachPolicy.NAME, Set.of(), Set.of()));
        register(new Task(PushT.ID, PushT::new, List.of("default"),
                policies(p(PushTPusherPolicy.NAME, PushTPusherPolicy::new),
                        p(PushTPusherPolicy.FIXED_NAME, PushTPusherPolicy::towardFixedTarget),
                        p(PushTPusherPolicy.DEMO_NAME, PushTPusherPolicy::atDemonstratorPace),
                        p("scripted", PushTScriptedPolicy::new), p("random", RandomPolicy::new)), PushTPusherPolicy.NAME,
                Set.of(PushT.PARAM_BLOCK_MASS, PushT.PARAM_SUCCESS_AGENT), Set.of(PushT.PARAM_SUCCESS_AGENT)));
        register(new Task(Cube.ID, Cube::new, List.of("default"),
                policies(p("scripted", CubeScriptedPolicy::new), p(CubePickPlacePolicy.NAME, CubePickPlacePolicy::new),
                        p(CubePickPlacePolicy.EXPLORE_NAME, CubePickPlacePolicy::exploring),
                        p(CubePickPlacePolicy.MISS_NAME, CubePickPlacePolicy::missing),
                        p(CubePickPlacePolicy.RUSH_NAME, CubePickPlacePolicy::rushing),
                        p("random", RandomPolicy::new)), "scripted", Set.of(Cube.PARAM_CAMERA_ZOOM), Set.of()));
    }

    /** A policy registered under a name. */
    private record Named(String name, Supplier<BehaviourPolicy> policy) {}

    private static Named p(String name, Supplier<BehaviourPolicy> policy) {
        return new Named(name, policy);
    }

    /** An insertion-ordered policy map (so error messages and listings are stable). */
    private static Map<String, Supplier<BehaviourPolicy>> policies(Named... named) {
        Map<String, Supplier<BehaviourPolicy>> m = new LinkedHashMap<>();
        for (Named n : named) {
            m.put(n.name(), n.policy());
        }
        return java.util.Collections.unmodifiableMap(m);
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

    /**
     * Builds task {@code id} from a config; the variant "default" means the task's first variant (e.g. dotworld's
     * "single") when the task does not list "default" itself. Unknown variants are an error listing the valid ones.
     */
    public static Environment create(String id, EnvConfig config) {
        Task t = task(id);
        if ("default".equals(config.variant()) && !t.variants().contains("default")) {
            config = config.withVariant(t.variants().get(0));
        }
        if (!t.variants().contains(config.variant())) {
            throw new IllegalArgumentException("unknown variant '" + config.variant() + "' for " + id
                    + "; valid: " + t.variants());
        }
        return t.factory().apply(config);
    }

    /**
     * {@code config} with {@code overrides} set over its params, for evaluating a table of task {@code id} with
     * another success test: every key must be one of the task's {@link Task#evalParams}; the values are checked by
     * building the task once.
     *
     * @throws IllegalArgumentException naming the key and the keys that may be set, or the bad value
     */
    public static EnvConfig withEvaluationParams(String id, EnvConfig config, Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return config;
        }
        Task t = task(id);
        Map<String, String> params = new java.util.TreeMap<>(config.params());
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!t.evalParams().contains(e.getKey())) {
                throw new IllegalArgumentException(id + ": '" + e.getKey() + "' cannot be set for an evaluation (it "
                        + "would change the task the table recorded); the ones that can: "
                        + (t.evalParams().isEmpty() ? "none" : new java.util.TreeSet<>(t.evalParams())));
            }
            params.put(e.getKey(), e.getValue());
        }
        EnvConfig out = new EnvConfig(config.variant(), config.imageSize(), config.distractors(), params);
        create(id, out);
        return out;
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
