package io.smwm.data.table;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * meta/stats.json: per-dimension statistics of {@code action} and {@code observation_state} (LeRobot's
 * stats.json shape: mean, std, min, max per feature, plus the row count).
 *
 * <p>{@code action} statistics cover rows with is_last = false only (the last row's action is padding zeros);
 * {@code observation_state} covers every row. std is the population standard deviation.
 */
public record TableStats(@JsonProperty("action") Feature action,
                         @JsonProperty("observation_state") Feature observationState) {

    /** Statistics of one feature, each array of the feature's dimension. */
    public record Feature(@JsonProperty("count") long count, @JsonProperty("mean") double[] mean,
                          @JsonProperty("std") double[] std, @JsonProperty("min") double[] min,
                          @JsonProperty("max") double[] max) {

        /** From an accumulator; an empty one gives zeros. */
        public static Feature of(StatsAccumulator a) {
            int d = a.dim();
            if (a.count() == 0) {
                return new Feature(0, new double[d], new double[d], new double[d], new double[d]);
            }
            return new Feature(a.count(), a.mean(), a.std(), a.min(), a.max());
        }

        public int dim() { return mean == null ? 0 : mean.length; }

        /** Problems of this feature on its own (name prefixes each): arrays of one length, finite, std >= 0, min <= max. */
        List<String> problems(String name) {
            List<String> p = new ArrayList<>();
            if (mean == null || std == null || min == null || max == null) {
                p.add(name + " must have mean, std, min and max");
                return p;
            }
            int d = mean.length;
            if (std.length != d || min.length != d || max.length != d || count < 0) {
                p.add(name + " mean/std/min/max must have one length and count >= 0, got " + d + "/" + std.length + "/"
                        + min.length + "/" + max.length + ", count " + count);
                return p;
            }
            for (int i = 0; i < d && count > 0; i++) {
                if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i]) || !Double.isFinite(min[i])
                        || !Double.isFinite(max[i]) || std[i] < 0 || min[i] > max[i]) {
                    p.add(name + "[" + i + "] must be finite with std >= 0 and min <= max, got mean " + mean[i]
                            + ", std " + std[i] + ", min " + min[i] + ", max " + max[i]);
                    break;
                }
            }
            return p;
        }
    }

    /** Problems of the statistics on their own (no data needed); empty if none. */
    public List<String> problems() {
        List<String> p = new ArrayList<>(action.problems("action"));
        p.addAll(observationState.problems("observation_state"));
        return p;
    }

    public static TableStats of(StatsAccumulator action, StatsAccumulator state) {
        return new TableStats(Feature.of(action), Feature.of(state));
    }

    public String toJson() {
        return Json.write(this);
    }

    public static TableStats fromJson(String json) {
        try {
            TableStats s = Json.MAPPER.readValue(json, TableStats.class);
            if (s.action == null || s.observationState == null) {
                throw new IllegalArgumentException("stats.json must have 'action' and 'observation_state'");
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid stats.json: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes TABLE/meta/stats.json. */
    public void write(Configuration conf, String tableDir) {
        Json.writeFile(conf, new Path(tableDir, TrajectorySchema.STATS_JSON), toJson());
    }

    /** Reads TABLE/meta/stats.json. */
    public static TableStats read(Configuration conf, String tableDir) throws IOException {
        return fromJson(Json.readFile(conf, new Path(tableDir, TrajectorySchema.STATS_JSON), TableMetadata.MAX_JSON_BYTES));
    }
}
