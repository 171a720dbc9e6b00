package io.smwm.core.env.catalog;

import io.smwm.core.env.distractor.Distractors;
import io.smwm.core.env.Environment;
import io.smwm.core.env.EnvConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.env.dotworld.DotWorld;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentsRegistryTest {

    @Test
    void registry_listsEveryTaskWithTheirPoliciesAndDefaults() {
        assertEquals(List.of("tworoom", "dotworld", "reacher", "pusht", "cube"), Environments.ids());
        for (String id : List.of("pusht", "cube")) {
            assertEquals("random", Environments.policy(id, "random").name(), id);
        }
        assertEquals("scripted", Environments.task("cube").defaultPolicy());
        assertEquals("pusher", Environments.task("pusht").defaultPolicy());
        assertEquals("pusher", Environments.policy("pusht", null).name());
        assertEquals("scripted", Environments.policy("pusht", "scripted").name(), "scripted stays selectable");
        assertEquals(List.of("pusher", "pusher-fixed", "pusher-demo", "scripted", "random"),
                List.copyOf(Environments.task("pusht").policies().keySet()));
        assertEquals("pusher-fixed", Environments.policy("pusht", "pusher-fixed").name());
        assertEquals("reach", Environments.task("reacher").defaultPolicy());
        assertEquals(List.of("reach", "scripted", "random"), List.copyOf(Environments.task("reacher").policies().keySet()));
        assertEquals(List.of("dmc", "heavy"), Environments.task("reacher").variants());
        assertEquals("scripted", Environments.task("tworoom").defaultPolicy());
        assertEquals("in-bounds", Environments.task("dotworld").defaultPolicy());
        assertEquals("scripted", Environments.policy("tworoom", null).name());
        assertEquals("random", Environments.policy("tworoom", "random").name());
        assertEquals("in-bounds", Environments.policy("dotworld", "").name());
        assertEquals(List.of("single", "independent", "coupled", "distractor", "combined"),
                Environments.task("dotworld").variants());
        assertEquals(List.of("default"), Environments.task("tworoom").variants());
    }

    @Test
    void distractorNames_reflectTheFilledRegistry() {
        assertEquals(List.of("flicker", "moving-background", "random-dots"), Distractors.NAMES);
        assertEquals(3, Distractors.create(Distractors.NAMES).size());
    }

    @Test
    void dotworldDefaultVariant_isSingle() {
        Environment env = Environments.create("dotworld", EnvConfig.defaults());
        assertEquals("single", env.spec().variant());
        assertEquals(2, env.spec().actionDim());
        assertEquals(2, new DotWorld(EnvConfig.defaults()).spec().actionDim());
    }

    @Test
    void dotworldActionDims_perVariant_are_2_4_2_2_6() {
        Map<String, Integer> expected = Map.of("single", 2, "independent", 4, "coupled", 2, "distractor", 2,
                "combined", 6);
        for (var e : expected.entrySet()) {
            Environment env = Environments.create("dotworld", EnvConfig.defaults().withVariant(e.getKey()));
            assertEquals(e.getValue(), env.spec().actionDim(), e.getKey());
        }
    }

    @Test
    void unknownEnvironment_errorListsValidIds() {
        var ex = assertThrows(IllegalArgumentException.class, () -> Environments.task("pusht2"));
        assertTrue(ex.getMessage().contains("[tworoom, dotworld, reacher, pusht, cube]"), ex.getMessage());
    }

    @Test
    void unknownVariant_errorListsValidVariants() {
        var ex = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("dotworld", EnvConfig.defaults().withVariant("triple")));
        assertTrue(ex.getMessage().contains("single, independent, coupled, distractor, combined"), ex.getMessage());
        var ex2 = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("tworoom", EnvConfig.defaults().withVariant("three-room")));
        assertTrue(ex2.getMessage().contains("[default]"), ex2.getMessage());
    }

    @Test
    void unknownDistractor_errorListsValidNames() {
        var ex = assertThrows(IllegalArgumentException.class, () -> Environments.create("tworoom",
                EnvConfig.defaults().withDistractors(List.of("flicker", "snow"))));
        assertTrue(ex.getMessage().contains("'snow'"), ex.getMessage());
        assertTrue(ex.getMessage().contains("[flicker, moving-background, random-dots]"), ex.getMessage());
    }

    @Test
    void unknownPolicy_errorListsValidPolicies() {
        var ex = assertThrows(IllegalArgumentException.class, () -> Environments.policy("tworoom", "expert"));
        assertTrue(ex.getMessage().contains("[scripted, noisy-expert, random]"), ex.getMessage());
        var ex2 = assertThrows(IllegalArgumentException.class, () -> Environments.policy("dotworld", "scripted"));
        assertTrue(ex2.getMessage().contains("[in-bounds, random]"), ex2.getMessage());
    }

    /**
     * Every task records its config params in its spec under the same keys (an evaluation param only when set off its
     * default, so default tables keep their metadata), and a config made of exactly those entries of a spec rebuilds
     * the same spec: what lets a table's metadata recreate its environment.
     */
    @Test
    void configParams_areRecordedInTheSpec_andReplayToTheSameTask() {
        Map<String, Map<String, String>> custom = Map.of("dotworld", Map.of("start", "central"),
                "pusht", Map.of("block_mass", "30", "success_agent", "true"), "cube", Map.of("camera_zoom", "1.4"));
        for (String id : Environments.ids()) {
            Environments.Task t = Environments.task(id);
            var cfg = new EnvConfig("default", 32, List.of(), custom.getOrDefault(id, Map.of()));
            var spec = Environments.create(id, cfg).spec();
            assertTrue(spec.params().keySet().containsAll(t.params()), id + ": " + spec.params() + " vs " + t.params());
            var plain = Environments.create(id, new EnvConfig("default", 32, List.of(), Map.of())).spec();
            for (String k : t.params()) {
                assertEquals(!t.evalParams().contains(k), plain.params().containsKey(k), id + " default " + k);
            }
            Map<String, String> replay = new java.util.TreeMap<>(spec.params());
            replay.keySet().retainAll(t.params());
            var again = Environments.create(id, new EnvConfig(spec.variant(), 32, List.of(), replay)).spec();
            assertEquals(spec.params(), again.params(), id);
            assertEquals(spec.variant(), again.variant(), id);
        }
        assertEquals("30.0", Environments.create("pusht", new EnvConfig("default", 32, List.of(),
                Map.of("block_mass", "30"))).spec().params().get("block_mass"));
        assertEquals(java.util.Set.of("block_mass", "success_agent"), Environments.task("pusht").params());
        assertEquals(java.util.Set.of("layout", "start"), Environments.task("dotworld").params());
        assertEquals(java.util.Set.of("camera_zoom"), Environments.task("cube").params());
    }

    @Test
    void unknownParameter_isAnError() {
        var cfg = new EnvConfig("default", 64, List.of(), Map.of("speed", "2"));
        var ex = assertThrows(IllegalArgumentException.class, () -> Environments.create("tworoom", cfg));
        assertTrue(ex.getMessage().contains("speed"), ex.getMessage());
        var ex2 = assertThrows(IllegalArgumentException.class, () -> Environments.create("dotworld", cfg));
        assertTrue(ex2.getMessage().contains("[layout, start]"), ex2.getMessage());
    }

    @Test
    void wrongActionLengthOrNaN_isAnError() {
        Environment env = Environments.create("tworoom", EnvConfig.defaults());
        env.reset(0);
        assertThrows(IllegalArgumentException.class, () -> env.step(new float[3]));
        assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {Float.NaN, 0}));
    }

    /**
     * An evaluation may set only the params that change the success test alone (Push-T's success_agent), checked by
     * building the task; dynamics params and other tasks' params are refused, naming what may be set.
     */
    @Test
    void evaluationParams_onlyTheSuccessTestsMayBeSet() {
        EnvConfig table = new EnvConfig("default", 16, List.of(), Map.of("block_mass", "30"));
        EnvConfig set = Environments.withEvaluationParams("pusht", table, Map.of("success_agent", "true"));
        assertEquals(Map.of("block_mass", "30", "success_agent", "true"), set.params());
        assertEquals(3, Environments.create("pusht", set).goalErrorSpec().names().size());
        assertEquals(table, Environments.withEvaluationParams("pusht", table, Map.of()));
        var mass = assertThrows(IllegalArgumentException.class,
                () -> Environments.withEvaluationParams("pusht", table, Map.of("block_mass", "1")));
        assertTrue(mass.getMessage().contains("'block_mass' cannot be set") && mass.getMessage().contains(
                "[success_agent]"), mass.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> Environments.withEvaluationParams("cube",
                EnvConfig.defaults(), Map.of("camera_zoom", "1.4")));
        assertTrue(none.getMessage().endsWith("none"), none.getMessage());
        var value = assertThrows(IllegalArgumentException.class,
                () -> Environments.withEvaluationParams("pusht", table, Map.of("success_agent", "1")));
        assertTrue(value.getMessage().contains("true or false"), value.getMessage());
    }
}
