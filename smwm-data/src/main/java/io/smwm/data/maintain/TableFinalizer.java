package io.smwm.data.maintain;

import io.smwm.core.util.UserError;
import io.smwm.data.table.ContentSummary;
import io.smwm.data.table.FrameRow;
import io.smwm.data.table.TableDescription;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectorySchema;
import io.smwm.data.table.ValidationReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * {@code table finalize}: builds meta/info.json and meta/stats.json (fingerprint included) from the data alone, for a
 * table that a user's own Spark job wrote with {@code df.write.parquet(PATH + "/data")} (or to PATH itself: its part
 * files are then moved into PATH/data). Spark's part-file names are accepted as they are; files are read in name
 * order.
 *
 * <p>The data must already have the table's columns and Spark types (episode_index long, frame_index int,
 * observation_image binary, observation_state / distractor_state / action array&lt;float&gt;, is_first / is_last /
 * is_terminal boolean), whole episodes per file, rows in frame order, episodes ascending across files and numbered
 * 0..E-1: what {@code df.repartitionByRange(n, col("episode_index")).sortWithinPartitions("episode_index",
 * "frame_index").write.parquet(...)} gives. What the data cannot tell comes from the options: env id and variant,
 * frameskip, and the image height and width (default: square). Action bounds are the observed range.
 *
 * <p>After writing the metadata the table is validated; if anything is wrong the metadata is removed again and the
 * {@link UserError} lists the validator's findings, so a refused table stays as it was.
 */
public final class TableFinalizer {
    /** What the data cannot tell. imageHeight/imageWidth null = square from the image byte length. */
    public record Options(String envId, String variant, int frameskip, Integer imageHeight, Integer imageWidth,
                          boolean force) {
        public static Options defaults() {
            return new Options("custom", "default", 5, null, null, false);
        }
    }

    private TableFinalizer() {}

    public static TableMetadata finalizeTable(Configuration conf, String path, Options o) throws IOException {
        Path root = new Path(path);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
            throw new UserError("table finalize: " + path + " is not a directory");
        }
        Path info = new Path(root, TrajectorySchema.INFO_JSON);
        if (fs.exists(info) && !o.force()) {
            throw new UserError("table finalize: " + path + " already has " + TrajectorySchema.INFO_JSON
                    + "; check it with 'smwm validate', or pass --force to rebuild the metadata from the data");
        }
        Path data = new Path(root, TrajectorySchema.DATA_DIR);
        if (!fs.exists(data)) {
            adoptTopLevelParts(fs, root, data, path);
        }
        List<FileStatus> files = new ArrayList<>();
        List<String> strangers = new ArrayList<>();
        for (FileStatus st : fs.listStatus(data)) {
            String name = st.getPath().getName();
            if (st.isFile() && TrajectorySchema.PART_FILE.matcher(name).matches()) {
                files.add(st);
            } else if (!name.startsWith(".") && !name.startsWith("_")) {
                strangers.add(name);
            }
        }
        if (!strangers.isEmpty()) {
            throw new UserError("table finalize: " + data + " holds " + strangers + ", which are not part files "
                    + "(part-NNNNN[-...].parquet); was it written partitioned (partitionBy)? Write it without");
        }
        if (files.isEmpty()) {
            throw new UserError("table finalize: " + data + " has no part-*.parquet files");
        }
        files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        ContentSummary summary = new ContentSummary();
        for (FileStatus f : files) {
            scan(conf, f.getPath(), summary);
        }
        int bytes = summary.imageBytes();
        int h, w;
        if (o.imageHeight() != null && o.imageWidth() != null) {
            h = o.imageHeight();
            w = o.imageWidth();
        } else {
            int side = (int) Math.round(Math.sqrt(bytes / 3.0));
            if (side * side * 3 != bytes) {
                throw new UserError("table finalize: images of " + bytes + " bytes are not square H*W*3; give "
                        + "--image-height and --image-width");
            }
            h = side;
            w = side;
        }
        if (h * w * 3 != bytes) {
            throw new UserError("table finalize: images have " + bytes + " bytes, not " + h + "x" + w + "x3");
        }
        TableDescription d = new TableDescription(new TableMetadata.Env(o.envId(), o.variant(), Map.of(), List.of()),
                o.frameskip(), null, null, null, null);
        TableMetadata md = summary.metadata(d, h, w);
        fs.mkdirs(new Path(root, TrajectorySchema.META_DIR));
        MetaFiles.replace(conf, path, summary.stats(), md);
        ValidationReport report = new TableValidator(conf).validate(path);
        if (!report.ok()) {
            fs.delete(info, false);
            fs.delete(new Path(root, TrajectorySchema.STATS_JSON), false);
            throw new UserError("table finalize: " + path + " is not a valid table, so no metadata was kept:\n"
                    + report.format() + "Write whole episodes per file, in order: df.repartitionByRange(n, "
                    + "col(\"episode_index\")).sortWithinPartitions(\"episode_index\", \"frame_index\")"
                    + ".write.parquet(\"" + path + "/data\")");
        }
        return md;
    }

    /** Spark wrote to PATH itself: move its part files into PATH/data. */
    private static void adoptTopLevelParts(FileSystem fs, Path root, Path data, String path) throws IOException {
        List<Path> parts = new ArrayList<>();
        for (FileStatus st : fs.listStatus(root)) {
            if (st.isFile() && TrajectorySchema.PART_FILE.matcher(st.getPath().getName()).matches()) {
                parts.add(st.getPath());
            }
        }
        if (parts.isEmpty()) {
            throw new UserError("table finalize: " + path + " has neither data/ nor part-*.parquet files");
        }
        fs.mkdirs(data);
        for (Path p : parts) {
            if (!fs.rename(p, new Path(data, p.getName()))) {
                throw new IOException("cannot move " + p + " into " + data);
            }
        }
    }

    private static void scan(Configuration conf, Path file, ContentSummary summary) throws IOException {
        List<String> missing = new ArrayList<>(), mistyped = new ArrayList<>();
        boolean[] usable = FrameRow.usableColumns(FrameRow.fileSchema(conf, file), missing, mistyped);
        if (!missing.isEmpty() || !mistyped.isEmpty()) {
            throw new UserError("table finalize: " + file.getName() + " does not have the table's columns: "
                    + (missing.isEmpty() ? "" : "missing " + missing + " ") + (mistyped.isEmpty() ? ""
                    : "mistyped " + mistyped + " ") + "(Spark types: episode_index long, frame_index int, "
                    + "observation_image binary, observation_state/distractor_state/action array<float>, "
                    + "is_first/is_last/is_terminal boolean)");
        }
        summary.startFile(TrajectorySchema.DATA_DIR + "/" + file.getName());
        long row = 0;
        try (ParquetReader<Group> r = FrameRow.openGroups(conf, file)) {
            for (Group g = r.read(); g != null; g = r.read(), row++) {
                FrameRow f = FrameRow.decode(g, usable);
                if (f.episodeIndex() == null || f.frameIndex() == null || f.image() == null || f.state() == null
                        || f.distractor() == null || f.action() == null || f.first() == null || f.last() == null
                        || f.terminal() == null) {
                    throw new UserError("table finalize: " + file.getName() + " row " + row + " has a null value: "
                            + f + " (every column must be set; an empty list for no distractor state)");
                }
                summary.row(f.episodeIndex(), f.frameIndex(), f.image(), f.state(), f.distractor(), f.action(),
                        f.first(), f.last(), f.terminal());
            }
        }
        summary.endFile();
    }
}
