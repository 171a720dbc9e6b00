package io.smwm.data.table;

import java.io.IOException;
import java.util.HashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes whole episodes to one Parquet data file in the {@link TrajectorySchema} layout (snappy, no dictionary for
 * the image column). Overwrites the file if it exists; callers make the final name appear atomically (write to a
 * temporary name, then rename). Episodes must be written in ascending episode_index. Not thread-safe.
 */
public final class TrajectoryWriter implements AutoCloseable {
    /** Row groups of 64 MiB: big enough for sequential scans, small enough for a Spark task's memory. */
    public static final long ROW_GROUP_BYTES = 64L << 20;

    private final ParquetWriter<Row> writer;
    private final Row row = new Row();
    private long episodes;
    private long frames;
    private long lastEpisode = -1;

    private TrajectoryWriter(ParquetWriter<Row> writer) {
        this.writer = writer;
    }

    /** Opens file for writing (any Hadoop FileSystem path), replacing it if it exists. */
    public static TrajectoryWriter create(Configuration conf, Path file) throws IOException {
        ParquetWriter<Row> w = new Builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withDictionaryEncoding(true)
                .withDictionaryEncoding(TrajectorySchema.OBSERVATION_IMAGE, false)
                .build();
        return new TrajectoryWriter(w);
    }

    /** Appends every row of e. */
    public void write(Episode e) throws IOException {
        if (e.episodeIndex() <= lastEpisode) {
            throw new IllegalArgumentException("episodes must be written in ascending episode_index: "
                    + e.episodeIndex() + " after " + lastEpisode);
        }
        lastEpisode = e.episodeIndex();
        row.episode = e;
        for (int t = 0; t < e.frameCount(); t++) {
            row.t = t;
            writer.write(row);
        }
        episodes++;
        frames += e.frameCount();
    }

    public long episodes() { return episodes; }

    public long frames() { return frames; }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    /** A cursor on row t of an episode (the writer consumes it immediately). */
    static final class Row {
        Episode episode;
        int t;
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        Builder(HadoopOutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() { return this; }

        @Override
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return new RowWriteSupport();
        }
    }

    private static final class RowWriteSupport extends WriteSupport<Row> {
        private RecordConsumer rc;

        @Override
        public WriteContext init(Configuration configuration) {
            HashMap<String, String> extra = new HashMap<>();
            extra.put("smwm.format", TrajectorySchema.FORMAT);
            extra.put("smwm.format_version", Integer.toString(TrajectorySchema.FORMAT_VERSION));
            return new WriteContext(TrajectorySchema.SCHEMA, extra);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.rc = recordConsumer;
        }

        @Override
        public void write(Row r) {
            Episode e = r.episode;
            int t = r.t;
            rc.startMessage();
            field(0, TrajectorySchema.EPISODE_INDEX);
            rc.addLong(e.episodeIndex());
            endField(0, TrajectorySchema.EPISODE_INDEX);
            field(1, TrajectorySchema.FRAME_INDEX);
            rc.addInteger(t);
            endField(1, TrajectorySchema.FRAME_INDEX);
            field(2, TrajectorySchema.OBSERVATION_IMAGE);
            rc.addBinary(Binary.fromReusedByteArray(e.frames()[t]));
            endField(2, TrajectorySchema.OBSERVATION_IMAGE);
            floats(3, TrajectorySchema.OBSERVATION_STATE, e.states()[t]);
            floats(4, TrajectorySchema.DISTRACTOR_STATE, e.distractorStates()[t]);
            floats(5, TrajectorySchema.ACTION, e.actions()[t]);
            bool(6, TrajectorySchema.IS_FIRST, t == 0);
            bool(7, TrajectorySchema.IS_LAST, e.isLast(t));
            bool(8, TrajectorySchema.IS_TERMINAL, e.isTerminal(t));
            rc.endMessage();
        }

        private void field(int i, String name) { rc.startField(name, i); }

        private void endField(int i, String name) { rc.endField(name, i); }

        private void bool(int i, String name, boolean v) {
            field(i, name);
            rc.addBoolean(v);
            endField(i, name);
        }

        /** 3-level LIST: the list group is always present; an empty list has no "list" field. */
        private void floats(int i, String name, float[] v) {
            field(i, name);
            rc.startGroup();
            if (v.length > 0) {
                rc.startField(TrajectorySchema.LIST_GROUP, 0);
                for (float f : v) {
                    rc.startGroup();
                    rc.startField(TrajectorySchema.LIST_ELEMENT, 0);
                    rc.addFloat(f);
                    rc.endField(TrajectorySchema.LIST_ELEMENT, 0);
                    rc.endGroup();
                }
                rc.endField(TrajectorySchema.LIST_GROUP, 0);
            }
            rc.endGroup();
            endField(i, name);
        }
    }
}
