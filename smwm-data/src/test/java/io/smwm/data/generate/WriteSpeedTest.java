package io.smwm.data.generate;

import static org.junit.jupiter.api.Assertions.*;

import io.smwm.data.table.Episode;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.testing.DiscEnv;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Measures generate+write, read and validate throughput on 64x64 frames (printed; asserts only sanity). */
class WriteSpeedTest {
    @TempDir
    Path dir;

    @Test
    void generateWriteReadValidate_64x64_reportsFramesPerSecond() throws Exception {
        GenerationSpec spec = new GenerationSpec("disc", DiscEnv.config(64, Map.of()), "random", 40, 100, 5L, 5, 10);
        EnvSource src = DiscEnv.source(spec.envConfig());
        // generation alone (render + policy), for comparison
        EpisodeGenerator g = new EpisodeGenerator(spec, src);
        long t0 = System.nanoTime();
        for (int e = 0; e < 10; e++) {
            g.generate(e);
        }
        double genOnly = 10 * 101 / ((System.nanoTime() - t0) / 1e9);

        LocalGenerator.generate(spec, src, dir.resolve("warmup").toString(), false); // JIT, Hadoop, codecs
        String out = dir.resolve("speed").toString();
        t0 = System.nanoTime();
        TableMetadata md = LocalGenerator.generate(spec, src, out, false);
        double write = md.frames() / ((System.nanoTime() - t0) / 1e9);

        t0 = System.nanoTime();
        long frames = 0;
        try (TrajectoryReader r = TrajectoryReader.open(out)) {
            for (Iterator<Episode> it = r.episodes(); it.hasNext(); ) {
                frames += it.next().frameCount();
            }
        }
        double read = frames / ((System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        assertTrue(new TableValidator().validate(out).ok());
        double validate = frames / ((System.nanoTime() - t0) / 1e9);
        long bytes = md.files().size();
        long size = java.nio.file.Files.walk(Path.of(out, "data")).filter(p -> p.toString().endsWith(".parquet"))
                .mapToLong(p -> p.toFile().length()).sum();
        System.out.printf("SPEED 64x64: generate only %.0f frames/s; generate+write %.0f frames/s; read %.0f "
                + "frames/s; validate %.0f frames/s; %d files, %.0f bytes/frame%n", genOnly, write, read, validate,
                bytes, (double) size / frames);
        assertEquals(4040, frames);
    }
}
