package io.smwm.spark.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.util.UserError;
import io.smwm.spark.compare.ComparePlan.Cell;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Plan parsing: the cells a plan makes, its resolved configs, and a clear error for every kind of bad plan. */
class ComparePlanTest {
    private static final Path HERE = Path.of("").toAbsolutePath();

    private static final String GOOD = """
            tasks:
              tr:
                env: tworoom
                generate: {episodes: 30, steps: 40, seed: 3}
                eval: {episodes: 5, seeds: [7, 8], offset: 10}
                paper: {smwm: 100, forward: 34.6, random: 30}
            methods: [smwm, forward]
            seeds: [0, 1]
            distractors: [none, flicker]
            """;

    private static ComparePlan parse(String yaml) {
        return ComparePlan.parse(yaml, "test.yaml", HERE);
    }

    /** The error a bad plan gives, which must name the plan and contain every fragment. */
    private static void bad(String yaml, String... fragments) {
        UserError e = assertThrows(UserError.class, () -> parse(yaml));
        assertTrue(e.getMessage().startsWith("plan test.yaml: "), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "should say '" + f + "': " + e.getMessage());
    }

    @Test
    void crossProductWithoutRuns() {
        ComparePlan p = parse(GOOD);
        assertEquals(8, p.cells().size(), "1 task × 2 distractor settings × 2 methods × 2 seeds");
        // seed first, then task, distractors, method
        assertEquals(List.of("tr-none-smwm-s0", "tr-none-forward-s0", "tr-flicker-smwm-s0", "tr-flicker-forward-s0",
                "tr-none-smwm-s1", "tr-none-forward-s1", "tr-flicker-smwm-s1", "tr-flicker-forward-s1"),
                p.cells().stream().map(Cell::name).toList());
        ComparePlan.Task t = p.tasks().get("tr");
        assertEquals("tworoom", t.config(), "the env's bundled config by default");
        assertEquals(List.of(7L, 8L), t.eval().seeds());
        assertEquals(34.6, t.paper().get("forward"));
        assertEquals(List.of("flicker"), p.cells().get(2).distractorList());
        ExperimentConfig fwd = p.config(p.cells().get(1));
        assertEquals("forward", fwd.loss().method());
        assertEquals(0.0, fwd.loss().lambda());
        assertEquals(0L, fwd.train().seed());
        assertEquals(1L, p.config(p.cells().get(4)).train().seed());
        assertEquals(1.0, p.config(p.cells().get(0)).loss().lambda(), "λ of the bundled tworoom config");
    }

    @Test
    void runsBlocksAndMethodOverrides() {
        ComparePlan p = parse("""
                tasks:
                  a: {env: tworoom, generate: {episodes: 30}, epochs: 3}
                  b: {env: tworoom, config: tworoom-full, generate: {episodes: 30, seed: 5}}
                methods:
                  smwm: {}
                  smwm-l03: {method: smwm, lambda: 0.3, epochs: 2}
                  sigreg: {}
                seeds: [0, 1, 2]
                runs:
                  - {tasks: [a], methods: [smwm, sigreg]}
                  - {tasks: [b], methods: [smwm-l03], seeds: [5], distractors: [none, random-dots+flicker]}
                  - {tasks: [a], methods: [smwm], seeds: [0]}
                """);
        assertEquals(6 + 2, p.cells().size(), "the third block repeats cells of the first: counted once");
        Cell v = p.cells().stream().filter(c -> c.method().equals("smwm-l03") && !c.distractors().equals("none"))
                .findFirst().orElseThrow();
        assertEquals("b-random-dots+flicker-smwm-l03-s5", v.name());
        assertEquals(List.of("random-dots", "flicker"), v.distractorList());
        ExperimentConfig c = p.config(v);
        assertEquals(0.3, c.loss().lambda());
        assertEquals(2, c.train().epochs(), "the method's epochs win over the config's");
        assertEquals(64, c.train().batchSize(), "the rest from tworoom-full");
        assertEquals(3, p.config(p.cells().get(0)).train().epochs(), "the task's epochs");
    }

    @Test
    void bundledPaperPlan() {
        ComparePlan p = ComparePlan.load("paper-table");
        assertEquals(List.of("tworoom", "reacher", "pusht", "cube"), List.copyOf(p.tasks().keySet()));
        Map<String, Long> perTask = p.cells().stream().collect(Collectors.groupingBy(Cell::task,
                Collectors.counting()));
        assertEquals(12 + 12, perTask.get("tworoom"), "4 methods × 3 seeds clean, 2 × 2 × 3 with distractors");
        assertEquals(5 + 12, perTask.get("reacher"));
        assertEquals(5, perTask.get("pusht"));
        assertEquals(5, perTask.get("cube"));
        assertEquals(3, p.cells().stream().filter(c -> c.task().equals("tworoom") && c.method().equals("vicreg-idm"))
                .count());
        assertEquals(1, p.cells().stream().filter(c -> c.task().equals("cube") && c.method().equals("forward"))
                .count());
        assertEquals(Map.of("smwm", 100.0, "sigreg", 92.6, "forward", 34.6, "random", 30.0),
                p.tasks().get("tworoom").paper());
        assertEquals(Map.of("smwm", 71.4, "sigreg", 67.8, "forward", 9.8, "random", 13.6),
                p.tasks().get("reacher").paper());
        assertEquals(Map.of("smwm", 84.4, "sigreg", 88.8, "forward", 2.6, "random", 2.8),
                p.tasks().get("pusht").paper());
        assertEquals(Map.of("smwm", 83.0, "sigreg", 60.0, "forward", 46.8, "random", 43.0),
                p.tasks().get("cube").paper());
        for (ComparePlan.Task t : p.tasks().values()) {
            assertEquals(25, t.eval().offset());
            assertEquals(300, t.eval().episodes());
        }
        for (Cell c : p.cells()) p.config(c); // every cell's config resolves
    }

    @Test
    void tinyTestPlanResolvesItsConfigNextToIt() throws Exception {
        String f = new File(ComparePlanTest.class.getResource("/tiny-compare-plan.yaml").toURI()).getPath();
        ComparePlan p = ComparePlan.load(f);
        assertEquals(3, p.cells().size());
        assertTrue(p.tasks().get("tiny").config().endsWith("tiny-tworoom.yaml"));
        assertEquals(16, p.config(p.cells().get(0)).model().imageSize());
    }

    @Test
    void unknownMethod() {
        bad(GOOD.replace("[smwm, forward]", "[smwm, dino]"), "unknown method 'dino'", "valid methods",
                "vicreg-idm");
        bad(GOOD.replace("methods: [smwm, forward]", "methods: {smwm: {}, lewm: {}}"), "methods.lewm",
                "unknown method 'lewm'", "needs method: M");
        bad(GOOD.replace("methods: [smwm, forward]", "methods: {x: {method: jepa}}"), "unknown method 'jepa'");
        bad(GOOD.replace("methods: [smwm, forward]", "methods: {smwm: {lamda: 1}}"), "unknown key 'methods.smwm.lamda'");
        bad(GOOD.replace("methods: [smwm, forward]", "methods: {sigreg: {lambda: 1}}").replace(
                "    paper: {smwm: 100, forward: 34.6, random: 30}\n", ""),
                "tasks.tr with methods.sigreg", "no inverse term");
        bad(GOOD.replace("methods: [smwm, forward]\n", ""), "methods is missing");
        bad(GOOD.replace("paper: {smwm: 100,", "paper: {dino: 100,"), "tasks.tr.paper.dino",
                "not a method of the plan");
    }

    @Test
    void missingTask() {
        bad(GOOD + "runs:\n  - {tasks: [reacher]}\n", "runs[0].tasks names task 'reacher'",
                "does not define under tasks", "[tr]");
        bad("methods: [smwm]\nseeds: [0]\n", "tasks is missing");
        bad("tasks: {}\nmethods: [smwm]\nseeds: [0]\n", "tasks must be a non-empty mapping");
        bad(GOOD.replace("env: tworoom", "env: tworoomz"), "tasks.tr.env: unknown environment 'tworoomz'");
        bad(GOOD.replace("    generate: {episodes: 30, steps: 40, seed: 3}\n", ""), "tasks.tr needs generate");
        bad(GOOD.replace("generate: {episodes: 30, steps: 40, seed: 3}", "generate: {steps: 40}"),
                "tasks.tr.generate.episodes is missing");
        bad(GOOD.replace("seed: 3}", "seed: 3, policy: expert}"), "unknown policy 'expert'");
        bad(GOOD.replace("env: tworoom", "env: tworoom\n    config: nope.yaml"), "tasks.tr.config 'nope.yaml'",
                "neither a bundled config");
        bad(GOOD.replace("    generate: {episodes: 30, steps: 40, seed: 3}\n", "    table: /no/such/table\n"),
                "tasks.tr.table /no/such/table: no such table directory");
    }

    @Test
    void badSeedLists() {
        bad(GOOD.replace("seeds: [0, 1]", "seeds: []"), "seeds must be a non-empty list of integer seeds");
        bad(GOOD.replace("seeds: [0, 1]", "seeds: 3"), "seeds must be a non-empty list");
        bad(GOOD.replace("seeds: [0, 1]", "seeds: [0, -1]"), "seed -1 is not an integer >= 0");
        bad(GOOD.replace("seeds: [0, 1]", "seeds: [0, 1.5]"), "seed 1.5 is not an integer");
        bad(GOOD.replace("seeds: [0, 1]", "seeds: [0, a]"), "seed \"a\" is not an integer");
        bad(GOOD.replace("seeds: [0, 1]", "seeds: [2, 2]"), "seeds lists seed 2 twice");
        bad(GOOD.replace("seeds: [0, 1]\n", ""), "seeds is missing");
        bad(GOOD.replace("seeds: [7, 8]", "seeds: []"), "tasks.tr.eval.seeds must be a non-empty list");
        bad(GOOD + "runs:\n  - {seeds: [1, 1]}\n", "runs[0].seeds lists seed 1 twice");
    }

    @Test
    void otherBadPlans() {
        bad("tasks: [", "not valid YAML");
        bad("- a\n- b\n", "expected a mapping");
        bad(GOOD + "seed: 4\n", "unknown key 'seed'", "valid keys");
        bad(GOOD.replace("[none, flicker]", "[none, fog]"), "unknown distractor 'fog'", "moving-background");
        bad(GOOD.replace("[none, flicker]", "[none, none]"), "lists 'none' twice");
        bad(GOOD.replace("offset: 10}", "offset: 0}"), "tasks.tr.eval.offset must be an integer in [1");
        bad(GOOD.replace("offset: 10}", "offset: 10, planner: mcts}"), "unknown planner 'mcts'");
        bad(GOOD.replace("paper: {smwm: 100,", "paper: {smwm: 101,"), "tasks.tr.paper.smwm must be a number in [0.0, 100.0]");
        bad(GOOD + "runs:\n  - {tasks: [tr], methods: [sigreg]}\n", "runs[0].methods names method 'sigreg'");
        // a given table serves the clean setting only
        ComparePlan ok = ComparePlan.parse(GOOD.replace("generate: {episodes: 30, steps: 40, seed: 3}",
                "table: .").replace("[none, flicker]", "[none]"), "test.yaml", HERE);
        assertNull(ok.tasks().get("tr").generate());
        bad(GOOD.replace("generate: {episodes: 30, steps: 40, seed: 3}", "table: ."),
                "serves the clean setting only", "'flicker'");
        // several problems in one message
        bad(GOOD.replace("[smwm, forward]", "[smwm, dino]").replace("seeds: [0, 1]", "seeds: [-3]"),
                "unknown method 'dino'", "seed -3");
    }
}
