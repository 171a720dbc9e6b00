package io.smwm.data.table;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * meta/info.json: what a trajectory table holds and where it came from. JSON keys are stable snake_case.
 *
 * @param format          always {@value TrajectorySchema#FORMAT}
 * @param formatVersion   {@link TrajectorySchema#FORMAT_VERSION} of the writer
 * @param env             the environment the episodes were recorded in
 * @param image           frame shape: H x W x 3, raw uint8 HWC
 * @param action          m and the action bounds
 * @param state           observation_state dimension and component names
 * @param distractorState distractor_state dimension (0 without distractors)
 * @param frameskip       k, the number of primitive actions per model step (a_t..a_{t+k-1} pairs o_t with o_{t+k})
 * @param episodes        number of episodes
 * @param frames          number of rows over all files
 * @param stepsPerEpisode T: actions per episode unless it terminated early (then fewer); 0 when the lengths of
 *                        truncated episodes vary (imported data)
 * @param generator       provenance (null for imported tables)
 * @param fingerprint     {@link Fingerprint} of the content; created_at is not part of it
 * @param files           data files in episode order
 */
public record TableMetadata(
        @JsonProperty("format") String format,
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("env") Env env,
        @JsonProperty("image") Image image,
        @JsonProperty("action") Action action,
        @JsonProperty("state") State state,
        @JsonProperty("distractor_state") DistractorState distractorState,
        @JsonProperty("frameskip") int frameskip,
        @JsonProperty("episodes") long episodes,
        @JsonProperty("frames") long frames,
        @JsonProperty("steps_per_episode") int stepsPerEpisode,
        @JsonProperty("generator") Generator generator,
        @JsonProperty("fingerprint") String fingerprint,
        @JsonProperty("files") List<FileEntry> files) {

    public record Env(@JsonProperty("id") String id, @JsonProperty("variant") String variant,
                      @JsonProperty("params") Map<String, String> params,
                      @JsonProperty("distractors") List<String> distractors) {}

    public record Image(@JsonProperty("height") int height, @JsonProperty("width") int width,
                        @JsonProperty("channels") int channels, @JsonProperty("encoding") String encoding) {
        /** H*W*C, the byte length of every observation_image. */
        public int bytes() { return height * width * channels; }
    }

    public record Action(@JsonProperty("dim") int dim, @JsonProperty("low") float[] low,
                         @JsonProperty("high") float[] high) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Action a && a.dim == dim && java.util.Arrays.equals(a.low, low)
                    && java.util.Arrays.equals(a.high, high);
        }

        @Override
        public int hashCode() { return 31 * dim + java.util.Arrays.hashCode(low) * 7 + java.util.Arrays.hashCode(high); }

        @Override
        public String toString() {
            return "Action[dim=" + dim + ", low=" + java.util.Arrays.toString(low) + ", high="
                    + java.util.Arrays.toString(high) + "]";
        }
    }

    public record State(@JsonProperty("dim") int dim, @JsonProperty("names") List<String> names) {}

    public record DistractorState(@JsonProperty("dim") int dim) {}

    /**
     * @param seed            root seed of generation
     * @param policy          behaviour policy name
     * @param episodesPerFile how episodes were grouped into files (does not change content or fingerprint)
     * @param toolVersion     smwm version that wrote the table
     * @param createdAt       ISO-8601 instant (not part of the fingerprint)
     */
    public record Generator(@JsonProperty("seed") long seed, @JsonProperty("policy") String policy,
                            @JsonProperty("episodes_per_file") int episodesPerFile,
                            @JsonProperty("tool_version") String toolVersion,
                            @JsonProperty("created_at") String createdAt) {}

    /** One data file: path relative to the table root ("data/part-00000.parquet"), inclusive episode range. */
    public record FileEntry(@JsonProperty("path") String path, @JsonProperty("first_episode") long firstEpisode,
                            @JsonProperty("last_episode") long lastEpisode, @JsonProperty("episodes") long episodes,
                            @JsonProperty("frames") long frames) {}

    public TableMetadata {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** The version of smwm-data on the classpath ("dev" when run from classes). */
    public static String toolVersion() {
        String v = TableMetadata.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * Problems with the metadata on its own (missing sections, impossible values, a files list that does not add
     * up); empty if none.
     */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (!TrajectorySchema.FORMAT.equals(format)) {
            p.add("format must be '" + TrajectorySchema.FORMAT + "', got '" + format + "'");
        }
        if (formatVersion < 1 || formatVersion > TrajectorySchema.FORMAT_VERSION) {
            p.add("format_version must be in [1, " + TrajectorySchema.FORMAT_VERSION + "] (this reader), got "
                    + formatVersion + (formatVersion > TrajectorySchema.FORMAT_VERSION ? "; upgrade smwm" : ""));
        }
        if (env == null || env.id() == null) {
            p.add("env.id is missing");
        }
        if (image == null) {
            p.add("image is missing");
        } else if (image.height() <= 0 || image.width() <= 0 || image.channels() != TrajectorySchema.CHANNELS
                || !TrajectorySchema.IMAGE_ENCODING.equals(image.encoding())) {
            p.add("image must have positive height/width, channels 3 and encoding '"
                    + TrajectorySchema.IMAGE_ENCODING + "', got " + image);
        }
        if (action == null) {
            p.add("action is missing");
        } else if (action.dim() < 1 || action.low() == null || action.high() == null
                || action.low().length != action.dim() || action.high().length != action.dim()) {
            p.add("action.dim must be >= 1 with low/high of that length, got dim " + action.dim());
        }
        if (state == null) {
            p.add("state is missing");
        } else if (state.dim() < 0 || (state.names() != null && state.names().size() != state.dim())) {
            p.add("state.names must have state.dim=" + state.dim() + " entries, got " + state.names());
        }
        if (distractorState == null || distractorState.dim() < 0) {
            p.add("distractor_state.dim is missing or negative");
        }
        if (frameskip < 1) {
            p.add("frameskip must be >= 1, got " + frameskip);
        }
        long fe = 0, ff = 0;
        for (FileEntry f : files) {
            fe += f.episodes();
            ff += f.frames();
        }
        if (fe != episodes || ff != frames) {
            p.add("files list adds up to " + fe + " episodes / " + ff + " frames but episodes=" + episodes
                    + ", frames=" + frames);
        }
        if (fingerprint == null || !fingerprint.startsWith(Fingerprint.PREFIX)) {
            p.add("fingerprint must start with '" + Fingerprint.PREFIX + "', got " + fingerprint);
        }
        return p;
    }

    public String toJson() {
        return Json.write(this);
    }

    public static TableMetadata fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, TableMetadata.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid info.json: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes TABLE/meta/info.json. */
    public void write(Configuration conf, String tableDir) {
        Json.writeFile(conf, new Path(tableDir, TrajectorySchema.INFO_JSON), toJson());
    }

    /** Reads TABLE/meta/info.json (no checks: see {@link #problems()}). */
    public static TableMetadata read(Configuration conf, String tableDir) throws IOException {
        return fromJson(Json.readFile(conf, new Path(tableDir, TrajectorySchema.INFO_JSON)));
    }
}
