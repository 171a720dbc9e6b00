package io.smwm.data.maintain;

import io.smwm.core.env.catalog.Environments;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.ContentSummary;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableDescription;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.TrajectorySchema;
import io.smwm.data.table.TrajectoryWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code table append}: adds the episodes of table SRC to table TABLE.
 *
 * <p><b>Agreement.</b> Both must be valid tables with the same env id and variant, image height and width, action,
 * state and distractor dimensions and frameskip; otherwise nothing is written and the {@link UserError} lists every
 * difference.
 *
 * <p><b>Episode indices are renumbered, always:</b> SRC's episodes, in SRC's order, become TABLE.episodes,
 * TABLE.episodes + 1, ... (a table's indices are 0..E-1, so SRC's own indices, which start at 0, would clash).
 * {@link Result} says which range they took.
 *
 * <p><b>Atomicity.</b> SRC's files are rewritten with the new indices into TABLE/data under hidden temporary names,
 * renamed to the next free part numbers (files meta/info.json does not list yet, which readers ignore), and then
 * meta/stats.json and meta/info.json are replaced by renames, info.json last: readers see the old table or the new
 * one. On failure before that, the new files are removed. The fingerprint and statistics are recomputed over the
 * whole content, so TABLE is read once in full. One writer at a time.
 */
public final class TableAppender {
    /** What an append did: SRC's episodes became first..last; the new metadata. */
    public record Result(long first, long last, List<String> newFiles, TableMetadata metadata) {}

    private TableAppender() {}

    public static Result append(Configuration conf, String src, String table) throws IOException {
        try (TrajectoryReader to = TrajectoryReader.open(conf, table);
             TrajectoryReader from = TrajectoryReader.open(conf, src)) {
            TableMetadata a = to.metadata(), b = from.metadata();
            List<String> diffs = differences(a, b);
            if (!diffs.isEmpty()) {
                throw new UserError("table append: " + src + " does not agree with " + table + ": "
                        + String.join("; ", diffs) + "; nothing was written");
            }
            ContentSummary summary = new ContentSummary();
            for (int f = 0; f < to.fileCount(); f++) {
                summary.startFile(a.files().get(f).path());
                to.episodes(f).forEachRemaining(summary::episode);
                summary.endFile();
            }
            FileSystem fs = new Path(table).getFileSystem(conf);
            Path data = new Path(table, TrajectorySchema.DATA_DIR);
            int nextPart = nextPart(a);
            long offset = a.episodes();
            List<Path> written = new ArrayList<>();
            boolean committed = false;
            try {
                for (int f = 0; f < from.fileCount(); f++) {
                    String name = TrajectorySchema.partFileName(nextPart + f);
                    Path dest = new Path(data, name), tmp = new Path(data, "." + name + "." + UUID.randomUUID() + ".tmp");
                    written.add(tmp);
                    summary.startFile(TrajectorySchema.DATA_DIR + "/" + name);
                    try (TrajectoryWriter w = TrajectoryWriter.create(conf, tmp)) {
                        for (Iterator<Episode> it = from.episodes(f); it.hasNext(); ) {
                            Episode e = renumber(it.next(), offset);
                            w.write(e);
                            summary.episode(e);
                        }
                    }
                    summary.endFile();
                    if (fs.exists(dest)) { // a leftover of an interrupted append: not listed, so not part of the table
                        fs.delete(dest, false);
                    }
                    if (!fs.rename(tmp, dest)) {
                        throw new IOException("cannot rename " + tmp + " to " + dest);
                    }
                    written.set(written.size() - 1, dest);
                }
                TableDescription d = new TableDescription(a.env(), a.frameskip(), a.state().names(),
                        union(a.action().low(), b.action().low(), true), union(a.action().high(), b.action().high(), false),
                        a.generator());
                TableMetadata md = summary.metadata(d, a.image().height(), a.image().width());
                MetaFiles.replace(conf, table, summary.stats(), md);
                committed = true;
                List<String> names = new ArrayList<>();
                written.forEach(p -> names.add(TrajectorySchema.DATA_DIR + "/" + p.getName()));
                return new Result(offset, offset + b.episodes() - 1, names, md);
            } finally {
                if (!committed) {
                    for (Path p : written) {
                        fs.delete(p, false);
                    }
                }
            }
        }
    }

    /** Every way b does not agree with a, one line each. */
    static List<String> differences(TableMetadata a, TableMetadata b) {
        List<String> d = new ArrayList<>();
        diff(d, "env id", a.env().id(), b.env().id());
        diff(d, "env variant", a.env().variant(), b.env().variant());
        if (a.env().id().equals(b.env().id())) {
            diff(d, "env params", taskParams(a), taskParams(b));
        }
        diff(d, "image", a.image().height() + "x" + a.image().width(), b.image().height() + "x" + b.image().width());
        diff(d, "action dim", a.action().dim(), b.action().dim());
        diff(d, "state dim", a.state().dim(), b.state().dim());
        diff(d, "distractor_state dim", a.distractorState().dim(), b.distractorState().dim());
        diff(d, "frameskip", a.frameskip(), b.frameskip());
        return d;
    }

    /**
     * The task's config params as the environment takes them, defaults filled in, so a table written before a param
     * existed agrees with one that states its default; empty for an env id outside the registry.
     */
    private static Map<String, String> taskParams(TableMetadata m) {
        String id = m.env().id();
        if (!Environments.ids().contains(id)) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>(Environments.create(id, TrainingData.envConfig(m)).spec().params());
        out.keySet().retainAll(Environments.task(id).params());
        return out;
    }

    private static void diff(List<String> out, String what, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(what + " " + b + " (table: " + a + ")");
        }
    }

    /** The part number after the largest one among the table's files. */
    private static int nextPart(TableMetadata md) {
        int max = -1;
        for (TableMetadata.FileEntry f : md.files()) {
            Matcher m = TrajectorySchema.PART_FILE.matcher(new Path(f.path()).getName());
            if (m.matches()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max + 1;
    }

    private static Episode renumber(Episode e, long offset) {
        return new Episode(e.episodeIndex() + offset, e.imageWidth(), e.imageHeight(), e.frames(), e.states(),
                e.distractorStates(), e.actions(), e.terminal());
    }

    private static float[] union(float[] a, float[] b, boolean low) {
        float[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = low ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
        }
        return out;
    }
}
