package io.smwm.data.maintain;

import io.smwm.data.table.Json;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import io.smwm.data.table.TrajectorySchema;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Replacing a table's meta/stats.json and meta/info.json in place: each is written to a hidden temporary name and
 * renamed over the old file (an atomic replace on HDFS and local file systems), stats first, so meta/info.json is
 * the commit point: a reader that opens the table sees the old or the new info.json, never a partial one. Where the
 * scheme has no FileContext implementation on the classpath, the old file is deleted and the new one renamed (a short
 * window without the file; object stores such as S3A have no atomic rename anyway).
 */
final class MetaFiles {
    private MetaFiles() {}

    static void replace(Configuration conf, String table, TableStats stats, TableMetadata md) throws IOException {
        put(conf, new Path(table, TrajectorySchema.STATS_JSON), stats.toJson());
        put(conf, new Path(table, TrajectorySchema.INFO_JSON), md.toJson());
    }

    private static void put(Configuration conf, Path target, String text) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        Json.writeFile(conf, tmp, text);
        FileContext fc;
        try {
            fc = FileContext.getFileContext(target.toUri(), conf);
        } catch (IOException | RuntimeException e) { // no AbstractFileSystem for the scheme: replace by delete + rename
            FileSystem fs = target.getFileSystem(conf);
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
            return;
        }
        try {
            fc.rename(tmp, target, Options.Rename.OVERWRITE);
        } catch (IOException | RuntimeException e) {
            fc.delete(tmp, false);
            throw e;
        }
    }
}
