package io.smwm.data.testing;

import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.FrameRow;
import io.smwm.data.table.TrajectorySchema;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** Small tables and tools to break them on purpose. */
public final class TestTables {
    public static final Configuration CONF = new Configuration();

    private TestTables() {}

    /** 4 episodes of 6 steps, 16x16, with a distractor, 2 episodes per file (2 files). */
    public static GenerationSpec smallSpec() {
        return new GenerationSpec("disc", DiscEnv.config(16, Map.of("distractor", "dot")), "random", 4, 6, 42L, 3, 2);
    }

    public static String makeValid(java.nio.file.Path dir) {
        String out = dir.resolve("table").toString();
        GenerationSpec spec = smallSpec();
        LocalGenerator.generate(spec, DiscEnv.source(spec.envConfig()), out, false);
        return out;
    }

    public static java.nio.file.Path part(String table, int i) {
        return java.nio.file.Path.of(table, TrajectorySchema.DATA_DIR, TrajectorySchema.partFileName(i));
    }

    /** Mutable copy of a row. */
    public static final class Row {
        public long episode;
        public int frame;
        public byte[] image;
        public float[] state, distractor, action;
        public boolean first, last, terminal;
    }

    public static List<Row> readRows(java.nio.file.Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        boolean[] all = new boolean[TrajectorySchema.COLUMNS.size()];
        Arrays.fill(all, true);
        try (ParquetReader<Group> r = FrameRow.openGroups(CONF, new Path(file.toUri()))) {
            for (Group g = r.read(); g != null; g = r.read()) {
                FrameRow f = FrameRow.decode(g, all);
                Row x = new Row();
                x.episode = f.episodeIndex();
                x.frame = f.frameIndex();
                x.image = f.image();
                x.state = f.state();
                x.distractor = f.distractor();
                x.action = f.action();
                x.first = f.first();
                x.last = f.last();
                x.terminal = f.terminal();
                rows.add(x);
            }
        }
        return rows;
    }

    /** The format's schema without column name. */
    public static MessageType without(String name) {
        List<Type> fields = new ArrayList<>(TrajectorySchema.SCHEMA.getFields());
        fields.removeIf(t -> t.getName().equals(name));
        return new MessageType("smwm_trajectory", fields);
    }

    /** The format's schema with column name replaced by type. */
    public static MessageType replacing(String name, Type type) {
        List<Type> fields = new ArrayList<>(TrajectorySchema.SCHEMA.getFields());
        fields.replaceAll(t -> t.getName().equals(name) ? type : t);
        return new MessageType("smwm_trajectory", fields);
    }

    /** list<double> in the 3-level encoding. */
    public static Type doubleList(String name) {
        return Types.requiredList().requiredElement(PrimitiveType.PrimitiveTypeName.DOUBLE).named(name);
    }

    /** Overwrites file with rows under schema (columns absent from schema are skipped; types follow schema). */
    public static void writeRows(java.nio.file.Path file, List<Row> rows, MessageType schema) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new Path(file.toUri())).withConf(CONF)
                .withType(schema).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (Row r : rows) {
                Group g = f.newGroup();
                put(g, schema, TrajectorySchema.EPISODE_INDEX, r.episode);
                put(g, schema, TrajectorySchema.FRAME_INDEX, r.frame);
                put(g, schema, TrajectorySchema.OBSERVATION_IMAGE, r.image);
                put(g, schema, TrajectorySchema.OBSERVATION_STATE, r.state);
                put(g, schema, TrajectorySchema.DISTRACTOR_STATE, r.distractor);
                put(g, schema, TrajectorySchema.ACTION, r.action);
                put(g, schema, TrajectorySchema.IS_FIRST, r.first);
                put(g, schema, TrajectorySchema.IS_LAST, r.last);
                put(g, schema, TrajectorySchema.IS_TERMINAL, r.terminal);
                w.write(g);
            }
        }
    }

    private static void put(Group g, MessageType schema, String name, Object value) {
        if (!schema.containsField(name)) {
            return;
        }
        Type t = schema.getType(name);
        if (!t.isPrimitive()) {
            float[] v = (float[]) value;
            Group list = g.addGroup(name);
            GroupType rep = t.asGroupType().getType(0).asGroupType();
            boolean dbl = rep.getType(0).asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.DOUBLE;
            for (float x : v) {
                Group el = list.addGroup(0);
                if (dbl) {
                    el.add(0, (double) x);
                } else {
                    el.add(0, x);
                }
            }
            return;
        }
        switch (t.asPrimitiveType().getPrimitiveTypeName()) {
            case INT64 -> g.add(name, ((Number) value).longValue());
            case INT32 -> g.add(name, ((Number) value).intValue());
            case BINARY -> g.add(name, Binary.fromConstantByteArray((byte[]) value));
            case BOOLEAN -> g.add(name, (Boolean) value);
            case FLOAT -> g.add(name, ((Number) value).floatValue());
            case DOUBLE -> g.add(name, ((Number) value).doubleValue());
            default -> throw new IllegalArgumentException("unsupported test type " + t);
        }
    }

    /** Deletes a directory tree (if it exists). */
    public static void deleteTree(java.nio.file.Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (java.nio.file.Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Rewrites part i of table with rows changed by edit (same schema). */
    public static void editPart(String table, int i, java.util.function.Consumer<List<Row>> edit) throws IOException {
        java.nio.file.Path p = part(table, i);
        List<Row> rows = readRows(p);
        edit.accept(rows);
        writeRows(p, rows, TrajectorySchema.SCHEMA);
    }
}
