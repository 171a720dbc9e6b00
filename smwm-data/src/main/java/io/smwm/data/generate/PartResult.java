package io.smwm.data.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.data.table.Json;
import io.smwm.data.table.StatsAccumulator;
import java.util.ArrayList;
import java.util.List;

/**
 * What writing one data file produced; Spark tasks return it as {@link #toJson()} (never Java serialisation).
 *
 * @param part          part number
 * @param file          file name inside data/, e.g. "part-00003.parquet"
 * @param firstEpisode  first episode index in the file
 * @param lastEpisode   last episode index (inclusive)
 * @param episodes      number of episodes
 * @param frames        number of rows
 * @param bytes         file size in bytes
 * @param episodeHashes hex {@code Episode.contentHash()} of each episode, in order
 * @param actionStats   stats of action over rows with is_last = false
 * @param stateStats    stats of observation_state over all rows
 */
public record PartResult(int part, String file, long firstEpisode, long lastEpisode, long episodes, long frames,
                         long bytes, List<String> episodeHashes, StatsAccumulator actionStats,
                         StatsAccumulator stateStats) {

    public PartResult {
        episodeHashes = List.copyOf(episodeHashes);
        if (episodeHashes.size() != episodes) {
            throw new IllegalArgumentException("part " + part + ": episode_hashes must have one entry per episode ("
                    + episodes + "), got " + episodeHashes.size());
        }
    }

    public String toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("part", part);
        n.put("file", file);
        n.put("first_episode", firstEpisode);
        n.put("last_episode", lastEpisode);
        n.put("episodes", episodes);
        n.put("frames", frames);
        n.put("bytes", bytes);
        episodeHashes.forEach(n.putArray("episode_hashes")::add);
        n.set("action_stats", actionStats.toJsonNode());
        n.set("state_stats", stateStats.toJsonNode());
        return Json.write(n);
    }

    public static PartResult fromJson(String json) {
        JsonNode n = Json.tree(json);
        List<String> hashes = new ArrayList<>();
        Json.need(n, "episode_hashes").forEach(h -> hashes.add(h.asText()));
        return new PartResult(Json.need(n, "part").asInt(), Json.need(n, "file").asText(),
                Json.need(n, "first_episode").asLong(), Json.need(n, "last_episode").asLong(),
                Json.need(n, "episodes").asLong(), Json.need(n, "frames").asLong(), Json.need(n, "bytes").asLong(),
                hashes, StatsAccumulator.fromJsonNode(Json.need(n, "action_stats")),
                StatsAccumulator.fromJsonNode(Json.need(n, "state_stats")));
    }
}
