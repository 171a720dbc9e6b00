package io.smwm.data.table;

import io.smwm.core.util.UserError;
import io.smwm.data.table.ValidationReport.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.schema.MessageType;

/**
 * Checks a trajectory table's metadata, schema and every row, and reports every problem found (see
 * {@link ValidationReport.Kind}) instead of stopping at the first. A file that cannot be read is reported and
 * the others are still checked. Reads the table once, streaming; memory grows only with the number of episodes.
 */
public final class TableValidator {
    private final Configuration conf;

    public TableValidator() {
        this(new Configuration());
    }

    public TableValidator(Configuration conf) {
        this.conf = conf;
    }

    /** Validates the table at path (any Hadoop FileSystem URI). Never throws for a bad table. */
    public ValidationReport validate(String path) {
        ValidationReport.Collector out = new ValidationReport.Collector();
        Path root = new Path(path);
        FileSystem fs;
        try {
            fs = root.getFileSystem(conf);
            if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
                out.add(Kind.NOT_A_TABLE, path + " does not exist or is not a directory");
                return out.report(path, 0, 0, 0);
            }
            if (!fs.exists(new Path(root, TrajectorySchema.META_DIR))
                    && !fs.exists(new Path(root, TrajectorySchema.DATA_DIR))) {
                out.add(Kind.NOT_A_TABLE, path + " has neither meta/ nor data/");
                return out.report(path, 0, 0, 0);
            }
        } catch (IOException e) {
            out.add(Kind.NOT_A_TABLE, path + ": " + e);
            return out.report(path, 0, 0, 0);
        }
        TableMetadata md = readMetadata(fs, root, out);
        TableStats stats = readStats(fs, root, out);
        TreeMap<String, Path> dataFiles = listDataFiles(fs, root, out);
        Map<String, TableMetadata.FileEntry> listed = new HashMap<>();
        if (md != null) {
            for (TableMetadata.FileEntry f : md.files()) {
                if (f == null || f.path() == null) {
                    continue; // reported by md.problems()
                }
                listed.put(f.path(), f);
                if (!dataFiles.containsKey(f.path()) && isDataPath(f.path())) {
                    out.add(Kind.FILES_MISMATCH, f.path() + " is listed in meta/info.json but does not exist");
                }
            }
            for (String f : dataFiles.keySet()) {
                if (!listed.containsKey(f)) {
                    out.add(Kind.FILES_MISMATCH, f + " exists but is not listed in meta/info.json");
                }
            }
        }
        if (dataFiles.isEmpty()) {
            out.add(Kind.EMPTY_TABLE, path + "/data has no part-NNNNN.parquet files");
        }
        boolean mdOk = md != null && md.problems().isEmpty();
        RowChecker rc = new RowChecker(out, mdOk ? md.image().bytes() : -1, mdOk ? md.action().dim() : -1,
                mdOk ? md.state().dim() : -1, mdOk ? md.distractorState().dim() : -1,
                mdOk ? md.stepsPerEpisode() : -1);
        boolean anyUnreadable = false;
        for (Map.Entry<String, Path> f : dataFiles.entrySet()) {
            if (!checkFile(f.getKey(), f.getValue(), rc, out)) {
                anyUnreadable = true;
                continue;
            }
            TableMetadata.FileEntry e = listed.get(f.getKey());
            if (e != null && (e.frames() != rc.fileRows || e.episodes() != rc.fileEpisodes
                    || (rc.fileRows > 0 && (e.firstEpisode() != rc.fileFirst || e.lastEpisode() != rc.fileLast)))) {
                out.add(Kind.FILES_MISMATCH, f.getKey() + ": meta/info.json says episodes " + e.firstEpisode() + ".."
                        + e.lastEpisode() + " (" + e.episodes() + "), " + e.frames() + " frames; the file has "
                        + rc.fileFirst + ".." + rc.fileLast + " (" + rc.fileEpisodes + "), " + rc.fileRows + " frames");
            }
        }
        rc.finish();
        long episodes = rc.episodes().size();
        if (!dataFiles.isEmpty() && rc.rows() == 0 && !anyUnreadable) {
            out.add(Kind.EMPTY_TABLE, path + ": the data files hold no rows");
        }
        long maxEp = rc.episodes().stream().mapToLong(Long::longValue).max().orElse(-1);
        if (maxEp + 1 != episodes && !anyUnreadable) {
            out.add(Kind.EPISODE_INDEX_GAP, episodes + " distinct episodes but the largest index is " + maxEp
                    + " (expected 0.." + (episodes - 1) + ")");
        }
        if (md != null && !anyUnreadable) {
            if (md.episodes() != episodes) {
                out.add(Kind.COUNT_MISMATCH, "meta/info.json episodes=" + md.episodes() + ", data has " + episodes);
            }
            if (md.frames() != rc.rows()) {
                out.add(Kind.COUNT_MISMATCH, "meta/info.json frames=" + md.frames() + ", data has " + rc.rows());
            }
            List<byte[]> hashes = rc.hashes();
            if (hashes != null && md.fingerprint() != null && !out.has(Kind.COUNT_MISMATCH)) {
                String fp = Fingerprint.of(hashes);
                if (!fp.equals(md.fingerprint())) {
                    out.add(Kind.FINGERPRINT_MISMATCH, "meta/info.json fingerprint " + md.fingerprint()
                            + ", content gives " + fp);
                }
            }
        }
        if (stats != null && !anyUnreadable) {
            checkStats(stats, md, rc, episodes, out);
        }
        return out.report(path, dataFiles.size(), rc.rows(), episodes);
    }

    private static boolean isDataPath(String p) {
        return p.startsWith(TrajectorySchema.DATA_DIR + "/")
                && TrajectorySchema.PART_FILE.matcher(p.substring(TrajectorySchema.DATA_DIR.length() + 1)).matches();
    }

    private TableMetadata readMetadata(FileSystem fs, Path root, ValidationReport.Collector out) {
        try {
            if (!fs.exists(new Path(root, TrajectorySchema.INFO_JSON))) {
                out.add(Kind.METADATA_MISSING, TrajectorySchema.INFO_JSON + " is missing");
                return null;
            }
            TableMetadata md = TableMetadata.read(conf, root.toString());
            md.problems().forEach(p -> out.add(Kind.METADATA_INVALID, TrajectorySchema.INFO_JSON + ": " + p));
            return md;
        } catch (IOException | RuntimeException e) {
            out.add(Kind.METADATA_INVALID, TrajectorySchema.INFO_JSON + ": " + e.getMessage());
            return null;
        }
    }

    private TableStats readStats(FileSystem fs, Path root, ValidationReport.Collector out) {
        try {
            if (!fs.exists(new Path(root, TrajectorySchema.STATS_JSON))) {
                out.add(Kind.METADATA_MISSING, TrajectorySchema.STATS_JSON + " is missing");
                return null;
            }
            TableStats s = TableStats.read(conf, root.toString());
            List<String> problems = s.problems();
            problems.forEach(p -> out.add(Kind.METADATA_INVALID, TrajectorySchema.STATS_JSON + ": " + p));
            return problems.isEmpty() ? s : null;
        } catch (IOException | RuntimeException e) {
            out.add(Kind.METADATA_INVALID, TrajectorySchema.STATS_JSON + ": " + e.getMessage());
            return null;
        }
    }

    /** data/part-NNNNN.parquet files by relative path, sorted; anything else visible in data/ is reported. */
    private static TreeMap<String, Path> listDataFiles(FileSystem fs, Path root, ValidationReport.Collector out) {
        TreeMap<String, Path> files = new TreeMap<>();
        Path data = new Path(root, TrajectorySchema.DATA_DIR);
        try {
            if (!fs.exists(data)) {
                return files;
            }
            for (FileStatus st : fs.listStatus(data)) {
                String name = st.getPath().getName();
                if (TrajectorySchema.PART_FILE.matcher(name).matches() && st.isFile()) {
                    files.put(TrajectorySchema.DATA_DIR + "/" + name, st.getPath());
                } else if (!name.startsWith(".") && !name.startsWith("_")) {
                    out.add(Kind.FILES_MISMATCH, TrajectorySchema.DATA_DIR + "/" + name
                            + " is not a data file name (expected part-NNNNN.parquet)");
                }
            }
        } catch (IOException e) {
            out.add(Kind.UNREADABLE_FILE, data + ": cannot list: " + e);
        }
        return files;
    }

    /** Streams one file through rc; false if it could not be read to the end. */
    private boolean checkFile(String name, Path file, RowChecker rc, ValidationReport.Collector out) {
        MessageType schema;
        try {
            schema = FrameRow.fileSchema(conf, file);
        } catch (IOException | RuntimeException e) {
            out.add(Kind.UNREADABLE_FILE, name + ": cannot read the Parquet footer: " + e.getMessage());
            rc.fileFailed();
            return false;
        }
        List<String> missing = new ArrayList<>(), mistyped = new ArrayList<>();
        boolean[] usable = FrameRow.usableColumns(schema, missing, mistyped);
        missing.forEach(c -> out.add(Kind.MISSING_COLUMN, name + ": " + c));
        mistyped.forEach(c -> out.add(Kind.WRONG_COLUMN_TYPE, name + ": " + c));
        FrameRow.extraColumns(schema).forEach(c -> out.add(Kind.EXTRA_COLUMN, name + ": " + c));
        rc.startFile(name, usable);
        try (ParquetReader<Group> r = FrameRow.openGroups(conf, file)) {
            for (Group g = r.read(); g != null; g = r.read()) {
                rc.row(FrameRow.decode(g, usable));
            }
            return true;
        } catch (IOException | RuntimeException e) {
            out.add(Kind.UNREADABLE_FILE, name + ": read failed after " + rc.fileRows + " rows: " + e);
            rc.fileFailed();
            return false;
        }
    }

    private static void checkStats(TableStats s, TableMetadata md, RowChecker rc, long episodes,
                                   ValidationReport.Collector out) {
        if (s.observationState().count() != rc.rows()) {
            out.add(Kind.STATS_MISMATCH, "observation_state count " + s.observationState().count() + ", data has "
                    + rc.rows() + " rows");
        }
        if (s.action().count() != rc.rows() - episodes) {
            out.add(Kind.STATS_MISMATCH, "action count " + s.action().count() + ", data has "
                    + (rc.rows() - episodes) + " non-last rows");
        }
        if (md != null && md.action() != null && md.state() != null
                && (s.action().dim() != md.action().dim() || s.observationState().dim() != md.state().dim())) {
            out.add(Kind.STATS_MISMATCH, "stats dims action " + s.action().dim() + " / state "
                    + s.observationState().dim() + ", metadata says " + md.action().dim() + " / " + md.state().dim());
        }
        compare("action", s.action(), rc.actionStats, out);
        compare("observation_state", s.observationState(), rc.stateStats, out);
    }

    /**
     * The recorded statistics against those of the data, where both cover the same rows: each of mean, std, min
     * and max within 1e-4 x (1 + |data value|) (float data, double sums in another order). A std of 0 for a
     * dimension that varies, say, would z-score its actions by the 1e-3 floor.
     */
    private static void compare(String name, TableStats.Feature f, StatsAccumulator data,
                                ValidationReport.Collector out) {
        if (f.count() != data.count() || data.count() == 0 || f.dim() != data.dim()) {
            return; // counts or dimensions already reported, or nothing to compare
        }
        double[][] recorded = {f.mean(), f.std(), f.min(), f.max()};
        double[][] actual = {data.mean(), data.std(), data.min(), data.max()};
        String[] what = {"mean", "std", "min", "max"};
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < data.dim(); i++) {
                if (!(Math.abs(recorded[k][i] - actual[k][i]) <= 1e-4 * (1 + Math.abs(actual[k][i])))) {
                    out.add(Kind.STATS_MISMATCH, name + " " + what[k] + "[" + i + "] is " + recorded[k][i]
                            + " in meta/stats.json, the data give " + actual[k][i]);
                    break;
                }
            }
        }
    }

    /**
     * Validates the table and fails with a {@link UserError} summarising every kind of problem (the first example
     * of each) unless it is valid: what train, evaluate and diagnose call before any work.
     *
     * @return the (valid) report
     */
    public ValidationReport requireValid(String path) {
        ValidationReport r = validate(path);
        if (!r.ok()) {
            throw new UserError("table " + path + " is not valid: " + r.summary() + ". Run smwm validate " + path
                    + " for the full report; fix or regenerate the table");
        }
        return r;
    }
}
