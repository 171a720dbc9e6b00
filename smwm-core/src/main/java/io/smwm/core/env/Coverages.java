package io.smwm.core.env;

import io.smwm.core.env.tworoom.TwoRoom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Task-specific data coverage: what share of a table's episodes exercise the behaviour the task is about
 * (crossing the door, moving the block, lifting the cube, ...). Computed from the task states of each episode
 * (frames x stateDim, as stored in the table); every task also gets the generic {@code mean_state_path_length}.
 */
public final class Coverages {
    private static final Map<String, Function<List<float[][]>, Map<String, Double>>> BY_TASK = new LinkedHashMap<>();

    static {
        BY_TASK.put("tworoom", Coverages::tworoom);
    }

    private Coverages() {}

    /** Coverage figures for a task (names are stable keys), given each episode's states [T+1][stateDim]. */
    public static Map<String, Double> of(String envId, String variant, List<float[][]> episodes) {
        Map<String, Double> out = new LinkedHashMap<>();
        double path = 0;
        for (float[][] e : episodes) {
            for (int t = 1; t < e.length; t++) {
                double s = 0;
                for (int i = 0; i < e[t].length; i++) {
                    double d = e[t][i] - e[t - 1][i];
                    s += d * d;
                }
                path += Math.sqrt(s);
            }
        }
        out.put("mean_state_path_length", episodes.isEmpty() ? 0 : path / episodes.size());
        Function<List<float[][]>, Map<String, Double>> f = BY_TASK.get(envId);
        if (f != null && !episodes.isEmpty()) {
            out.putAll(f.apply(episodes));
        }
        return out;
    }

    /** tworoom: share of episodes whose agent changes room at least once; share ending in the other room. */
    private static Map<String, Double> tworoom(List<float[][]> episodes) {
        int crossed = 0, endOther = 0;
        for (float[][] e : episodes) {
            boolean left0 = e[0][0] < TwoRoom.WALL_X;
            boolean any = false;
            for (float[] s : e) {
                any |= (s[0] < TwoRoom.WALL_X) != left0;
            }
            crossed += any ? 1 : 0;
            endOther += ((e[e.length - 1][0] < TwoRoom.WALL_X) != left0) ? 1 : 0;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("share_episodes_crossing_door", crossed / (double) episodes.size());
        out.put("share_episodes_ending_in_other_room", endOther / (double) episodes.size());
        return out;
    }
}
