package io.smwm.data.convert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.data.generate.TableCommitter;
import io.smwm.data.table.Episode;
import io.smwm.data.table.Json;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import io.smwm.data.table.TrajectoryReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes a trajectory table as a LeRobot v3.0 dataset ({@link LeRobotFormat}): frames as lossless PNG in an image
 * feature {@code observation.image}, {@code observation.state}, {@code observation.distractor_state} (when the table
 * has one), {@code action} (the table's, zeros on an episode's last frame), {@code next.done} = is_terminal, one
 * data file per table part file. info.json keeps the table's env, action bounds, state names and frameskip under
 * "smwm", so importing the export gives back the same fingerprint and metadata. Written to a hidden sibling and
 * renamed into place, like tables.
 */
public final class LeRobotExporter {
    private LeRobotExporter() {}

    /**
     * Exports the table at tablePath to a new dataset at out.
     *
     * @param fps frames per second recorded in info.json and timestamps (timestamp = frame_index / fps)
     * @return frames written
     */
    public static long export(Configuration conf, String tablePath, String out, int fps, boolean overwrite)
            throws IOException {
        if (fps < 1) {
            throw new IllegalArgumentException("--fps must be >= 1, got " + fps);
        }
        TableCommitter.checkOutput(conf, out, overwrite);
        String staging = TableCommitter.stagingDirFor(out);
        FileSystem fs = new Path(staging).getFileSystem(conf);
        boolean done = false;
        try (TrajectoryReader r = TrajectoryReader.open(conf, tablePath)) {
            TableMetadata md = r.metadata();
            boolean distractor = md.distractorState().dim() > 0;
            MessageType schema = LeRobotFormat.frameSchema(distractor);
            SimpleGroupFactory groups = new SimpleGroupFactory(schema);
            List<long[]> episodes = new ArrayList<>(); // episode, length, file, from
            long index = 0;
            for (int f = 0; f < r.fileCount(); f++) {
                Path file = new Path(staging, LeRobotFormat.dataFile(f));
                try (ParquetWriter<Group> w = writer(conf, file, schema)) {
                    for (Iterator<Episode> it = r.episodes(f); it.hasNext(); ) {
                        Episode e = it.next();
                        episodes.add(new long[] {e.episodeIndex(), e.frameCount(), f, index});
                        for (int t = 0; t < e.frameCount(); t++) {
                            w.write(row(groups, e, t, index++, fps, distractor));
                        }
                    }
                }
            }
            writeEpisodes(conf, new Path(staging, "meta/episodes/chunk-000/file-000.parquet"), episodes);
            writeTasks(conf, new Path(staging, "meta/tasks.parquet"), "smwm:" + md.env().id());
            Json.writeFile(conf, new Path(staging, "meta/info.json"), Json.write(info(md, fps, r.fileCount())));
            Json.writeFile(conf, new Path(staging, "meta/stats.json"), Json.write(stats(r.stats())));
            TableCommitter.moveIntoPlace(conf, fs, new Path(staging), new Path(out), overwrite);
            done = true;
            return index;
        } finally {
            if (!done) {
                try {
                    fs.delete(new Path(staging), true);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static ParquetWriter<Group> writer(Configuration conf, Path file, MessageType schema) throws IOException {
        return ExampleParquetWriter.builder(file).withConf(conf).withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build();
    }

    private static Group row(SimpleGroupFactory groups, Episode e, int t, long index, int fps, boolean distractor) {
        Group g = groups.newGroup();
        Group img = g.addGroup(LeRobotFormat.IMAGE);
        img.add("bytes", Binary.fromConstantByteArray(Images.png(e.frames()[t], e.imageHeight(), e.imageWidth())));
        LeRobotFormat.putFloats(g, LeRobotFormat.STATE, e.states()[t]);
        if (distractor) {
            LeRobotFormat.putFloats(g, LeRobotFormat.DISTRACTOR, e.distractorStates()[t]);
        }
        LeRobotFormat.putFloats(g, LeRobotFormat.ACTION, e.actions()[t]);
        g.add("timestamp", (float) t / fps);
        g.add(LeRobotFormat.FRAME_INDEX, (long) t);
        g.add(LeRobotFormat.EPISODE_INDEX, e.episodeIndex());
        g.add("index", index);
        g.add("task_index", 0L);
        g.add(LeRobotFormat.DONE, e.isTerminal(t));
        return g;
    }

    private static void writeEpisodes(Configuration conf, Path file, List<long[]> episodes) throws IOException {
        MessageType s = Types.buildMessage()
                .required(PrimitiveTypeName.INT64).named("episode_index")
                .required(PrimitiveTypeName.INT64).named("length")
                .required(PrimitiveTypeName.INT64).named("data/chunk_index")
                .required(PrimitiveTypeName.INT64).named("data/file_index")
                .required(PrimitiveTypeName.INT64).named("dataset_from_index")
                .required(PrimitiveTypeName.INT64).named("dataset_to_index")
                .named("lerobot_episodes");
        SimpleGroupFactory f = new SimpleGroupFactory(s);
        try (ParquetWriter<Group> w = writer(conf, file, s)) {
            for (long[] e : episodes) {
                w.write(f.newGroup().append("episode_index", e[0]).append("length", e[1])
                        .append("data/chunk_index", e[2] / LeRobotFormat.CHUNK_SIZE)
                        .append("data/file_index", e[2] % LeRobotFormat.CHUNK_SIZE)
                        .append("dataset_from_index", e[3]).append("dataset_to_index", e[3] + e[1]));
            }
        }
    }

    private static void writeTasks(Configuration conf, Path file, String task) throws IOException {
        MessageType s = Types.buildMessage()
                .required(PrimitiveTypeName.INT64).named("task_index")
                .required(PrimitiveTypeName.BINARY).as(org.apache.parquet.schema.LogicalTypeAnnotation.stringType())
                .named("task")
                .named("lerobot_tasks");
        try (ParquetWriter<Group> w = writer(conf, file, s)) {
            w.write(new SimpleGroupFactory(s).newGroup().append("task_index", 0L).append("task", task));
        }
    }

    private static ObjectNode info(TableMetadata md, int fps, int files) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("codebase_version", LeRobotFormat.CODEBASE_VERSION);
        n.putNull("robot_type");
        n.put("total_episodes", md.episodes());
        n.put("total_frames", md.frames());
        n.put("total_tasks", 1);
        n.put("chunks_size", LeRobotFormat.CHUNK_SIZE);
        n.put("fps", fps);
        n.putObject("splits").put("train", "0:" + md.episodes());
        n.put("data_path", LeRobotFormat.DATA_PATH);
        n.putNull("video_path");
        ObjectNode f = n.putObject("features");
        ObjectNode img = f.putObject(LeRobotFormat.IMAGE);
        img.put("dtype", "image");
        img.putArray("shape").add(md.image().height()).add(md.image().width()).add(3);
        img.putArray("names").add("height").add("width").add("channel");
        vector(f, LeRobotFormat.STATE, md.state().dim(), md.state().names());
        if (md.distractorState().dim() > 0) {
            vector(f, LeRobotFormat.DISTRACTOR, md.distractorState().dim(), null);
        }
        vector(f, LeRobotFormat.ACTION, md.action().dim(), null);
        scalar(f, "timestamp", "float32");
        for (String k : List.of("frame_index", "episode_index", "index", "task_index")) {
            scalar(f, k, "int64");
        }
        scalar(f, LeRobotFormat.DONE, "bool");
        ObjectNode s = n.putObject(LeRobotFormat.SMWM_KEY);
        s.set("env", Json.MAPPER.valueToTree(md.env()));
        s.put("frameskip", md.frameskip());
        s.put("steps_per_episode", md.stepsPerEpisode());
        s.put("fingerprint", md.fingerprint());
        md.state().names().forEach(s.putArray("state_names")::add);
        ArrayNode lo = s.putArray("action_low"), hi = s.putArray("action_high");
        for (int i = 0; i < md.action().dim(); i++) {
            lo.add(md.action().low()[i]);
            hi.add(md.action().high()[i]);
        }
        return n;
    }

    private static void vector(ObjectNode f, String name, int dim, List<String> names) {
        ObjectNode v = f.putObject(name);
        v.put("dtype", "float32");
        v.putArray("shape").add(dim);
        if (names != null) {
            names.forEach(v.putArray("names")::add);
        } else {
            v.putNull("names");
        }
    }

    private static void scalar(ObjectNode f, String name, String dtype) {
        ObjectNode v = f.putObject(name);
        v.put("dtype", dtype);
        v.putArray("shape").add(1);
        v.putNull("names");
    }

    private static ObjectNode stats(TableStats s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set(LeRobotFormat.ACTION, Json.MAPPER.valueToTree(s.action()));
        n.set(LeRobotFormat.STATE, Json.MAPPER.valueToTree(s.observationState()));
        return n;
    }

    /** Unchecked wrapper for callers without checked exceptions. */
    public static long exportUnchecked(Configuration conf, String tablePath, String out, int fps, boolean overwrite) {
        try {
            return export(conf, tablePath, out, fps, overwrite);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export " + tablePath + " to " + out + ": " + e.getMessage(), e);
        }
    }
}
