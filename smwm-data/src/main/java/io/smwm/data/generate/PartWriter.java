package io.smwm.data.generate;

import io.smwm.data.table.Episode;
import io.smwm.data.table.EpisodeHasher;
import io.smwm.data.table.StatsAccumulator;
import io.smwm.data.table.TrajectorySchema;
import io.smwm.data.table.TrajectoryWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates and writes one data file of a table being built in a staging directory. Stateless: safe to call from
 * Spark tasks, and a retried or speculative attempt of the same part overwrites cleanly. The file is written under
 * a unique hidden temporary name in the same directory ({@code data/.part-00003.parquet.<uuid>.tmp}) and renamed
 * to {@code data/part-00003.parquet} once complete, so a half-written attempt never has the final name.
 */
public final class PartWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PartWriter.class);

    private PartWriter() {}

    /** With the registry's environment and policy. */
    public static PartResult writePart(Configuration conf, String stagingDir, GenerationSpec spec, int part) {
        return writePart(conf, stagingDir, spec, part, EnvSource.registry(spec));
    }

    public static PartResult writePart(Configuration conf, String stagingDir, GenerationSpec spec, int part,
                                       EnvSource source) {
        GenerationSpec.EpisodeRange range = spec.partEpisodes(part);
        String name = TrajectorySchema.partFileName(part);
        Path dataDir = new Path(stagingDir, TrajectorySchema.DATA_DIR);
        Path dest = new Path(dataDir, name);
        Path tmp = new Path(dataDir, "." + name + "." + UUID.randomUUID() + ".tmp");
        long t0 = System.nanoTime();
        try {
            FileSystem fs = dataDir.getFileSystem(conf);
            fs.mkdirs(dataDir);
            EpisodeGenerator gen = new EpisodeGenerator(spec, source);
            int m = gen.envSpec().actionDim();
            StatsAccumulator actionStats = new StatsAccumulator(m);
            StatsAccumulator stateStats = new StatsAccumulator(gen.envSpec().stateDim());
            List<String> hashes = new ArrayList<>();
            long frames = 0;
            try (TrajectoryWriter w = TrajectoryWriter.create(conf, tmp)) {
                for (long e = range.first(); e <= range.last(); e++) {
                    Episode ep = gen.generate(e);
                    w.write(ep);
                    hashes.add(EpisodeHasher.hex(ep.contentHash()));
                    for (int t = 0; t < ep.frameCount(); t++) {
                        stateStats.add(ep.states()[t]);
                        if (!ep.isLast(t)) {
                            actionStats.add(ep.actions()[t]);
                        }
                    }
                    frames += ep.frameCount();
                }
            } catch (RuntimeException | IOException | Error e) {
                deleteQuietly(fs, tmp, e);
                throw e;
            }
            publish(fs, tmp, dest);
            long bytes = fs.getFileStatus(dest).getLen();
            double secs = (System.nanoTime() - t0) / 1e9;
            LOG.info("wrote {} ({} episodes, {} frames, {} bytes) in {} s ({} frames/s)", dest, range.count(),
                    frames, bytes, String.format("%.2f", secs), String.format("%.0f", frames / secs));
            return new PartResult(part, name, range.first(), range.last(), range.count(), frames, bytes, hashes,
                    actionStats, stateStats);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write part " + part + " to " + dest, e);
        }
    }

    /**
     * Renames tmp to dest, replacing an earlier attempt's dest. If another attempt wins the race, its file has the
     * same content (generation is deterministic), so ours is dropped.
     */
    private static void publish(FileSystem fs, Path tmp, Path dest) throws IOException {
        if (fs.exists(dest)) {
            fs.delete(dest, false);
        }
        if (!fs.rename(tmp, dest)) {
            if (fs.exists(dest)) {
                fs.delete(tmp, false);
                return;
            }
            throw new IOException("cannot rename " + tmp + " to " + dest);
        }
    }

    private static void deleteQuietly(FileSystem fs, Path p, Throwable cause) {
        try {
            fs.delete(p, false);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
