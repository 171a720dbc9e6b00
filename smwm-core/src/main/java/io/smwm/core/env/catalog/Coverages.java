package io.smwm.core.env.catalog;

import io.smwm.core.env.Environment;
import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.cube.Cube;
import io.smwm.core.env.pusht.PushT;
import io.smwm.core.env.reacher.Reacher;
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
    /** Env steps between the two frames of a Cube window ({@code share_windows25_cube_moved}): the goal offset. */
    static final int CUBE_WINDOW = 25;
    /** Env steps between the two frames of a Push-T window ({@code share_windows25_block_rotated}): the goal offset. */
    static final int PUSHT_WINDOW = 25;

    static {
        BY_TASK.put(TwoRoom.ID, Coverages::tworoom);
        BY_TASK.put(PushT.ID, Coverages::pusht);
        BY_TASK.put(Cube.ID, Coverages::cube);
        BY_TASK.put(Reacher.ID, Coverages::reacher);
    }

    private Coverages() {}

    /**
     * Rolls out {@code episodes} episodes of {@code steps} steps of a task with a policy (episode e: env seed e,
     * policy stream 1000 + e) and returns each episode's task states [steps+1][stateDim].
     */
    public static List<float[][]> rollout(Environment env, BehaviourPolicy policy, int episodes, int steps) {
        List<float[][]> out = new java.util.ArrayList<>(episodes);
        for (int e = 0; e < episodes; e++) {
            env.reset(e);
            policy.reset(env, new java.util.SplittableRandom(1000 + e));
            float[][] s = new float[steps + 1][];
            s[0] = env.state();
            for (int t = 0; t < steps; t++) {
                env.step(policy.act(env));
                s[t + 1] = env.state();
            }
            out.add(s);
        }
        return out;
    }

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

    /**
     * pusht (state: agent x,y,vx,vy; block x,y,angle,...), from each episode's first and last frame: the share of
     * episodes whose block ends more than its width away, the mean |net rotation| of the block (rad) and the share of
     * episodes whose |net rotation| exceeds the success angle tolerance π/9 ({@code share_episodes_block_rotated});
     * and {@code share_windows25_block_rotated}: of all windows of {@value #PUSHT_WINDOW} env steps (frames t and
     * t + {@value #PUSHT_WINDOW}, every t of every episode long enough), the share whose block turned by more than
     * π/9 (goals at that offset that ask for a turn); 0 when no episode has a window. Over the same windows, the
     * block's mean move ({@code mean_window25_block_move_px}, px of the 512-px reference world) and mean turn
     * ({@code mean_window25_block_turn_rad}): the data's pace, which sets how far evaluation pairs at that offset are.
     * Rotations are angle differences wrapped to [0, π], as Push-T's goal error measures them.
     */
    private static Map<String, Double> pusht(List<float[][]> episodes) {
        int moved = 0, rotated = 0;
        long windows = 0, windowsRotated = 0;
        double turn = 0, windowMove = 0, windowTurn = 0;
        for (float[][] e : episodes) {
            float[] a = e[0], b = e[e.length - 1];
            moved += Math.hypot(b[4] - a[4], b[5] - a[5]) > PushT.BLOCK_WIDTH ? 1 : 0;
            double d = blockTurn(a, b);
            turn += d;
            rotated += d > PushT.SUCCESS_ANGLE ? 1 : 0;
            for (int t = 0; t + PUSHT_WINDOW < e.length; t++) {
                windows++;
                double r = blockTurn(e[t], e[t + PUSHT_WINDOW]);
                windowsRotated += r > PushT.SUCCESS_ANGLE ? 1 : 0;
                windowTurn += r;
                windowMove += Math.hypot(e[t + PUSHT_WINDOW][4] - e[t][4], e[t + PUSHT_WINDOW][5] - e[t][5]);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("share_episodes_block_moved_more_than_its_width", moved / (double) episodes.size());
        out.put("mean_block_rotation_rad", turn / episodes.size());
        out.put("share_episodes_block_rotated", rotated / (double) episodes.size());
        double w = Math.max(1, windows); // every share and mean is 0 without a window
        out.put("share_windows" + PUSHT_WINDOW + "_block_rotated", windowsRotated / w);
        out.put("mean_window" + PUSHT_WINDOW + "_block_move_px", windowMove * PushT.WORLD_PX / w);
        out.put("mean_window" + PUSHT_WINDOW + "_block_turn_rad", windowTurn / w);
        return out;
    }

    /** |block angle (state 6) of b − that of a|, wrapped to [0, π]. */
    static double blockTurn(float[] a, float[] b) {
        double d = Math.abs((double) b[6] - a[6]) % (2 * Math.PI);
        return Math.min(d, 2 * Math.PI - d);
    }

    /**
     * cube (state: gripper 0-7, cube position 8-10, quaternion 11-14, velocities 15-20, grasped 21): shares of
     * episodes where the cube is grasped, lifted more than 2 cm, and placed more than 5 cm from its start and left
     * resting on the table (released, slow, on the surface) at the end; and {@code share_windows25_cube_moved}:
     * of all windows of {@value #CUBE_WINDOW} env steps (frames t and t + {@value #CUBE_WINDOW}, every t of every
     * episode long enough), the share whose cube centres are at least {@link Cube#SUCCESS_DIST} apart, measured
     * as Cube's goal error measures it. These are exactly the windows that make evaluation pairs at goal offset
     * {@value #CUBE_WINDOW} that are not solved at the start; 0 when no episode has a window. And
     * {@code share_grasp_attempts_missed} ({@link #cubeGraspAttempts}): of the closings of the open fingers near the
     * cube, the share after which the cube was not held: a model learns from these that closing the fingers near the
     * cube does not always take it along.
     */
    private static Map<String, Double> cube(List<float[][]> episodes) {
        int grasped = 0, lifted = 0, placed = 0;
        for (float[][] e : episodes) {
            float[] a = e[0], b = e[e.length - 1];
            boolean g = false, l = false;
            for (float[] s : e) {
                g |= s[21] > 0.5f;
                l |= s[10] > a[10] + 0.02;
            }
            grasped += g ? 1 : 0;
            lifted += l ? 1 : 0;
            double d = Math.hypot(b[8] - a[8], b[9] - a[9]);
            double v = Math.sqrt(b[15] * b[15] + b[16] * b[16] + b[17] * b[17]);
            placed += (d > 0.05 && b[21] < 0.5f && v < 0.02 && b[10] < Cube.HALF_SIZE + 0.003) ? 1 : 0;
        }
        double n = episodes.size();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("share_episodes_cube_grasped", grasped / n);
        out.put("share_episodes_cube_lifted", lifted / n);
        out.put("share_episodes_cube_placed_elsewhere", placed / n);
        out.put("share_windows" + CUBE_WINDOW + "_cube_moved", cubeWindowsMoved(episodes, CUBE_WINDOW));
        int[] attempts = cubeGraspAttempts(episodes);
        out.put("share_grasp_attempts_missed", attempts[0] == 0 ? 0 : attempts[1] / (double) attempts[0]);
        return out;
    }

    /** Env steps after a closing starts within which the cube must be held for the attempt to count as a grasp. */
    static final int GRASP_STEPS = 10;

    /**
     * [attempts, missed]: an attempt is a step t where the open fingers (gap, state 4, at least 5.5 cm) start to close
     * (the gap shrinks by more than 3 mm to t + 1 and did not from t − 1), the cube is not held and the gripper is
     * within 7 cm of the cube's centre horizontally and less than 5.5 cm above it (lower than the fingertips clear the
     * cube, so not the closings of a move above it), with {@value #GRASP_STEPS} steps left
     * in the episode; missed when the cube is not held at any of those steps.
     */
    static int[] cubeGraspAttempts(List<float[][]> episodes) {
        int attempts = 0, missed = 0;
        for (float[][] e : episodes) {
            for (int t = 1; t + GRASP_STEPS < e.length; t++) {
                float[] s = e[t];
                boolean starts = s[4] >= 0.055f && e[t + 1][4] < s[4] - 0.003f && !(s[4] < e[t - 1][4] - 0.003f);
                boolean near = Math.hypot(s[0] - s[8], s[1] - s[9]) < 0.07 && s[2] - s[10] < 0.055;
                if (!starts || !near || s[21] > 0.5f) continue;
                attempts++;
                boolean held = false;
                for (int j = t + 1; j <= t + GRASP_STEPS; j++) held |= e[j][21] > 0.5f;
                missed += held ? 0 : 1;
            }
        }
        return new int[] {attempts, missed};
    }

    /**
     * Share of the windows (t, t + window) of the episodes, over every t with t + window in the episode, whose cube
     * centres (state 8-10) are {@link Cube#SUCCESS_DIST} or more apart (Euclidean, in m, computed like
     * {@link Cube#goalError}): the windows not solved at their start. 0 when no episode has a window.
     */
    static double cubeWindowsMoved(List<float[][]> episodes, int window) {
        long windows = 0, moved = 0;
        for (float[][] e : episodes) {
            for (int t = 0; t + window < e.length; t++) {
                float[] a = e[t], b = e[t + window];
                double dx = (double) b[8] - a[8], dy = (double) b[9] - a[9], dz = (double) b[10] - a[10];
                windows++;
                moved += Math.sqrt(dx * dx + dy * dy + dz * dz) < Cube.SUCCESS_DIST ? 0 : 1;
            }
        }
        return windows == 0 ? 0 : moved / (double) windows;
    }

    /**
     * reacher (state q1, q2, dq1, dq2): share of a 12x12 grid of joint-angle cells visited by the whole table, and
     * share of frames with the arm at rest (both joints slower than 0.5 rad/s: where reaching movements end).
     */
    private static Map<String, Double> reacher(List<float[][]> episodes) {
        boolean[] seen = new boolean[144];
        long frames = 0, rest = 0;
        for (float[][] e : episodes) {
            for (float[] s : e) {
                int i = cell(s[0]), j = cell(s[1]);
                seen[i * 12 + j] = true;
                frames++;
                rest += Math.abs(s[2]) < 0.5 && Math.abs(s[3]) < 0.5 ? 1 : 0;
            }
        }
        int n = 0;
        for (boolean b : seen) {
            n += b ? 1 : 0;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("share_joint_space_cells_visited", n / 144.0);
        out.put("share_frames_at_rest", frames == 0 ? 0 : rest / (double) frames);
        return out;
    }

    private static int cell(float angle) {
        int c = (int) Math.floor((angle + Math.PI) / (2 * Math.PI) * 12);
        return Math.max(0, Math.min(11, c));
    }
}
