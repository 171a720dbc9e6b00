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
        /** H*W*C, the byte length of every observation_image (in longs: metadata may claim anything). */
        public long bytes() { return (long) height * width * channels; }
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

    /** Limits on what metadata may claim: image side, action/state dimensions, steps, episodes. */
    public static final int MAX_IMAGE_SIDE = 4096, MAX_DIM = 1 << 16, MAX_STEPS = 1 << 24,
            MAX_EPISODES = Integer.MAX_VALUE;
    /** info.json larger than this is refused before parsing (a 100,000-file table lists about 15 MB). */
    public static final long MAX_JSON_BYTES = 64L << 20;

    public TableMetadata {
        files = files == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(files));
    }

    /** The project version that writes tables (recorded as {@code tool_version}). */
    public static String toolVersion() {
        return io.smwm.core.util.Version.current();
    }

    /**
     * Problems with the metadata on its own (missing sections, impossible or out-of-limit values, a files list that
     * does not add up or names a file outside {@code data/}); empty if none. Metadata without problems has sizes that
     * fit every int computed from them (image bytes, dimensions, episode indices) and episode ranges 0..episodes-1
     * dealt to the files in order.
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
        } else if (image.height() <= 0 || image.width() <= 0 || image.height() > MAX_IMAGE_SIDE
                || image.width() > MAX_IMAGE_SIDE || image.channels() != TrajectorySchema.CHANNELS
                || !TrajectorySchema.IMAGE_ENCODING.equals(image.encoding())) {
            p.add("image must have height and width in [1, " + MAX_IMAGE_SIDE + "], channels 3 and encoding '"
                    + TrajectorySchema.IMAGE_ENCODING + "', got " + image);
        }
        if (action == null) {
            p.add("action is missing");
        } else if (action.dim() < 1 || action.dim() > MAX_DIM || action.low() == null || action.high() == null
                || action.low().length != action.dim() || action.high().length != action.dim()) {
            p.add("action.dim must be in [1, " + MAX_DIM + "] with low/high of that length, got dim " + action.dim());
        } else {
            for (int i = 0; i < action.dim(); i++) {
                if (!Float.isFinite(action.low()[i]) || !Float.isFinite(action.high()[i])
                        || action.low()[i] > action.high()[i]) {
                    p.add("action bounds must be finite with low <= high, got dim " + i + ": [" + action.low()[i]
                            + ", " + action.high()[i] + "]");
                    break;
                }
            }
        }
        if (state == null) {
            p.add("state is missing");
        } else if (state.dim() < 0 || state.dim() > MAX_DIM
                || (state.names() != null && state.names().size() != state.dim())) {
            p.add("state.dim must be in [0, " + MAX_DIM + "] and state.names must have state.dim=" + state.dim()
                    + " entries, got " + state.names());
        }
        if (distractorState == null || distractorState.dim() < 0 || distractorState.dim() > MAX_DIM) {
            p.add("distractor_state.dim must be in [0, " + MAX_DIM + "], got "
                    + (distractorState == null ? "nothing" : distractorState.dim()));
        }
        if (stepsPerEpisode < 0 || stepsPerEpisode > MAX_STEPS) { // 0: imported episodes of varying length
            p.add("steps_per_episode must be in [0, " + MAX_STEPS + "] (0 when episode lengths vary), got "
                    + stepsPerEpisode);
        }
        int longest = stepsPerEpisode == 0 ? MAX_STEPS : Math.max(1, Math.min(stepsPerEpisode, MAX_STEPS));
        if (frameskip < 1 || frameskip > longest) {
            p.add("frameskip must be in [1, steps_per_episode=" + stepsPerEpisode + "], got " + frameskip);
        }
        if (episodes < 0 || episodes > MAX_EPISODES || frames < 0) {
            p.add("episodes must be in [0, " + MAX_EPISODES + "] and frames >= 0, got episodes=" + episodes
                    + ", frames=" + frames);
        }
        fileProblems(p);
        if (fingerprint == null || !fingerprint.startsWith(Fingerprint.PREFIX)) {
            p.add("fingerprint must start with '" + Fingerprint.PREFIX + "', got " + fingerprint);
        }
        return p;
    }

    /** The files list: names inside data/, distinct, consecutive episode ranges from 0, counts that add up. */
    private void fileProblems(List<String> p) {
        long fe = 0, ff = 0, next = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            String at = "files[" + i + "]";
            if (f == null) {
                p.add(at + " is null");
                return;
            }
            if (f.path() == null || !f.path().startsWith(TrajectorySchema.DATA_DIR + "/")
                    || !TrajectorySchema.PART_FILE.matcher(f.path().substring(TrajectorySchema.DATA_DIR.length() + 1))
                    .matches()) {
                p.add(at + ".path must name a file in the table's data/ directory (data/part-NNNNN.parquet), got '"
                        + f.path() + "'");
            } else if (!seen.add(f.path())) {
                p.add(at + ".path " + f.path() + " is listed twice");
            }
            if (f.firstEpisode() != next || f.episodes() < 1 || f.episodes() > MAX_EPISODES
                    || f.lastEpisode() != f.firstEpisode() + f.episodes() - 1) {
                p.add(at + " (" + f.path() + ") must hold episodes " + next + ".." + next + "+episodes-1 with "
                        + "episodes >= 1, got first_episode=" + f.firstEpisode() + ", last_episode="
                        + f.lastEpisode() + ", episodes=" + f.episodes());
                return;
            }
            if (f.frames() < f.episodes() || f.frames() > f.episodes() * ((stepsPerEpisode <= 0 ? MAX_STEPS : stepsPerEpisode) + 1L)) {
                p.add(at + " (" + f.path() + ") must have between episodes=" + f.episodes() + " and episodes x "
                        + "(steps_per_episode + 1) frames, got " + f.frames());
            }
            next = f.lastEpisode() + 1;
            fe += f.episodes();
            ff += f.frames();
            if (fe > MAX_EPISODES) {
                p.add("files list holds more than " + MAX_EPISODES + " episodes");
                return;
            }
        }
        if (fe != episodes || ff != frames) {
            p.add("files list adds up to " + fe + " episodes / " + ff + " frames but episodes=" + episodes
                    + ", frames=" + frames);
        }
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

    /** Reads TABLE/meta/info.json, at most {@link #MAX_JSON_BYTES} (no other checks: see {@link #problems()}). */
    public static TableMetadata read(Configuration conf, String tableDir) throws IOException {
        return fromJson(Json.readFile(conf, new Path(tableDir, TrajectorySchema.INFO_JSON), MAX_JSON_BYTES));
    }
}
