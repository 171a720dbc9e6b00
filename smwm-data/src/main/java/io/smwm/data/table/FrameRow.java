package io.smwm.data.table;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * One decoded row of a data file. A field is null where its column is absent or not of the expected type (see
 * {@link #decode(Group, boolean[])}); a null list element decodes as NaN.
 */
public record FrameRow(Long episodeIndex, Integer frameIndex, byte[] image, float[] state, float[] distractor,
                       float[] action, Boolean first, Boolean last, Boolean terminal) {

    /** The schema of file (reads its footer only); throws if the footer cannot be read. */
    public static MessageType fileSchema(Configuration conf, Path file) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
            return r.getFooter().getFileMetaData().getSchema();
        }
    }

    /**
     * Which of {@link TrajectorySchema#COLUMNS} (by index) are present with the expected type in schema; problems
     * (one line each: "column: why") go to problemsOut when it is not null.
     */
    public static boolean[] usableColumns(MessageType schema, List<String> missingOut, List<String> mistypedOut) {
        boolean[] ok = new boolean[TrajectorySchema.COLUMNS.size()];
        for (int i = 0; i < ok.length; i++) {
            String name = TrajectorySchema.COLUMNS.get(i);
            if (!schema.containsField(name)) {
                if (missingOut != null) {
                    missingOut.add(name);
                }
                continue;
            }
            String why = TrajectorySchema.columnTypeProblem(TrajectorySchema.SCHEMA.getType(name),
                    schema.getType(name));
            if (why != null) {
                if (mistypedOut != null) {
                    mistypedOut.add(name + ": " + why);
                }
            } else {
                ok[i] = true;
            }
        }
        return ok;
    }

    /** Columns of schema this format does not define. */
    public static List<String> extraColumns(MessageType schema) {
        List<String> out = new ArrayList<>();
        for (Type t : schema.getFields()) {
            if (!TrajectorySchema.COLUMNS.contains(t.getName())) {
                out.add(t.getName());
            }
        }
        return out;
    }

    /** Opens a row reader over file with the file's own schema. */
    @SuppressWarnings("deprecation")
    public static ParquetReader<Group> openGroups(Configuration conf, Path file) throws IOException {
        return ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build();
    }

    /** Decodes the usable columns of g (usable as from {@link #usableColumns}). */
    public static FrameRow decode(Group g, boolean[] usable) {
        return new FrameRow(
                usable[0] && has(g, TrajectorySchema.EPISODE_INDEX) ? g.getLong(TrajectorySchema.EPISODE_INDEX, 0) : null,
                usable[1] && has(g, TrajectorySchema.FRAME_INDEX) ? g.getInteger(TrajectorySchema.FRAME_INDEX, 0) : null,
                usable[2] && has(g, TrajectorySchema.OBSERVATION_IMAGE)
                        ? g.getBinary(TrajectorySchema.OBSERVATION_IMAGE, 0).getBytes() : null,
                usable[3] ? floats(g, TrajectorySchema.OBSERVATION_STATE) : null,
                usable[4] ? floats(g, TrajectorySchema.DISTRACTOR_STATE) : null,
                usable[5] ? floats(g, TrajectorySchema.ACTION) : null,
                usable[6] && has(g, TrajectorySchema.IS_FIRST) ? g.getBoolean(TrajectorySchema.IS_FIRST, 0) : null,
                usable[7] && has(g, TrajectorySchema.IS_LAST) ? g.getBoolean(TrajectorySchema.IS_LAST, 0) : null,
                usable[8] && has(g, TrajectorySchema.IS_TERMINAL) ? g.getBoolean(TrajectorySchema.IS_TERMINAL, 0) : null);
    }

    private static boolean has(Group g, String field) {
        return g.getFieldRepetitionCount(field) > 0;
    }

    private static float[] floats(Group g, String name) {
        if (!has(g, name)) {
            return null;
        }
        Group list = g.getGroup(name, 0);
        GroupType lt = list.getType();
        if (lt.getFieldCount() == 0) {
            return new float[0];
        }
        int n = list.getFieldRepetitionCount(0);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            Group el = list.getGroup(0, i);
            out[i] = el.getFieldRepetitionCount(0) > 0 ? el.getFloat(0, 0) : Float.NaN;
        }
        return out;
    }
}
