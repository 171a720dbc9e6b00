package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on embedded Spark: generate, validate, inspect, render, and its error paths. */
class CommandLineTest {

    /** Runs the CLI capturing stdout and stderr. */
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void generateValidateInspect_endToEnd(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        Run g = run("generate", "--env", "dotworld", "--variant", "distractor", "--episodes", "6", "--steps", "12",
                "--image-size", "32", "--episodes-per-file", "4", "--seed", "3", "--out", table, "--master", "local[2]");
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains("wrote 6 episodes, 78 frames"), g.out());

        Run v = run("validate", table);
        assertEquals(0, v.code(), v.out() + v.err());
        assertTrue(v.out().contains("OK"), v.out());

        Path sheet = dir.resolve("sheet.png");
        Run i = run("inspect", table, "--json", "--sheet", sheet.toString());
        assertEquals(0, i.code(), i.err());
        JsonNode j = new ObjectMapper().readTree(i.out());
        assertEquals(6, j.get("episodes").asLong());
        assertEquals(78, j.get("frames").asLong());
        assertTrue(j.get("fingerprint").asText().startsWith("sha256:"));
        assertEquals(2, j.at("/action/dim").asInt());
        assertTrue(j.get("coverage").has("mean_state_path_length"));
        assertTrue(ImageIO.read(sheet.toFile()).getWidth() > 32, "contact sheet should be a readable PNG");
    }

    @Test
    void generate_existingOutput_isAUserErrorNamingOverwrite(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("t"));
        Files.writeString(out.resolve("keep.txt"), "precious");
        Run g = run("generate", "--env", "tworoom", "--episodes", "2", "--steps", "10", "--out", out.toString(),
                "--master", "local[1]");
        assertEquals(CliErrors.USER_ERROR, g.code());
        assertTrue(g.err().contains("--overwrite"), g.err());
        assertFalse(g.err().contains("\tat "), "no stack trace without --verbose: " + g.err());
        assertEquals("precious", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void generate_unknownEnvironment_listsValidIds(@TempDir Path dir) {
        Run g = run("generate", "--env", "tworooms", "--out", dir.resolve("t").toString(), "--master", "local[1]");
        assertEquals(CliErrors.USER_ERROR, g.code());
        assertTrue(g.err().contains("tworoom") && g.err().contains("pusht"), g.err());
    }

    @Test
    void validate_notATable_failsWithOneLine(@TempDir Path dir) {
        Run v = run("validate", dir.resolve("missing").toString());
        assertEquals(1, v.code());
        assertFalse((v.out() + v.err()).contains("\tat "), v.out() + v.err());
    }

    @Test
    void render_writesAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("r.png");
        Run r = run("render", "--env", "reacher", "--episodes", "2", "--steps", "6", "--frames", "4",
                "--distractors", "flicker", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(ImageIO.read(png.toFile()).getHeight() > 64);
    }

    @Test
    void toy_unknownVariant_listsTheValidOnes() {
        Run t = run("toy", "--variant", "triple");
        assertEquals(CliErrors.USER_ERROR, t.code());
        assertTrue(t.err().contains("independent") && t.err().contains("combined"), t.err());
    }
}
