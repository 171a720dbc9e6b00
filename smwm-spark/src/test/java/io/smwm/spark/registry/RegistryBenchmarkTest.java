package io.smwm.spark.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.eval.PairSource;
import io.smwm.core.eval.StartGoalPair;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.render.RgbImage;
import io.smwm.core.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stored benchmark pairs: written and read back exactly, and a damaged file refused with its problem named. */
class RegistryBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EnvConfig ENV = new EnvConfig("default", 16, List.of(), Map.of());

    static Benchmark benchmark(int n, int history) {
        Random r = new Random(3);
        List<StartGoalPair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] goal = new byte[16 * 16 * 3];
            r.nextBytes(goal);
            float[][] actions = new float[10][2];
            for (float[] a : actions) {
                a[0] = r.nextFloat() * 2 - 1;
                a[1] = (float) Math.PI * r.nextFloat();
            }
            List<RgbImage> hist = new ArrayList<>();
            for (int k = 0; k < Math.min(i, history); k++) {
                byte[] f = new byte[16 * 16 * 3];
                r.nextBytes(f);
                hist.add(new RgbImage(16, 16, f));
            }
            pairs.add(new StartGoalPair("ep%06d@t%d".formatted(i, i), new float[] {r.nextFloat(), 1e-7f, -3.3f},
                    new float[0], new RgbImage(16, 16, goal), new float[] {0.1f * i, 0.2f, Float.MIN_VALUE}, 10,
                    actions, hist));
        }
        return Benchmark.of("tworoom", ENV, 10, 2.0, 5, 11, PlannerConfig.cem().withSamples(30).withIterations(3),
                history, new Benchmark.Source("/data/t", "sha256:abc", "the 2 held-out episodes"), pairs);
    }

    @Test
    void roundTrip_keepsEveryPairExactly(@TempDir Path dir) throws Exception {
        Benchmark b = benchmark(4, 5);
        Path f = dir.resolve("benchmark.json");
        Files.write(f, b.toJsonBytes());
        Benchmark back = Benchmark.read(f);
        assertTrue(back.sha256().startsWith("sha256:"));
        assertEquals(4, back.episodes());
        assertEquals(10, back.goalOffset());
        assertEquals(11, back.evalSeed());
        assertEquals(b.planner(), back.planner());
        assertEquals(ENV, back.env());
        assertEquals(5, back.historyFrames());
        assertEquals(b.source(), back.source());
        for (int i = 0; i < 4; i++) {
            StartGoalPair p = b.pairs().get(i), q = back.pairs().get(i);
            assertEquals(p.id(), q.id());
            assertArrayEquals(p.startState(), q.startState());
            assertArrayEquals(p.goalState(), q.goalState());
            assertArrayEquals(p.goalFrame().data(), q.goalFrame().data());
            for (int t = 0; t < 10; t++) assertArrayEquals(p.recordedActions()[t], q.recordedActions()[t]);
            assertEquals(p.startHistory().size(), q.startHistory().size());
            for (int k = 0; k < p.startHistory().size(); k++)
                assertArrayEquals(p.startHistory().get(k).data(), q.startHistory().get(k).data());
        }
        PairSource src = back.pairSource();
        assertEquals(back.pairs(), src.sample(4, 99), "the stored pairs whatever the seed");
        assertThrows(IllegalArgumentException.class, () -> src.sample(3, 0));
        assertEquals(4, back.evalConfig().episodes());
        assertEquals(Benchmark.read(f).sha256(), back.sha256(), "the file's hash is stable");
    }

    @Test
    void checkFits_namesEveryMismatch() {
        Benchmark b = benchmark(2, 0);
        ExperimentConfig cfg = ExperimentConfig.DEFAULT.withModel(ExperimentConfig.DEFAULT.model().withImageSize(16));
        b.checkFits("tworoom", ENV, cfg, "t"); // fits
        UserError e = assertThrows(UserError.class, () -> b.checkFits("reacher", ENV.withVariant("dmc"),
                cfg.withModel(cfg.model().withContext(2)), "t2"));
        for (String s : List.of("env reacher", "variant dmc", "model.context 2 needs 5 frames"))
            assertTrue(e.getMessage().contains(s), s + ": " + e.getMessage());
    }

    @Test
    void aPairDrawnTwiceIsKept(@TempDir Path dir) throws Exception {
        // evaluation pairs are drawn with replacement: a benchmark may hold the same pair twice, and must load
        ObjectNode root = (ObjectNode) JSON.readTree(benchmark(3, 5).toJsonBytes());
        ((ArrayNode) root.get("pairs")).set(2, pair(root, 0).deepCopy());
        Path f = dir.resolve("b.json");
        Files.write(f, JSON.writeValueAsBytes(root));
        Benchmark b = Benchmark.read(f);
        assertEquals(3, b.pairs().size());
        assertEquals(b.pairs().get(0).id(), b.pairs().get(2).id());
    }

    private static void refused(Path dir, Consumer<ObjectNode> damage, String expected) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(benchmark(3, 5).toJsonBytes());
        damage.accept(root);
        Path f = dir.resolve("b.json");
        Files.write(f, JSON.writeValueAsBytes(root));
        UserError e = assertThrows(UserError.class, () -> Benchmark.read(f));
        assertTrue(e.getMessage().contains(expected), "should say '" + expected + "': " + e.getMessage());
    }

    @Test
    void damagedFiles_areRefusedNamingTheProblem(@TempDir Path dir) throws Exception {
        refused(dir, r -> r.put("schema", "smwm.other"), "not a smwm.registry.benchmark");
        refused(dir, r -> ((ObjectNode) r.get("eval")).put("episodes", 4), "eval.episodes is 4 but there are 3");
        refused(dir, r -> pair(r, 1).put("goal_frame", "AAAA"), "pairs[1].goal_frame has 3 bytes, expected 768");
        refused(dir, r -> pair(r, 0).put("goal_frame", "not base64!"), "pairs[0].goal_frame is not base64");
        refused(dir, r -> ((ArrayNode) pair(r, 2).get("start_state")).set(0, JSON.getNodeFactory().textNode("NaN")),
                "pairs[2].start_state[0] must be a finite number");
        refused(dir, r -> ((ArrayNode) pair(r, 2).get("goal_state")).add(1.0), "state lengths");
        refused(dir, r -> ((ArrayNode) pair(r, 1).get("recorded_actions")).remove(0),
                "pairs[1].recorded_actions must hold 10 actions");
        refused(dir, r -> r.put("history_frames", 1), "start_history must be an array of at most 1 frames");
        refused(dir, r -> ((ObjectNode) r.get("env").get("config")).put("imageSize", 4), "env.config");
        refused(dir, r -> ((ObjectNode) r.get("planner")).put("samples", 0), "planner");
        refused(dir, r -> r.remove("pairs"), "pairs must be an array");
        Files.writeString(dir.resolve("t.json"), "{\"schema\": ");
        assertTrue(assertThrows(UserError.class, () -> Benchmark.read(dir.resolve("t.json"))).getMessage()
                .contains("not valid JSON"));
    }

    private static ObjectNode pair(ObjectNode root, int i) {
        return (ObjectNode) root.get("pairs").get(i);
    }
}
