package io.smwm.data.generate;

import io.smwm.data.table.ContentSummary;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableDescription;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectorySchema;
import io.smwm.data.table.TrajectoryWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a new trajectory table from episodes handed over one by one (importers), with the same atomic protocol as
 * generation: the output is checked before any work, part files go to a hidden staging sibling, and
 * {@link #commit()} writes {@code meta/} and renames the staging directory into place. Closing an uncommitted sink
 * removes the staging directory, so a failed import leaves nothing at the output.
 *
 * <p>Episodes must arrive with episode_index 0, 1, 2, ... and share one image size and one action, state and
 * distractor dimension. Not thread-safe.
 */
public final class TableSink implements AutoCloseable {
    private final Configuration conf;
    private final String outDir;
    private final boolean overwrite;
    private final TableDescription description;
    private final int episodesPerFile;
    private final String staging;
    private final FileSystem fs;
    private final ContentSummary summary = new ContentSummary();
    private TrajectoryWriter writer;
    private Path tmp, dest;
    private int part;
    private long written;
    private int width = -1, height = -1;
    private boolean done;

    private TableSink(Configuration conf, String outDir, boolean overwrite, TableDescription d, int episodesPerFile)
            throws IOException {
        this.conf = conf;
        this.outDir = outDir;
        this.overwrite = overwrite;
        this.description = d;
        this.episodesPerFile = episodesPerFile;
        this.staging = TableCommitter.stagingDirFor(outDir);
        this.fs = new Path(staging).getFileSystem(conf);
    }

    /**
     * Checks the output ({@link TableCommitter#checkOutput}) and opens a sink.
     *
     * @param episodesPerFile episodes per data file, >= 1
     */
    public static TableSink create(Configuration conf, String outDir, boolean overwrite, TableDescription d,
                                   int episodesPerFile) {
        if (episodesPerFile < 1) {
            throw new IllegalArgumentException("episodes per file must be >= 1, got " + episodesPerFile);
        }
        TableCommitter.checkOutput(conf, outDir, overwrite);
        try {
            return new TableSink(conf, outDir, overwrite, d, episodesPerFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + outDir + ": " + e.getMessage(), e);
        }
    }

    /** Appends episode e, which must have episode_index = the number of episodes written so far. */
    public void write(Episode e) {
        if (done) {
            throw new IllegalStateException("the sink is committed or closed");
        }
        if (e.episodeIndex() != written) {
            throw new IllegalArgumentException("episodes must come as 0, 1, 2, ...: expected " + written + ", got "
                    + e.episodeIndex());
        }
        if (width < 0) {
            width = e.imageWidth();
            height = e.imageHeight();
        } else if (e.imageWidth() != width || e.imageHeight() != height || e.actionDim() != summary.actionDim()
                || e.stateDim() != summary.stateDim() || e.distractorStateDim() != summary.distractorDim()) {
            throw new IllegalArgumentException("episode " + e.episodeIndex() + " (" + e + ") differs in shape from "
                    + "episode 0 (image " + height + "x" + width + ", action " + summary.actionDim() + ", state "
                    + summary.stateDim() + ", distractor " + summary.distractorDim() + ")");
        }
        try {
            if (writer == null) {
                String name = TrajectorySchema.partFileName(part);
                Path data = new Path(staging, TrajectorySchema.DATA_DIR);
                fs.mkdirs(data);
                dest = new Path(data, name);
                tmp = new Path(data, "." + name + "." + UUID.randomUUID() + ".tmp");
                writer = TrajectoryWriter.create(conf, tmp);
                summary.startFile(TrajectorySchema.DATA_DIR + "/" + name);
            }
            writer.write(e);
            summary.episode(e);
            written++;
            if (writer.episodes() == episodesPerFile) {
                finishFile();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write episode " + e.episodeIndex() + " to " + staging, ex);
        }
    }

    private void finishFile() throws IOException {
        writer.close();
        writer = null;
        if (!fs.rename(tmp, dest)) {
            throw new IOException("cannot rename " + tmp + " to " + dest);
        }
        summary.endFile();
        part++;
    }

    /** Episodes written so far. */
    public long episodes() { return written; }

    /** Writes meta/info.json and meta/stats.json and moves the table into place; returns its metadata. */
    public TableMetadata commit() {
        if (done) {
            throw new IllegalStateException("the sink is committed or closed");
        }
        if (written == 0) {
            throw new IllegalArgumentException("no episodes to write to " + outDir);
        }
        try {
            if (writer != null) {
                finishFile();
            }
            TableMetadata md = summary.metadata(description, height, width);
            fs.mkdirs(new Path(staging, TrajectorySchema.META_DIR));
            summary.stats().write(conf, staging);
            md.write(conf, staging);
            TableCommitter.moveIntoPlace(conf, fs, new Path(staging), new Path(outDir), overwrite);
            done = true;
            return md;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit table " + outDir + ": " + e.getMessage(), e);
        }
    }

    /** Removes the staging directory unless committed. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // the staging directory goes anyway
        }
        try {
            fs.delete(new Path(staging), true);
        } catch (IOException ignored) {
            // best effort: a hidden .NAME.tmp-uuid sibling may remain
        }
    }
}
