package io.smwm.data.testing;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Small datasets in outside layouts, written the way those tools lay them out: HDF5 with jhdf, LeRobot Parquet with
 * parquet-hadoop. Frame t of episode e is a deterministic pattern; actions are (e + t/10, -t/10); states (t, e, 1).
 */
public final class ImportFixtures {
    private ImportFixtures() {}

    static byte pixel(int e, int t, int y, int x, int c) {
        return (byte) (e * 40 + t * 7 + y * 3 + x * 5 + c * 60);
    }

    /**
     * stable-worldmodel HDF5 at file: episodes of lens[e] frames, size x size, HWC; datasets pixels, action, ep_len,
     * ep_offset, terminated (the last episode terminal), state; names in omit are left out.
     */
    public static void lewm(Path file, int[] lens, int size, Set<String> omit) {
        int n = 0;
        for (int l : lens) {
            n += l;
        }
        byte[][][][] pixels = new byte[n][size][size][3];
        float[][] action = new float[n][2], state = new float[n][3];
        boolean[] terminated = new boolean[n];
        long[] offset = new long[lens.length];
        int[] len = lens.clone();
        int row = 0;
        for (int e = 0; e < lens.length; e++) {
            offset[e] = row;
            for (int t = 0; t < lens[e]; t++, row++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        for (int c = 0; c < 3; c++) {
                            pixels[row][y][x][c] = pixel(e, t, y, x, c);
                        }
                    }
                }
                action[row] = t == lens[e] - 1 ? new float[] {Float.NaN, Float.NaN} : new float[] {e + t / 10f, -t / 10f};
                state[row] = new float[] {t, e, 1};
            }
            terminated[row - 1] = e == lens.length - 1;
        }
        try (WritableHdfFile w = HdfFile.write(file)) {
            put(w, omit, "pixels", pixels);
            put(w, omit, "action", action);
            put(w, omit, "ep_len", len);
            put(w, omit, "ep_offset", offset);
            put(w, omit, "terminated", terminated);
            put(w, omit, "state", state);
        }
    }

    private static void put(WritableGroup g, Set<String> omit, String name, Object data) {
        if (!omit.contains(name)) {
            g.putDataset(name, data);
        }
    }

    /**
     * A Minari dataset directory dir/data/main_data.hdf5: episode_e with steps[e] actions, observations a group of
     * pixels [T+1, size, size, 3] and agent_pos [T+1, 2]; the first episode terminal; names in omit (e.g.
     * "truncations") left out of every episode.
     */
    public static void minari(Path dir, int[] steps, int size, Set<String> omit) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        try (WritableHdfFile w = HdfFile.write(dir.resolve("data/main_data.hdf5"))) {
            for (int e = 0; e < steps.length; e++) {
                int n = steps[e] + 1;
                WritableGroup g = w.putGroup("episode_" + e);
                byte[][][][] px = new byte[n][size][size][3];
                float[][] pos = new float[n][2];
                for (int t = 0; t < n; t++) {
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) {
                            for (int c = 0; c < 3; c++) {
                                px[t][y][x][c] = pixel(e, t, y, x, c);
                            }
                        }
                    }
                    pos[t] = new float[] {t, -e};
                }
                WritableGroup obs = g.putGroup("observations");
                obs.putDataset("pixels", px);
                obs.putDataset("agent_pos", pos);
                float[][] a = new float[steps[e]][];
                boolean[] term = new boolean[steps[e]], trunc = new boolean[steps[e]];
                for (int t = 0; t < steps[e]; t++) {
                    a[t] = new float[] {e + t / 10f, -t / 10f};
                }
                term[steps[e] - 1] = e == 0;
                trunc[steps[e] - 1] = e != 0;
                put(g, omit, "actions", a);
                put(g, omit, "terminations", term);
                put(g, omit, "truncations", trunc);
                put(g, omit, "rewards", new float[steps[e]]);
            }
        }
    }

    /**
     * A LeRobot v3.0 dataset at dir with one data file: episodes of lens[e] frames, size x size PNG images in
     * "observation.image" (declared with imageDtype: "image" or "video"), observation.state [3], action [2];
     * dropColumn (or null) is left out of the data file.
     */
    public static void lerobot(Path dir, int[] lens, int size, String imageDtype, String dropColumn) throws IOException {
        Files.createDirectories(dir.resolve("meta"));
        Files.createDirectories(dir.resolve("data/chunk-000"));
        int total = 0;
        for (int l : lens) {
            total += l;
        }
        Files.writeString(dir.resolve("meta/info.json"), "{\"codebase_version\": \"v3.0\", \"fps\": 10, "
                + "\"total_episodes\": " + lens.length + ", \"total_frames\": " + total + ", "
                + "\"data_path\": \"data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet\", \"features\": {"
                + "\"observation.image\": {\"dtype\": \"" + imageDtype + "\", \"shape\": [" + size + ", " + size
                + ", 3]}, \"observation.state\": {\"dtype\": \"float32\", \"shape\": [3]}, "
                + "\"action\": {\"dtype\": \"float32\", \"shape\": [2]}, "
                + "\"episode_index\": {\"dtype\": \"int64\", \"shape\": [1]}, "
                + "\"frame_index\": {\"dtype\": \"int64\", \"shape\": [1]}}}");
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.addField(Types.optionalGroup().optional(PrimitiveTypeName.BINARY).named("bytes")
                .optional(PrimitiveTypeName.BINARY).named("path").named("observation.image"));
        b.addField(Types.optionalList().optionalElement(PrimitiveTypeName.FLOAT).named("observation.state"));
        b.addField(Types.optionalList().optionalElement(PrimitiveTypeName.FLOAT).named("action"));
        b.optional(PrimitiveTypeName.FLOAT).named("timestamp");
        b.optional(PrimitiveTypeName.INT64).named("frame_index");
        b.optional(PrimitiveTypeName.INT64).named("episode_index");
        b.optional(PrimitiveTypeName.INT64).named("index");
        b.optional(PrimitiveTypeName.BOOLEAN).named("next.done");
        MessageType full = b.named("schema");
        MessageType schema = dropColumn == null ? full : new MessageType("schema",
                full.getFields().stream().filter(f -> !f.getName().equals(dropColumn)).toList());
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(
                dir.resolve("data/chunk-000/file-000.parquet").toUri())).withConf(new Configuration())
                .withType(schema).build()) {
            long index = 0;
            for (int e = 0; e < lens.length; e++) {
                for (int t = 0; t < lens[e]; t++) {
                    Group g = f.newGroup();
                    if (schema.containsField("observation.image")) {
                        g.addGroup("observation.image").append("bytes", Binary.fromConstantByteArray(png(e, t, size)));
                    }
                    if (schema.containsField("observation.state")) {
                        Group l = g.addGroup("observation.state");
                        for (float v : new float[] {t, e, 1}) {
                            l.addGroup(0).add(0, v);
                        }
                    }
                    if (schema.containsField("action")) {
                        Group l = g.addGroup("action");
                        for (float v : new float[] {e + t / 10f, -t / 10f}) {
                            l.addGroup(0).add(0, v);
                        }
                    }
                    g.append("timestamp", t / 10f).append("frame_index", (long) t).append("episode_index", (long) e)
                            .append("index", index++).append("next.done", t == lens[e] - 1);
                    w.write(g);
                }
            }
        }
    }

    /** Frame t of episode e as PNG bytes. */
    public static byte[] png(int e, int t, int size) throws IOException {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, (pixel(e, t, y, x, 0) & 0xff) << 16 | (pixel(e, t, y, x, 1) & 0xff) << 8
                        | (pixel(e, t, y, x, 2) & 0xff));
            }
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bos);
        return bos.toByteArray();
    }
}
