package io.smwm.data.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.env.EnvConfig;
import io.smwm.data.table.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to generate: which env and policy, how many episodes of how many steps, the root seed and how episodes are
 * grouped into files. Content depends on (envId, envConfig, policy, episodes, steps, seed) only; frameskip is
 * recorded for training and episodesPerFile changes only the file split, never the fingerprint.
 *
 * @param envId           registry id of the environment (or a free label when generating from an {@link EnvSource})
 * @param envConfig       variant, image size, distractors, task params
 * @param policy          behaviour policy name; null or blank = the task's default
 * @param episodes        number of episodes, >= 1
 * @param steps           T, actions per episode (episodes have T+1 frames unless they terminate early), >= 1
 * @param seed            root seed; episode e resets with Seeds.derive(seed, "episode", e)
 * @param frameskip       k in [1, steps], primitive actions per model step (default {@value #DEFAULT_FRAMESKIP})
 * @param episodesPerFile episodes per data file (default {@value #DEFAULT_EPISODES_PER_FILE})
 */
public record GenerationSpec(String envId, EnvConfig envConfig, String policy, long episodes, int steps, long seed,
                             int frameskip, int episodesPerFile) {
    public static final int DEFAULT_FRAMESKIP = 5;
    public static final int DEFAULT_EPISODES_PER_FILE = 50;
    /** File names have 5 digits, so at most this many parts. */
    public static final int MAX_PARTS = 100_000;
    /** Actions per episode at most, and the bytes of an episode's frames (held in memory while it is written). */
    public static final int MAX_STEPS = 1_000_000;
    public static final long MAX_EPISODE_BYTES = 1L << 30;

    /** An inclusive range of episode indices. */
    public record EpisodeRange(long first, long last) {
        public long count() { return last - first + 1; }
    }

    public GenerationSpec {
        if (envId == null || envId.isBlank()) {
            throw new IllegalArgumentException("generate.env must be a non-blank environment id, got '" + envId + "'");
        }
        if (envConfig == null) {
            envConfig = EnvConfig.defaults();
        }
        policy = policy == null || policy.isBlank() ? null : policy;
        if (episodes < 1 || episodes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("generate.episodes must be in [1, " + Integer.MAX_VALUE + "], got "
                    + episodes);
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("generate.steps must be in [1, " + MAX_STEPS + "], got " + steps);
        }
        long episodeBytes = (steps + 1L) * envConfig.imageSize() * envConfig.imageSize() * 3;
        if (episodeBytes > MAX_EPISODE_BYTES) {
            throw new IllegalArgumentException("generate.steps=" + steps + " frames of " + envConfig.imageSize() + "x"
                    + envConfig.imageSize() + " make " + episodeBytes + " bytes per episode, more than the "
                    + MAX_EPISODE_BYTES + " an episode may hold in memory while it is written; use fewer steps or "
                    + "smaller images");
        }
        if (frameskip < 1 || frameskip > steps) {
            throw new IllegalArgumentException("generate.frameskip must be in [1, generate.steps=" + steps
                    + "] so that an episode holds at least one model step, got " + frameskip);
        }
        if (episodesPerFile < 1) {
            throw new IllegalArgumentException("generate.episodes_per_file must be >= 1, got " + episodesPerFile);
        }
        long parts = (episodes + episodesPerFile - 1) / episodesPerFile;
        if (parts > MAX_PARTS) {
            throw new IllegalArgumentException("generate.episodes / generate.episodes_per_file must make at most "
                    + MAX_PARTS + " files, got " + parts + " (episodes=" + episodes + ", episodes_per_file="
                    + episodesPerFile + "); raise episodes_per_file");
        }
    }

    /** With the default frameskip and episodes per file. */
    public GenerationSpec(String envId, EnvConfig envConfig, String policy, long episodes, int steps, long seed) {
        this(envId, envConfig, policy, episodes, steps, seed, Math.min(DEFAULT_FRAMESKIP, steps),
                DEFAULT_EPISODES_PER_FILE);
    }

    public GenerationSpec withEpisodesPerFile(int n) {
        return new GenerationSpec(envId, envConfig, policy, episodes, steps, seed, frameskip, n);
    }

    /** Number of data files: ceil(episodes / episodesPerFile). */
    public int parts() {
        return (int) ((episodes + episodesPerFile - 1) / episodesPerFile);
    }

    /** The episodes of part (0-based): [part*episodesPerFile, min(episodes, (part+1)*episodesPerFile) - 1]. */
    public EpisodeRange partEpisodes(int part) {
        if (part < 0 || part >= parts()) {
            throw new IndexOutOfBoundsException("part must be in [0, " + parts() + "), got " + part);
        }
        long first = (long) part * episodesPerFile;
        return new EpisodeRange(first, Math.min(episodes, first + episodesPerFile) - 1);
    }

    /** Stable JSON with snake_case keys. */
    public String toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("env_id", envId);
        ObjectNode c = n.putObject("env_config");
        c.put("variant", envConfig.variant());
        c.put("image_size", envConfig.imageSize());
        envConfig.distractors().forEach(c.putArray("distractors")::add);
        ObjectNode p = c.putObject("params");
        new java.util.TreeMap<>(envConfig.params()).forEach(p::put);
        if (policy != null) {
            n.put("policy", policy);
        }
        n.put("episodes", episodes);
        n.put("steps", steps);
        n.put("seed", seed);
        n.put("frameskip", frameskip);
        n.put("episodes_per_file", episodesPerFile);
        return Json.write(n);
    }

    /** Inverse of {@link #toJson()}; frameskip and episodes_per_file default when absent. */
    public static GenerationSpec fromJson(String json) {
        JsonNode n = Json.tree(json);
        JsonNode c = n.get("env_config");
        EnvConfig cfg = EnvConfig.defaults();
        if (c != null && !c.isNull()) {
            List<String> distractors = new ArrayList<>();
            if (c.has("distractors")) {
                c.get("distractors").forEach(d -> distractors.add(d.asText()));
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (c.has("params")) {
                c.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            }
            cfg = new EnvConfig(c.path("variant").asText("default"),
                    c.path("image_size").asInt(EnvConfig.DEFAULT_IMAGE_SIZE), distractors, params);
        }
        int steps = Json.need(n, "steps").asInt();
        return new GenerationSpec(Json.need(n, "env_id").asText(), cfg,
                n.hasNonNull("policy") ? n.get("policy").asText() : null,
                Json.need(n, "episodes").asLong(), steps, Json.need(n, "seed").asLong(),
                n.path("frameskip").asInt(Math.min(DEFAULT_FRAMESKIP, Math.max(steps, 1))),
                n.path("episodes_per_file").asInt(DEFAULT_EPISODES_PER_FILE));
    }
}
