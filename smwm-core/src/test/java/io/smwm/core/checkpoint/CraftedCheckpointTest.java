package io.smwm.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints crafted by someone else: array headers whose length fields would make ND4J allocate absurd sizes (the
 * JVM used to die with SIGSEGV / malloc(): invalid size), manifest sizes and SHA-256 updated so that only the content
 * is hostile. The JVM-killing cases run in a forked JVM, so a regression fails this test instead of the build.
 */
class CraftedCheckpointTest {

    /** The crafted directories, each with the length it fakes. */
    private static List<Path> crafted(Path tmp) throws IOException {
        Path good = CheckpointIOTest.saved(tmp);
        List<Path> out = new ArrayList<>();
        int dataLen = CheckpointFiles.firstDataLengthOffset(good, CheckpointIO.PARAMS);
        long[][] cases = {
                {dataLen, Long.MAX_VALUE},  // the report: bytes 0x92-0x99 of params.bin set to 0x7fffffffffffffff
                {dataLen, -1},
                {dataLen, 1L << 40},
                {18, Long.MAX_VALUE},       // the shape information's own length
                {18, 1L << 33},
        };
        for (int i = 0; i < cases.length; i++) {
            Path d = CheckpointFiles.copy(good, tmp.resolve("crafted" + i));
            CheckpointFiles.replaceSigned(d, CheckpointIO.PARAMS,
                    CheckpointFiles.withLong(d, CheckpointIO.PARAMS, (int) cases[i][0], cases[i][1]));
            out.add(d);
        }
        Path up = CheckpointFiles.copy(good, tmp.resolve("crafted-updater"));
        CheckpointFiles.replaceSigned(up, CheckpointIO.UPDATER, CheckpointFiles.withLong(up, CheckpointIO.UPDATER,
                CheckpointFiles.firstDataLengthOffset(up, CheckpointIO.UPDATER), Long.MAX_VALUE));
        out.add(up);
        return out;
    }

    @Test
    void hugeArrayLengthFields_areRefusedInAForkedJvmThatSurvives(@TempDir Path tmp) throws Exception {
        List<Path> dirs = crafted(tmp);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("org.bytedeco.")
                || k.startsWith("org.nd4j.")).forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add(ForkedLoad.class.getName());
        dirs.forEach(d -> cmd.add(d.toString()));
        File log = tmp.resolve("fork.log").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the forked load hung: " + Files.readString(log.toPath()));
        }
        String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "the forked JVM died (a crafted array header reached the allocator):\n" + out);
        List<String> lines = out.lines().filter(l -> l.startsWith("refused: ") || l.startsWith("loaded")
                || l.startsWith("failed: ")).toList();
        assertEquals(dirs.size(), lines.size(), out);
        for (String l : lines) assertTrue(l.startsWith("refused: ") && l.contains("params.bin: array 1")
                || l.contains("updater.bin: array 1"), "refused naming the file and the array: " + l);
        assertTrue(lines.get(0).contains("declares 9223372036854775807 data entries, expected 216"), lines.get(0));
    }

    @Test
    void hugeArrayLengthField_isRefusedBeforeAnythingIsAllocated(@TempDir Path tmp) throws Exception {
        Path d = crafted(tmp).get(0);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.load(d));
        assertTrue(e.getMessage().contains("params.bin: array 1 of 18 'enc_conv0_W' declares 9223372036854775807 data "
                + "entries, expected 216"), e.getMessage());
    }

    @Test
    void nonFiniteWeight_isRefusedNamingTheArray(@TempDir Path tmp) throws Exception {
        // a NaN weight used to evaluate to 0 % success with exit 0
        Path d = CheckpointIOTest.saved(tmp);
        byte[] b = Files.readAllBytes(d.resolve(CheckpointIO.PARAMS));
        int first = CheckpointFiles.firstDataLengthOffset(d, CheckpointIO.PARAMS) + 8 + 2 + "FLOAT".length();
        java.nio.ByteBuffer.wrap(b).putFloat(first + 4 * 5, Float.NaN);
        CheckpointFiles.replaceSigned(d, CheckpointIO.PARAMS, b);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.load(d));
        assertTrue(e.getMessage().contains("'enc_conv0_W' has a non-finite value (NaN at index 5)"), e.getMessage());
    }
}
