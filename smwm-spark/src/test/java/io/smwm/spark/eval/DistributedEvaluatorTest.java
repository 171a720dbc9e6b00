package io.smwm.spark.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.spark.cli.Main;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --master local[2]} against the driver-only evaluation on a tiny tworoom model and table: the same
 * seed must give the same report (results, every episode, curves, configuration, plots and filmstrip), with only
 * measured times and provenance allowed to differ, and real numbers equal to float rounding: the slices plan fewer
 * episodes per batched call than the driver, and on some CPUs the matrix library sums a product with fewer rows in
 * another order (seen on an AMD EPYC: a plan cost differing in its eighth digit). Every count, flag, pair, outcome
 * and text must be identical.
 */
@Tag("spark")
class DistributedEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void evaluateOnLocal2_equalsDriverOnlyEvaluation(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of(), Map.of()),
                null, 20, 40, 3, 5, 10), table, false);
        String config = new File(getClass().getResource("/tiny-tworoom.yaml").toURI()).getPath();
        Path run = dir.resolve("run");
        // a model with context 2: the executors also get each pair's recorded frames before its start
        assertEquals(0, Main.run("train", "--data", table, "--out", run.toString(), "--config", config,
                "--context", "2", "--master", "none"));
        // 7 pairs per offset in 3 slices (2, 2, 3 pairs): uneven slices, and the 4 filmstrip episodes span two;
        // at offset 2 the agent moves at most 0.07, about the success radius: pairs solved at the start
        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--data", table, "--episodes", "7",
                "--goal-offsets", "2,5,10", "--seed", "3", "--out", dir.resolve("driver").toString()));
        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--data", table, "--episodes", "7",
                "--goal-offsets", "2,5,10", "--seed", "3", "--out", dir.resolve("spark").toString(),
                "--master", "local[2]", "--slices", "3"));

        JsonNode driver = JSON.readTree(dir.resolve("driver/report.json").toFile());
        JsonNode spark = JSON.readTree(dir.resolve("spark/report.json").toFile());
        assertEquals("driver", driver.get("provenance").get("evaluated_on").asText());
        assertTrue(spark.get("provenance").get("evaluated_on").asText().contains("local[2]"),
                spark.get("provenance").toString());
        assertEquals(2 * 3 * 7, driver.get("episodes").size(), "cem and random, 3 offsets, 7 pairs");
        assertTrue(driver.get("results").get(0).get("plan_ms_median").isNumber());
        assertTrue(spark.get("results").get(0).get("plan_ms_median").isNumber());
        assertSameToRounding(withoutTimes(driver), withoutTimes(spark), "report");
        assertPairStatistics(driver);
        assertPairStatistics(spark);
        assertTrue(driver.get("results").get(0).get("trivial_pairs").asInt() > 0, "offset 2 has trivial pairs: "
                + driver.get("results").get(0));

        // the same plots; the filmstrip (frames) and the success plot (counts) byte-identical, the distance curves
        // (real numbers, see above) the same image to within a few pixels of antialiasing
        List<String> pngs;
        try (Stream<Path> s = Files.list(dir.resolve("driver"))) {
            pngs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
        try (Stream<Path> s = Files.list(dir.resolve("spark"))) {
            assertEquals(pngs, s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList());
        }
        assertTrue(pngs.contains("filmstrip.png") && pngs.contains("success_vs_offset.png"), pngs.toString());
        for (String png : pngs) {
            Path a = dir.resolve("driver").resolve(png), b = dir.resolve("spark").resolve(png);
            if (png.startsWith("distance_")) {
                assertNearlySameImage(a, b);
            } else {
                assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), png);
            }
        }

        // with the cost's whitening (fitted on the driver, shipped to the executors in the task specs): the same
        // again, and not the plain cost's report (only the one offset, to keep the test short)
        for (String where : List.of("driver-w", "spark-w")) {
            List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--run", run.toString(), "--data",
                    table, "--episodes", "7", "--goal-offset", "10", "--seed", "3", "--cost-whitening", "0.1",
                    "--out", dir.resolve(where).toString()));
            if (where.startsWith("spark")) {
                args.addAll(List.of("--master", "local[2]", "--slices", "3"));
            }
            assertEquals(0, Main.run(args.toArray(String[]::new)), where);
        }
        JsonNode driverW = JSON.readTree(dir.resolve("driver-w/report.json").toFile());
        assertEquals(0.1, driverW.get("config").get("planner.costWhitening").asDouble());
        assertSameToRounding(withoutTimes(driverW),
                withoutTimes(JSON.readTree(dir.resolve("spark-w/report.json").toFile())), "whitened report");
        assertEquals(0.0, driver.get("config").get("planner.costWhitening").asDouble(), "the paper's cost by default");

        // the comparison can fail: another seed draws other pairs
        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--data", table, "--episodes", "7",
                "--goal-offsets", "2,5,10", "--seed", "4", "--out", dir.resolve("other").toString(),
                "--master", "local[2]", "--slices", "3"));
        assertNotEquals(withoutTimes(driver), withoutTimes(JSON.readTree(dir.resolve("other/report.json").toFile())));
    }

    @Test
    void slicesWithoutMaster_isABadInput(@TempDir Path dir) {
        assertEquals(2, Main.run("evaluate", "--run", dir.toString(), "--data", dir.toString(), "--slices", "2"));
    }

    /**
     * The pair statistics are there and consistent, so that the comparison above covers them: per result the
     * trivial and non-trivial counts and the mean start-goal error, per episode solved_at_start and
     * start_goal_error, the same for every method on a pair.
     */
    private static void assertPairStatistics(JsonNode report) {
        for (JsonNode r : report.get("results")) {
            int trivial = r.get("trivial_pairs").asInt();
            assertEquals(r.get("episodes").asInt(), trivial + r.get("nontrivial_pairs").asInt(), r.toString());
            assertEquals(r.get("successes").asInt() - trivial, r.get("successes_nontrivial").asInt(), r.toString());
            assertTrue(r.get("nontrivial_pairs").asInt() == 0 ? r.get("success_rate_nontrivial").isNull()
                    : r.get("success_rate_nontrivial").isNumber(), r.toString());
            assertTrue(r.get("mean_start_goal_error").get("agent_distance").asDouble() > 0, r.toString());
        }
        Map<String, JsonNode> byPair = new java.util.HashMap<>();
        for (JsonNode e : report.get("episodes")) {
            assertEquals(e.get("solved_at_start").asBoolean(), e.get("success_step").asInt() == 0, e.toString());
            assertTrue(e.get("start_goal_error").get("agent_distance").isNumber(), e.toString());
            String key = e.get("goal_offset").asInt() + "/" + e.get("pair_id").asText();
            JsonNode first = byPair.putIfAbsent(key, e);
            if (first != null) {
                assertEquals(first.get("solved_at_start"), e.get("solved_at_start"), key);
                assertEquals(first.get("start_goal_error"), e.get("start_goal_error"), key);
            }
        }
    }

    /**
     * The same tree, with numbers that are not integers allowed a relative difference of 1e-4 plus 1e-7 (float32 latents: a small distance between two latents keeps fewer digits);
     * integers, booleans, strings, nulls, keys and array lengths must be identical. Fails naming the first path.
     */
    static void assertSameToRounding(JsonNode want, JsonNode got, String path) {
        if (want.isNumber() && got.isNumber() && !(want.isIntegralNumber() && got.isIntegralNumber())) {
            double a = want.asDouble(), b = got.asDouble();
            assertTrue(Math.abs(a - b) <= 1e-4 * Math.max(Math.abs(a), Math.abs(b)) + 1e-7,
                    path + ": " + a + " != " + b);
            return;
        }
        assertEquals(want.getNodeType(), got.getNodeType(), path);
        if (want.isObject()) {
            assertEquals(iterable(want.fieldNames()), iterable(got.fieldNames()), path + " keys");
            want.fieldNames().forEachRemaining(k -> assertSameToRounding(want.get(k), got.get(k), path + "." + k));
        } else if (want.isArray()) {
            assertEquals(want.size(), got.size(), path + " length");
            for (int i = 0; i < want.size(); i++) assertSameToRounding(want.get(i), got.get(i), path + "[" + i + "]");
        } else {
            assertEquals(want, got, path);
        }
    }

    /** Same size, and at most 0.5 % of the pixels differ (a curve moved by float rounding redraws a few). */
    private static void assertNearlySameImage(Path a, Path b) throws java.io.IOException {
        java.awt.image.BufferedImage x = javax.imageio.ImageIO.read(a.toFile()), y = javax.imageio.ImageIO.read(b.toFile());
        assertEquals(x.getWidth(), y.getWidth(), a.toString());
        assertEquals(x.getHeight(), y.getHeight(), a.toString());
        int differ = 0;
        for (int r = 0; r < x.getHeight(); r++)
            for (int c = 0; c < x.getWidth(); c++)
                if (x.getRGB(c, r) != y.getRGB(c, r)) differ++;
        assertTrue(differ <= 0.005 * x.getWidth() * x.getHeight(), a.getFileName() + ": " + differ + " pixels differ");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    /** The report without what is measured or recorded about the machine: creation time, provenance, plan times. */
    private static JsonNode withoutTimes(JsonNode report) {
        ObjectNode r = report.deepCopy();
        r.remove("created_utc");
        r.remove("provenance");
        for (String list : List.of("results", "episodes")) {
            for (JsonNode n : r.get(list)) {
                ((ObjectNode) n).remove("plan_ms_median");
            }
        }
        return r;
    }
}
