package io.smwm.spark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.util.UserError;
import io.smwm.spark.hadoop.HadoopStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run publisher on its own, on a {@code file:} URI: it publishes nothing before training begins, a checkpoint
 * only once all its files match its manifest (a save in progress waits for the next round), metrics up to their
 * last complete line; and {@code train --out}'s rules for a run directory on a Hadoop path.
 */
@Tag("spark")
class HadoopRunDirsTest {

    /** A stand-in checkpoint: params.bin and a manifest listing {@code manifestParams}' size and SHA-256. */
    private static void checkpoint(Path dir, String params, String manifestParams) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("params.bin"), params);
        Path tmp = Files.createTempFile("sha", "");
        Files.writeString(tmp, manifestParams);
        String sha = CheckpointIO.sha256(tmp);
        Files.delete(tmp);
        Files.writeString(dir.resolve(CheckpointIO.MANIFEST), "{\"files\": {\"params.bin\": {\"bytes\": "
                + manifestParams.length() + ", \"sha256\": \"" + sha + "\"}}}");
    }

    @Test
    void publisher_publishesCompleteArtefactsOnly(@TempDir Path dir) throws Exception {
        Path staging = Files.createDirectories(dir.resolve("staging")), remote = dir.resolve("remote");
        HadoopStore st = HadoopStore.open("--out", "file://" + remote, new Configuration());
        HadoopRunDirs.Publisher pub = new HadoopRunDirs.Publisher(st, staging, false, s -> { });
        checkpoint(staging.resolve("checkpoint"), "one", "one");
        pub.publish(false);
        assertFalse(Files.exists(remote), "nothing before training begins (config.yaml is its first write)");

        Files.writeString(staging.resolve("config.yaml"), "model: {}\n");
        Files.createDirectories(staging.resolve("metrics"));
        Files.writeString(staging.resolve("metrics/metrics.jsonl"), "{\"a\": 1}\n{\"b\":");
        pub.publish(false);
        assertEquals("one", Files.readString(remote.resolve("checkpoint/params.bin")));
        assertEquals("{\"a\": 1}\n", Files.readString(remote.resolve("metrics/metrics.jsonl")), "whole lines only");
        assertTrue(Files.exists(remote.resolve("config.yaml")));

        checkpoint(staging.resolve("checkpoint"), "two-being-writ", "two"); // a save in progress
        pub.publish(false);
        assertEquals("one", Files.readString(remote.resolve("checkpoint/params.bin")), "an incomplete save waits");
        checkpoint(staging.resolve("checkpoint"), "two", "two");
        Files.writeString(staging.resolve("metrics/curves.png"), "png");
        pub.publish(false);
        assertEquals("two", Files.readString(remote.resolve("checkpoint/params.bin")));
        assertFalse(Files.exists(remote.resolve("metrics/curves.png")), "the plot comes at the end");
        pub.finish();
        assertEquals("png", Files.readString(remote.resolve("metrics/curves.png"), StandardCharsets.UTF_8));
        assertEquals(List.of("checkpoint", "config.yaml", "metrics"), st.list(""));
    }

    @Test
    void trainOutRules_onAHadoopPath(@TempDir Path dir) throws Exception {
        HadoopStore st = HadoopStore.open("--out", "file://" + dir.resolve("run"), new Configuration());
        HadoopRunDirs.checkTrainOut(st, false, false); // new
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("run/" + HadoopRunDirs.LEASE), "x");
        HadoopRunDirs.checkTrainOut(st, false, false); // only a lease: empty
        assertTrue(assertThrows(UserError.class, () -> HadoopRunDirs.checkTrainOut(st, true, false)).getMessage()
                .contains("no run at"));
        Files.writeString(dir.resolve("run/notes.txt"), "x");
        assertTrue(assertThrows(UserError.class, () -> HadoopRunDirs.checkTrainOut(st, false, true)).getMessage()
                .contains("not a run"));
        Files.delete(dir.resolve("run/notes.txt"));
        Files.writeString(dir.resolve("run/config.yaml"), "x");
        assertTrue(assertThrows(UserError.class, () -> HadoopRunDirs.checkTrainOut(st, false, false)).getMessage()
                .contains("already exists"));
        HadoopRunDirs.checkTrainOut(st, false, true);
        HadoopRunDirs.checkTrainOut(st, true, false);
        Files.writeString(dir.resolve("file"), "x");
        HadoopStore f = HadoopStore.open("--out", "file://" + dir.resolve("file"), new Configuration());
        assertTrue(assertThrows(UserError.class, () -> HadoopRunDirs.checkTrainOut(f, false, false)).getMessage()
                .contains("is a file"));
    }
}
