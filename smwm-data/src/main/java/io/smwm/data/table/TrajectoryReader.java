package io.smwm.data.table;

import java.io.FileNotFoundException;
import java.io.IOException;
import io.smwm.core.util.UserError;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads a trajectory table episode by episode, file by file: at most one episode is held in memory. Checks the
 * metadata at open and each file's schema when it is opened; content inconsistencies and unreadable files found while
 * reading throw a {@link UserError} naming the file and row (use {@link TableValidator} for a full report).
 * Closing the reader closes the files its iterators still have open.
 */
public final class TrajectoryReader implements AutoCloseable {
    private final Configuration conf;
    private final String root;
    private final TableMetadata metadata;
    private final Set<ParquetReader<Group>> open = ConcurrentHashMap.newKeySet();
    private TableStats stats;

    private TrajectoryReader(Configuration conf, String root, TableMetadata metadata) {
        this.conf = conf;
        this.root = root;
        this.metadata = metadata;
    }

    public static TrajectoryReader open(String tablePath) throws IOException {
        return open(new Configuration(), tablePath);
    }

    /**
     * Opens the table at tablePath (any Hadoop FileSystem URI).
     *
     * @throws FileNotFoundException if the path does not exist
     * @throws IllegalArgumentException if it is not a trajectory table or its metadata is invalid
     */
    public static TrajectoryReader open(Configuration conf, String tablePath) throws IOException {
        Path root = new Path(tablePath);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new FileNotFoundException("no trajectory table at " + tablePath + ": the path does not exist");
        }
        Path info = new Path(root, TrajectorySchema.INFO_JSON);
        if (!fs.exists(info)) {
            throw new IllegalArgumentException("not a trajectory table: " + tablePath + " has no "
                    + TrajectorySchema.INFO_JSON + " (expected meta/info.json, meta/stats.json and "
                    + "data/part-NNNNN.parquet; was the generation interrupted, or is this the wrong directory?)");
        }
        TableMetadata md = TableMetadata.read(conf, tablePath);
        List<String> problems = md.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid metadata in " + info + ": " + String.join("; ", problems));
        }
        for (TableMetadata.FileEntry f : md.files()) {
            if (!fs.exists(new Path(root, f.path()))) {
                throw new IllegalArgumentException("table " + tablePath + " lists " + f.path()
                        + " in meta/info.json but the file does not exist");
            }
        }
        return new TrajectoryReader(conf, tablePath, md);
    }

    public TableMetadata metadata() { return metadata; }

    /** meta/stats.json, read on first use; statistics that are invalid on their own are an IllegalArgumentException. */
    public synchronized TableStats stats() {
        if (stats == null) {
            try {
                TableStats s = TableStats.read(conf, root);
                List<String> problems = s.problems();
                if (s.action().dim() != metadata.action().dim()
                        || s.observationState().dim() != metadata.state().dim()) {
                    problems.add("dimensions action " + s.action().dim() + " / state " + s.observationState().dim()
                            + " differ from meta/info.json's " + metadata.action().dim() + " / "
                            + metadata.state().dim());
                }
                if (!problems.isEmpty()) {
                    throw new IllegalArgumentException("invalid " + root + "/" + TrajectorySchema.STATS_JSON + ": "
                            + String.join("; ", problems));
                }
                stats = s;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + root + "/" + TrajectorySchema.STATS_JSON, e);
            }
        }
        return stats;
    }

    public int fileCount() { return metadata.files().size(); }

    /** Every episode in episode order, streaming file by file. */
    public Iterator<Episode> episodes() {
        return new Iterator<>() {
            int file = 0;
            Iterator<Episode> cur = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!cur.hasNext() && file < fileCount()) {
                    cur = episodes(file++);
                }
                return cur.hasNext();
            }

            @Override
            public Episode next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return cur.next();
            }
        };
    }

    /** The episodes of data file fileIndex (in metadata's files order). The file is opened lazily. */
    public Iterator<Episode> episodes(int fileIndex) {
        if (fileIndex < 0 || fileIndex >= fileCount()) {
            throw new IndexOutOfBoundsException("file index must be in [0, " + fileCount() + "), got " + fileIndex);
        }
        return new FileEpisodes(new Path(root, metadata.files().get(fileIndex).path()));
    }

    /** Reads all of a file's episodes into a list (for tests and small tables). */
    public List<Episode> readAll() {
        List<Episode> out = new ArrayList<>();
        episodes().forEachRemaining(out::add);
        return out;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ParquetReader<Group> r : open) {
            try {
                r.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Groups consecutive rows of one file into episodes, checking them against the metadata. */
    private final class FileEpisodes implements Iterator<Episode> {
        private final Path file;
        private ParquetReader<Group> reader;
        private boolean[] usable;
        private FrameRow pending;
        private boolean done;
        private long rowNo;

        FileEpisodes(Path file) {
            this.file = file;
        }

        private FrameRow readRow() {
            try {
                if (reader == null) {
                    MessageType schema = FrameRow.fileSchema(conf, file);
                    List<String> missing = new ArrayList<>(), mistyped = new ArrayList<>();
                    usable = FrameRow.usableColumns(schema, missing, mistyped);
                    if (!missing.isEmpty() || !mistyped.isEmpty()) {
                        throw new UserError(file + " does not have the trajectory schema: missing " + missing
                                + ", mistyped " + mistyped + "; run smwm validate " + root + " for a full report");
                    }
                    reader = FrameRow.openGroups(conf, file);
                    open.add(reader);
                }
                Group g = reader.read();
                if (g == null) {
                    open.remove(reader);
                    reader.close();
                    return null;
                }
                rowNo++;
                return FrameRow.decode(g, usable);
            } catch (IOException | RuntimeException e) {
                if (e instanceof UserError u) {
                    throw u;
                }
                throw new UserError("cannot read " + file + " at row " + rowNo + " (truncated or not Parquet?): "
                        + e.getMessage() + "; run smwm validate " + root + " for a full report", e);
            }
        }

        @Override
        public boolean hasNext() {
            if (pending == null && !done) {
                pending = readRow();
                done = pending == null;
            }
            return pending != null;
        }

        @Override
        public Episode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            long ep = pending.episodeIndex();
            List<FrameRow> rows = new ArrayList<>();
            while (pending != null && pending.episodeIndex() == ep) {
                FrameRow r = pending;
                if (r.frameIndex() != rows.size()) {
                    throw inconsistent("episode " + ep + ": expected frame_index " + rows.size() + ", got "
                            + r.frameIndex());
                }
                rows.add(r);
                pending = r.last() ? null : readRow();
                if (r.last()) {
                    break;
                }
            }
            if (!rows.get(rows.size() - 1).last()) {
                throw inconsistent("episode " + ep + " ends without is_last after " + rows.size() + " rows");
            }
            int n = rows.size();
            byte[][] frames = new byte[n][];
            float[][] s = new float[n][], d = new float[n][], a = new float[n][];
            for (int t = 0; t < n; t++) {
                FrameRow r = rows.get(t);
                frames[t] = r.image();
                s[t] = r.state();
                d[t] = r.distractor();
                a[t] = r.action();
                if (s[t].length != metadata.state().dim() || a[t].length != metadata.action().dim()
                        || d[t].length != metadata.distractorState().dim()) {
                    throw inconsistent("episode " + ep + " frame " + t + ": state/action/distractor dims "
                            + s[t].length + "/" + a[t].length + "/" + d[t].length + " differ from metadata "
                            + metadata.state().dim() + "/" + metadata.action().dim() + "/"
                            + metadata.distractorState().dim());
                }
            }
            try {
                return new Episode(ep, metadata.image().width(), metadata.image().height(), frames, s, d, a,
                        rows.get(n - 1).terminal());
            } catch (IllegalArgumentException e) {
                throw inconsistent(e.getMessage());
            }
        }

        private UserError inconsistent(String what) {
            return new UserError("inconsistent table " + root + ", " + file.getName() + " near row " + rowNo + ": "
                    + what + " (smwm validate " + root + " gives a full report)");
        }
    }
}
