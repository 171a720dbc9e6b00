package io.smwm.data.convert;

import com.fasterxml.jackson.databind.JsonNode;
import io.smwm.core.util.UserError;
import io.smwm.data.table.Episode;
import io.smwm.data.table.FrameRow;
import io.smwm.data.table.Json;
import io.smwm.data.table.TableDescription;
import io.smwm.data.table.TableMetadata;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.schema.MessageType;

/**
 * LeRobot datasets (v3.0; v2.x data files read the same way) whose image feature is stored in Parquet
 * ({@code dtype "image"}): see {@link LeRobotFormat}. Rows are read in data-file order and grouped by
 * episode_index (renumbered 0, 1, ... in order of appearance); LeRobot's action of an episode's last frame is dropped
 * (the table's last action is zeros) and {@code next.done} on the last frame marks a terminal episode. A dataset
 * exported by SMWM keeps its env, action bounds, state names and frameskip (info.json's "smwm" entry).
 */
final class LeRobotImporter implements TableImporter {
    static final String ID = "lerobot";

    @Override
    public String id() { return ID; }

    @Override
    public String describe() {
        return "LeRobot v3 dataset directory (meta/info.json, data/chunk-*/file-*.parquet) with images in Parquet";
    }

    @Override
    public Source open(Configuration conf, String src, ImportOptions o) throws IOException {
        Path root = new Path(src);
        FileSystem fs = root.getFileSystem(conf);
        Path info = new Path(root, "meta/info.json");
        if (!fs.exists(info)) {
            throw new UserError(ID + " source " + src + " has no meta/info.json (expected a LeRobot dataset directory)");
        }
        JsonNode in = Json.tree(Json.readFile(conf, info));
        String version = in.path("codebase_version").asText("");
        if (!version.startsWith("v3") && !version.startsWith("v2")) {
            throw new UserError(ID + " source " + src + ": codebase_version '" + version + "' is not supported "
                    + "(reads v3.x and v2.x)");
        }
        JsonNode features = in.path("features");
        List<String> images = new ArrayList<>();
        features.fields().forEachRemaining(f -> {
            String dt = f.getValue().path("dtype").asText();
            if (dt.equals("image") || dt.equals("video")) {
                images.add(f.getKey());
            }
        });
        String imageKey = o.imageKey();
        if (imageKey == null) {
            if (images.size() != 1) {
                throw new UserError(ID + " source " + src + " has " + (images.isEmpty() ? "no" : images.size())
                        + " image features " + images + " in meta/info.json; "
                        + (images.isEmpty() ? "SMWM needs one" : "choose one with --image-key"));
            }
            imageKey = images.get(0);
        }
        String dtype = features.path(imageKey).path("dtype").asText("");
        if (dtype.equals("video")) {
            throw new UserError(ID + " source " + src + ": feature '" + imageKey + "' is video-encoded (dtype video, "
                    + "frames in MP4 files); SMWM imports images stored in Parquet (dtype image) only: convert the "
                    + "dataset to image features first");
        }
        if (!features.has(imageKey)) {
            throw new UserError(ID + " source " + src + " has no feature '" + imageKey + "' in meta/info.json (found "
                    + iterable(features.fieldNames()) + ")");
        }
        if (!features.has(LeRobotFormat.ACTION)) {
            throw new UserError(ID + " source " + src + " has no feature 'action' in meta/info.json");
        }
        List<String> stateKeys = o.stateKeys() != null ? o.stateKeys()
                : features.has(LeRobotFormat.STATE) ? List.of(LeRobotFormat.STATE) : List.of();
        List<Path> files = dataFiles(fs, root, src);
        List<String> required = new ArrayList<>(List.of(imageKey, LeRobotFormat.ACTION, LeRobotFormat.EPISODE_INDEX,
                LeRobotFormat.FRAME_INDEX));
        required.addAll(stateKeys);
        for (Path f : files) { // every file's columns before writing anything
            MessageType schema = FrameRow.fileSchema(conf, f);
            for (String c : required) {
                if (!schema.containsField(c)) {
                    throw new UserError(ID + " source: " + f + " has no column '" + c + "' (columns: "
                            + LeRobotFormat.columns(schema) + ")");
                }
            }
        }
        JsonNode smwm = in.path(LeRobotFormat.SMWM_KEY);
        TableDescription desc = description(smwm, o, root.getName());
        return new LeRobotSource(conf, desc, files, imageKey, stateKeys, in.path("total_episodes").asLong(-1));
    }

    private static TableDescription description(JsonNode smwm, ImportOptions o, String name) {
        if (smwm.isObject() && o.envId() == null) {
            TableMetadata.Env env = Json.MAPPER.convertValue(smwm.get("env"), TableMetadata.Env.class);
            List<String> names = new ArrayList<>();
            smwm.path("state_names").forEach(n -> names.add(n.asText()));
            float[] low = floats(smwm.path("action_low")), high = floats(smwm.path("action_high"));
            return new TableDescription(env, smwm.path("frameskip").asInt(o.frameskip()), names,
                    low.length == 0 ? null : low, high.length == 0 ? null : high, null);
        }
        return TableDescription.of(o.envId() != null ? o.envId() : ID + ":" + name, "default", o.frameskip());
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.isArray() ? a.size() : 0];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static List<Path> dataFiles(FileSystem fs, Path root, String src) throws IOException {
        Path data = new Path(root, "data");
        if (!fs.exists(data)) {
            throw new UserError(ID + " source " + src + " has no data/ directory");
        }
        List<Path> files = new ArrayList<>();
        for (RemoteIterator<LocatedFileStatus> it = fs.listFiles(data, true); it.hasNext(); ) {
            Path p = it.next().getPath();
            if (p.getName().endsWith(".parquet") && !p.getName().startsWith(".")) {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            throw new UserError(ID + " source " + src + " has no Parquet files under data/");
        }
        files.sort(null);
        return files;
    }

    /** Streams rows file by file and groups them into episodes. */
    private static final class LeRobotSource implements Source, Iterator<Episode> {
        private final Configuration conf;
        private final TableDescription description;
        private final List<Path> files;
        private final String imageKey;
        private final List<String> stateKeys;
        private final long total;
        private int nextFile;
        private ParquetReader<Group> reader;
        private Group pending;
        private long index;

        LeRobotSource(Configuration conf, TableDescription description, List<Path> files, String imageKey,
                      List<String> stateKeys, long total) {
            this.conf = conf;
            this.description = description;
            this.files = files;
            this.imageKey = imageKey;
            this.stateKeys = stateKeys;
            this.total = total;
        }

        @Override
        public TableDescription description() { return description; }

        @Override
        public long episodes() { return total; }

        @Override
        public Iterator<Episode> iterator() { return this; }

        private Group read() {
            try {
                while (true) {
                    if (reader == null) {
                        if (nextFile >= files.size()) {
                            return null;
                        }
                        reader = FrameRow.openGroups(conf, files.get(nextFile++));
                    }
                    Group g = reader.read();
                    if (g != null) {
                        return g;
                    }
                    reader.close();
                    reader = null;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + files.get(nextFile - 1) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public boolean hasNext() {
            if (pending == null) {
                pending = read();
            }
            return pending != null;
        }

        @Override
        public Episode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            long ep = pending.getLong(LeRobotFormat.EPISODE_INDEX, 0);
            List<byte[]> frames = new ArrayList<>();
            List<float[]> actions = new ArrayList<>(), states = new ArrayList<>(), distractors = new ArrayList<>();
            int h = -1, w = -1;
            boolean done = false;
            while (pending != null && pending.getLong(LeRobotFormat.EPISODE_INDEX, 0) == ep) {
                Group g = pending;
                long fi = g.getLong(LeRobotFormat.FRAME_INDEX, 0);
                if (fi != frames.size()) {
                    throw new UserError(ID + " episode " + ep + ": frame_index " + fi + " where " + frames.size()
                            + " was expected (rows must be in frame order)");
                }
                BufferedImage img = Images.decode(imageBytes(g, ep, fi), ID + " episode " + ep + " frame " + fi
                        + " '" + imageKey + "'");
                if (h < 0) {
                    h = img.getHeight();
                    w = img.getWidth();
                }
                frames.add(Images.toHwc(img));
                actions.add(LeRobotFormat.floats(g, LeRobotFormat.ACTION));
                float[] s = new float[0];
                for (String k : stateKeys) {
                    float[] part = LeRobotFormat.floats(g, k);
                    float[] c = java.util.Arrays.copyOf(s, s.length + part.length);
                    System.arraycopy(part, 0, c, s.length, part.length);
                    s = c;
                }
                states.add(s);
                float[] d = LeRobotFormat.floats(g, LeRobotFormat.DISTRACTOR);
                distractors.add(d == null ? new float[0] : d);
                done = g.getType().containsField(LeRobotFormat.DONE) && g.getFieldRepetitionCount(LeRobotFormat.DONE) > 0
                        && g.getBoolean(LeRobotFormat.DONE, 0);
                pending = read();
            }
            int n = frames.size();
            float[][] a = actions.toArray(new float[0][]);
            Episode e = Episodes.of(index, h, w, frames.toArray(new byte[0][]), a, a[0].length,
                    states.toArray(new float[0][]), done, ID);
            index++;
            return new Episode(e.episodeIndex(), w, h, e.frames(), e.states(), distractors.toArray(new float[n][]),
                    e.actions(), e.terminal());
        }

        private byte[] imageBytes(Group g, long ep, long fi) {
            var t = g.getType().getType(imageKey);
            if (t.isPrimitive()) {
                return g.getBinary(imageKey, 0).getBytes();
            }
            Group img = g.getGroup(imageKey, 0);
            if (!img.getType().containsField("bytes") || img.getFieldRepetitionCount("bytes") == 0) {
                throw new UserError(ID + " episode " + ep + " frame " + fi + ": '" + imageKey + "' has no bytes "
                        + "(images referenced by path are not supported)");
            }
            return img.getBinary("bytes", 0).getBytes();
        }

        @Override
        public void close() throws IOException {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }

}
