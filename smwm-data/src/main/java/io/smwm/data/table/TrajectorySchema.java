package io.smwm.data.table;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The trajectory table format, version {@value #FORMAT_VERSION}: directory layout, Parquet columns and names.
 *
 * <pre>
 * TABLE/meta/info.json          {@link TableMetadata}
 * TABLE/meta/stats.json         {@link TableStats}: per-dimension mean/std/min/max/count of action, observation_state
 * TABLE/data/part-00000.parquet whole episodes per file, ascending episode_index, files in episode order
 * </pre>
 *
 * <p>One row per environment frame; an episode of T actions has T+1 rows (frame_index 0..T), contiguous.
 *
 * <table>
 *   <caption>Columns and their names elsewhere</caption>
 *   <tr><th>column</th><th>Parquet type</th><th>shape / meaning</th><th>LeRobot</th><th>RLDS</th></tr>
 *   <tr><td>episode_index</td><td>required int64</td><td>0..episodes-1</td><td>episode_index</td><td>episode id</td></tr>
 *   <tr><td>frame_index</td><td>required int32</td><td>t = 0..T within the episode</td><td>frame_index</td>
 *       <td>step index</td></tr>
 *   <tr><td>observation_image</td><td>required binary</td><td>o_t, raw uint8 HWC, exactly H*W*3 bytes</td>
 *       <td>observation.image</td><td>observation</td></tr>
 *   <tr><td>observation_state</td><td>list&lt;float&gt;</td><td>s_t [stateDim], the task's full state</td>
 *       <td>observation.state</td><td>observation/state</td></tr>
 *   <tr><td>distractor_state</td><td>list&lt;float&gt;</td><td>[distractorDim], empty without distractors</td>
 *       <td>-</td><td>-</td></tr>
 *   <tr><td>action</td><td>list&lt;float&gt;</td><td>a_t [m], the primitive action taken FROM o_t; zeros on the
 *       last row</td><td>action</td><td>action</td></tr>
 *   <tr><td>is_first</td><td>required boolean</td><td>t == 0</td><td>-</td><td>is_first</td></tr>
 *   <tr><td>is_last</td><td>required boolean</td><td>t == T</td><td>next.done (of row T-1)</td><td>is_last</td></tr>
 *   <tr><td>is_terminal</td><td>required boolean</td><td>the task ended the episode (only on the last row);
 *       is_last and not is_terminal = truncation</td><td>-</td><td>is_terminal</td></tr>
 * </table>
 *
 * <p>Lists use the standard 3-level LIST encoding ({@code required group x (LIST) { repeated group list
 * { required float element; } }}), which Spark reads as {@code array<float>}. Names have no dots, so Spark
 * columns need no back-quotes.
 */
public final class TrajectorySchema {
    public static final String FORMAT = "smwm-trajectory-table";
    public static final int FORMAT_VERSION = 1;

    public static final String EPISODE_INDEX = "episode_index";
    public static final String FRAME_INDEX = "frame_index";
    public static final String OBSERVATION_IMAGE = "observation_image";
    public static final String OBSERVATION_STATE = "observation_state";
    public static final String DISTRACTOR_STATE = "distractor_state";
    public static final String ACTION = "action";
    public static final String IS_FIRST = "is_first";
    public static final String IS_LAST = "is_last";
    public static final String IS_TERMINAL = "is_terminal";

    /** All columns, in file order. */
    public static final List<String> COLUMNS = List.of(EPISODE_INDEX, FRAME_INDEX, OBSERVATION_IMAGE,
            OBSERVATION_STATE, DISTRACTOR_STATE, ACTION, IS_FIRST, IS_LAST, IS_TERMINAL);
    /** The float list columns. */
    public static final List<String> FLOAT_LIST_COLUMNS = List.of(OBSERVATION_STATE, DISTRACTOR_STATE, ACTION);

    public static final String META_DIR = "meta";
    public static final String DATA_DIR = "data";
    public static final String INFO_JSON = "meta/info.json";
    public static final String STATS_JSON = "meta/stats.json";
    /** Image channels and their encoding as recorded in metadata. */
    public static final int CHANNELS = 3;
    public static final String IMAGE_ENCODING = "raw-uint8-hwc";
    /**
     * Names of finished data files: data/part-NNNNN.parquet as smwm writes them, and Spark's own part-file names
     * ({@code part-00000-<uuid>-c000.snappy.parquet}) for tables written by {@code df.write.parquet}; files are read
     * in name order.
     */
    public static final Pattern PART_FILE = Pattern.compile("part-(\\d{5})(-[0-9A-Za-z_.-]+)?\\.parquet");
    /** The repeated group and element names of the standard 3-level LIST. */
    public static final String LIST_GROUP = "list";
    public static final String LIST_ELEMENT = "element";

    /** The Parquet schema every data file has. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.INT64).named(EPISODE_INDEX)
            .required(PrimitiveTypeName.INT32).named(FRAME_INDEX)
            .required(PrimitiveTypeName.BINARY).named(OBSERVATION_IMAGE)
            .addField(floatList(OBSERVATION_STATE))
            .addField(floatList(DISTRACTOR_STATE))
            .addField(floatList(ACTION))
            .required(PrimitiveTypeName.BOOLEAN).named(IS_FIRST)
            .required(PrimitiveTypeName.BOOLEAN).named(IS_LAST)
            .required(PrimitiveTypeName.BOOLEAN).named(IS_TERMINAL)
            .named("smwm_trajectory");

    private TrajectorySchema() {}

    /** {@code required group name (LIST) { repeated group list { required float element; } }}. */
    public static Type floatList(String name) {
        return Types.requiredList().requiredElement(PrimitiveTypeName.FLOAT).named(name);
    }

    /** "part-00007.parquet" for part 7. */
    public static String partFileName(int part) {
        return String.format("part-%05d.parquet", part);
    }

    /**
     * Why a column in a file's schema is not what this format expects, or null if it is (a float list may be
     * written with an optional element or optional group, as Spark does; readers accept both).
     */
    public static String columnTypeProblem(Type expected, Type found) {
        if (expected.isPrimitive()) {
            if (!found.isPrimitive()) {
                return "expected " + expected.asPrimitiveType().getPrimitiveTypeName() + ", found a group";
            }
            PrimitiveTypeName e = expected.asPrimitiveType().getPrimitiveTypeName();
            PrimitiveTypeName f = found.asPrimitiveType().getPrimitiveTypeName();
            if (e != f) {
                return "expected " + e + ", found " + f;
            }
            return found.isRepetition(Type.Repetition.REPEATED) ? "expected a single value, found repeated" : null;
        }
        if (found.isPrimitive() || !(found.getLogicalTypeAnnotation() instanceof
                LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
            return "expected list<float> (3-level LIST), found " + found.toString().trim();
        }
        var g = found.asGroupType();
        if (g.getFieldCount() != 1 || !g.getType(0).isRepetition(Type.Repetition.REPEATED)
                || g.getType(0).isPrimitive() || g.getType(0).asGroupType().getFieldCount() != 1) {
            return "expected the 3-level LIST encoding, found " + found.toString().trim();
        }
        Type el = g.getType(0).asGroupType().getType(0);
        if (!el.isPrimitive() || el.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.FLOAT) {
            return "expected list<float>, found list of " + el.toString().trim();
        }
        return null;
    }
}
