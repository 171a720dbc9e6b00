package io.smwm.data.convert;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The LeRobot dataset layout (codebase v3.0, also read: v2.x) as far as SMWM reads and writes it:
 * <pre>
 * meta/info.json      codebase_version, fps, features {name: {dtype, shape, names}}, totals, data_path
 * meta/stats.json     per feature mean/std/min/max/count
 * meta/tasks.parquet  task_index, task
 * meta/episodes/chunk-000/file-000.parquet  episode_index, length, data/chunk_index, data/file_index, ...
 * data/chunk-CCC/file-FFF.parquet           one row per frame
 * </pre>
 * Frame columns: an image feature ({@code dtype "image"}) is a struct {bytes: PNG/JPEG, path}; vectors are
 * list&lt;float&gt;; frame_index, episode_index, index, task_index int64; timestamp float32; next.done bool. A
 * feature of {@code dtype "video"} is stored in MP4 files, which SMWM does not read.
 */
final class LeRobotFormat {
    static final String CODEBASE_VERSION = "v3.0";
    static final String IMAGE = "observation.image";
    static final String STATE = "observation.state";
    static final String DISTRACTOR = "observation.distractor_state";
    static final String ACTION = "action";
    static final String DONE = "next.done";
    static final String EPISODE_INDEX = "episode_index";
    static final String FRAME_INDEX = "frame_index";
    /** Where SMWM keeps what LeRobot's info.json has no place for (env, bounds, frameskip), to round-trip. */
    static final String SMWM_KEY = "smwm";
    static final String DATA_PATH = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";
    static final int CHUNK_SIZE = 1000;

    private LeRobotFormat() {}

    static String dataFile(int file) {
        return String.format("data/chunk-%03d/file-%03d.parquet", file / CHUNK_SIZE, file % CHUNK_SIZE);
    }

    static Type floatList(String name) {
        return Types.requiredList().requiredElement(PrimitiveTypeName.FLOAT).named(name);
    }

    /** The frame schema of an export with a distractor column when distractorDim > 0. */
    static MessageType frameSchema(boolean distractor) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.addField(Types.requiredGroup()
                .optional(PrimitiveTypeName.BINARY).named("bytes")
                .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("path")
                .named(IMAGE));
        b.addField(floatList(STATE));
        if (distractor) {
            b.addField(floatList(DISTRACTOR));
        }
        b.addField(floatList(ACTION));
        b.required(PrimitiveTypeName.FLOAT).named("timestamp");
        b.required(PrimitiveTypeName.INT64).named(FRAME_INDEX);
        b.required(PrimitiveTypeName.INT64).named(EPISODE_INDEX);
        b.required(PrimitiveTypeName.INT64).named("index");
        b.required(PrimitiveTypeName.INT64).named("task_index");
        b.required(PrimitiveTypeName.BOOLEAN).named(DONE);
        return b.named("lerobot_frame");
    }

    /** Appends v as a 3-level list to field name of g. */
    static void putFloats(Group g, String name, float[] v) {
        Group list = g.addGroup(name);
        for (float x : v) {
            list.addGroup(0).add(0, x);
        }
    }

    /**
     * A list&lt;float|double&gt; column of g as floats (either list encoding; a scalar float column as one value);
     * null when absent.
     */
    static float[] floats(Group g, String name) {
        GroupType t = g.getType();
        if (!t.containsField(name) || g.getFieldRepetitionCount(name) == 0) {
            return null;
        }
        Type ft = t.getType(name);
        if (ft.isPrimitive()) {
            return new float[] {(float) number(g, name, ft.asPrimitiveType().getPrimitiveTypeName())};
        }
        Group list = g.getGroup(name, 0);
        if (list.getType().getFieldCount() == 0) {
            return new float[0];
        }
        int n = list.getFieldRepetitionCount(0);
        float[] out = new float[n];
        Type rep = list.getType().getType(0);
        for (int i = 0; i < n; i++) {
            if (rep.isPrimitive()) { // 2-level list: repeated float
                out[i] = (float) numberAt(list, 0, i, rep.asPrimitiveType().getPrimitiveTypeName());
            } else {
                Group el = list.getGroup(0, i);
                Type et = el.getType().getType(0);
                out[i] = el.getFieldRepetitionCount(0) == 0 ? Float.NaN
                        : (float) numberAt(el, 0, 0, et.asPrimitiveType().getPrimitiveTypeName());
            }
        }
        return out;
    }

    static double number(Group g, String name, PrimitiveTypeName type) {
        return numberAt(g, g.getType().getFieldIndex(name), 0, type);
    }

    private static double numberAt(Group g, int field, int i, PrimitiveTypeName type) {
        return switch (type) {
            case FLOAT -> g.getFloat(field, i);
            case DOUBLE -> g.getDouble(field, i);
            case INT32 -> g.getInteger(field, i);
            case INT64 -> g.getLong(field, i);
            case BOOLEAN -> g.getBoolean(field, i) ? 1 : 0;
            default -> throw new IllegalArgumentException("not a number column: " + type);
        };
    }

    /** Names of the columns of schema, for messages. */
    static List<String> columns(MessageType schema) {
        List<String> out = new ArrayList<>();
        schema.getFields().forEach(f -> out.add(f.getName()));
        return out;
    }
}
