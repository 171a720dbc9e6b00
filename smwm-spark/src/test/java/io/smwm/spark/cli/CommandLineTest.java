package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on embedded Spark: generate, validate, inspect, render, and its error paths. */
@Tag("spark")
class CommandLineTest {

    /** Runs the CLI capturing stdout and stderr. */
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void onlyAYarnClusterDriverAvoidsSystemExit() {
        assertTrue(Main.inYarnClusterDriver("yarn", "cluster"));
        assertFalse(Main.inYarnClusterDriver("yarn", "client"));
        assertFalse(Main.inYarnClusterDriver("yarn", null));
        assertFalse(Main.inYarnClusterDriver("k8s://https://api:443", "cluster"));
        assertFalse(Main.inYarnClusterDriver("local[2]", null));
        assertFalse(Main.inYarnClusterDriver(null, null));
    }

    @Test
    void generateValidateInspect_endToEnd(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        CliRun g = run("generate", "--env", "dotworld", "--variant", "distractor", "--episodes", "6", "--steps", "12",
                "--image-size", "32", "--episodes-per-file", "4", "--seed", "3", "--out", table, "--master", "local[2]");
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains("wrote 6 episodes, 78 frames"), g.out());

        CliRun v = run("validate", table);
        assertEquals(0, v.code(), v.out() + v.err());
        assertTrue(v.out().contains("OK"), v.out());

        Path sheet = dir.resolve("sheet.png");
        Path hist = dir.resolve("hist.png");
        CliRun i = run("inspect", table, "--json", "--sheet", sheet.toString(), "--histograms", hist.toString());
        assertEquals(0, i.code(), i.err());
        JsonNode j = new ObjectMapper().readTree(i.out());
        assertEquals(6, j.get("episodes").asLong());
        assertEquals(78, j.get("frames").asLong());
        assertTrue(j.get("fingerprint").asText().startsWith("sha256:"));
        assertEquals(2, j.at("/action/dim").asInt());
        assertTrue(j.get("coverage").has("mean_state_path_length"));
        assertTrue(ImageIO.read(sheet.toFile()).getWidth() > 32, "contact sheet should be a readable PNG");
        // histograms: every action of the 6 episodes (6 x 12 steps) counted once per dimension, every state once
        JsonNode ha = j.at("/histograms/action/counts");
        assertEquals(2, ha.size());
        for (JsonNode dim : ha) {
            long total = 0;
            for (JsonNode c : dim) total += c.asLong();
            assertEquals(72, total, "action counts " + dim);
        }
        JsonNode hs = j.at("/histograms/state/counts");
        assertTrue(hs.size() > 0);
        long states = 0;
        for (JsonNode c : hs.get(0)) states += c.asLong();
        assertEquals(78, states);
        assertEquals(hist.toString(), j.get("histogram_plot").asText());
        assertTrue(ImageIO.read(hist.toFile()).getWidth() >= 480, "histograms should be a readable PNG");
    }

    @Test
    void generate_taskParams_areRecordedAndUnknownOnesRefused(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        CliRun g = run("generate", "--env", "dotworld", "--variant", "distractor", "--param", "start=central",
                "--episodes", "5", "--steps", "1", "--frameskip", "1", "--image-size", "32", "--out", table,
                "--master", "local[1]");
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains("wrote 5 episodes, 10 frames"), g.out());
        JsonNode j = new ObjectMapper().readTree(run("inspect", table, "--json").out());
        assertEquals("central", j.at("/env/params/start").asText(), j.toString());
        assertEquals("central", j.at("/env/task_params/start").asText(), j.toString());
        assertFalse(j.at("/env/task_params").has("radius"), "derived constants are not task params: " + j);
        CliRun text = run("inspect", table, "--sheet", dir.resolve("s.png").toString(), "--histograms",
                dir.resolve("h.png").toString());
        assertTrue(text.out().contains("start=central"), text.out());

        CliRun bad = run("generate", "--env", "dotworld", "--param", "begin=central", "--episodes", "2", "--steps", "10",
                "--out", dir.resolve("u").toString(), "--master", "local[1]");
        assertEquals(CliErrors.USER_ERROR, bad.code());
        assertTrue(bad.err().contains("begin") && bad.err().contains("start") && bad.err().contains("layout"),
                bad.err());
        assertFalse(Files.exists(dir.resolve("u")), "nothing written for a refused parameter");
    }

    @Test
    void generate_existingOutput_isAUserErrorNamingOverwrite(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("t"));
        Files.writeString(out.resolve("keep.txt"), "precious");
        CliRun g = run("generate", "--env", "tworoom", "--episodes", "2", "--steps", "10", "--out", out.toString(),
                "--master", "local[1]");
        assertEquals(CliErrors.USER_ERROR, g.code());
        assertTrue(g.err().contains("--overwrite"), g.err());
        assertFalse(g.err().contains("\tat "), "no stack trace without --verbose: " + g.err());
        assertEquals("precious", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void generate_unknownEnvironment_listsValidIds(@TempDir Path dir) {
        CliRun g = run("generate", "--env", "tworooms", "--out", dir.resolve("t").toString(), "--master", "local[1]");
        assertEquals(CliErrors.USER_ERROR, g.code());
        assertTrue(g.err().contains("tworoom") && g.err().contains("pusht"), g.err());
    }

    @Test
    void validate_notATable_failsWithOneLine(@TempDir Path dir) {
        CliRun v = run("validate", dir.resolve("missing").toString());
        assertEquals(1, v.code());
        assertFalse((v.out() + v.err()).contains("\tat "), v.out() + v.err());
    }

    @Test
    void render_writesAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("r.png");
        CliRun r = run("render", "--env", "reacher", "--episodes", "2", "--steps", "6", "--frames", "4",
                "--distractors", "flicker", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(ImageIO.read(png.toFile()).getHeight() > 64);
    }

    @Test
    void toy_unknownVariant_listsTheValidOnes() {
        CliRun t = run("toy", "--variant", "triple");
        assertEquals(CliErrors.USER_ERROR, t.code());
        assertTrue(t.err().contains("independent") && t.err().contains("combined"), t.err());
    }

    @Test
    void toy_transitionSamplingAtAnotherFrameSize_generatesCentralOneStepEpisodesAndTrainsAtThatSize(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("toy");
        CliRun t = run("toy", "--variant", "single", "--sampling", "transitions", "--image-size", "16", "--episodes", "160",
                "--epochs", "1", "--batch-size", "16", "--master", "none", "--out", out.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().contains("significant components"), t.out());
        JsonNode meta = new ObjectMapper().readTree(out.resolve("table/meta/info.json").toFile());
        assertEquals("central", meta.at("/env/params/start").asText(), meta.toString());
        assertEquals(160, meta.get("episodes").asLong());
        assertEquals(320, meta.get("frames").asLong(), "one step (two frames) per episode");
        assertEquals(16, meta.at("/image/width").asInt());
        String runConfig = Files.readString(out.resolve("run/config.yaml"));
        assertTrue(runConfig.contains("imageSize: 16"), runConfig);
        assertTrue(runConfig.contains("batchSize: 16"), runConfig);
        assertTrue(Files.exists(out.resolve("dotworld-single-16px.yaml")));

        CliRun bad = run("toy", "--variant", "single", "--sampling", "pairs", "--out", dir.resolve("bad").toString());
        assertEquals(CliErrors.USER_ERROR, bad.code());
        assertTrue(bad.err().contains("trajectories") && bad.err().contains("transitions"), bad.err());
    }
}
