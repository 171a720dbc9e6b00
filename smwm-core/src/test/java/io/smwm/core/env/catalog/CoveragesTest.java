package io.smwm.core.env.catalog;

import io.smwm.core.env.Environment;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.BehaviourPolicy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data policies cover what their task is about, and the coverage figures measure it. */
class CoveragesTest {

    private static final String KEY = "share_windows25_cube_moved";

    private static Map<String, Double> coverage(String id, String policy, int episodes, int steps) {
        Environment env = Environments.create(id, EnvConfig.defaults());
        BehaviourPolicy p = Environments.policy(id, policy);
        List<float[][]> all = Coverages.rollout(env, p, episodes, steps);
        return Coverages.of(id, "default", all);
    }

    @Test
    void pusht_scriptedPolicyMovesTheBlockInMostEpisodes_randomRarely() {
        double scripted = coverage("pusht", "scripted", 20, 100).get("share_episodes_block_moved_more_than_its_width");
        double random = coverage("pusht", "random", 20, 100).get("share_episodes_block_moved_more_than_its_width");
        assertTrue(scripted >= 0.4, "scripted pusht moved the block in " + scripted);
        assertTrue(scripted > random + 0.2, "scripted " + scripted + " vs random " + random);
    }

    @Test
    void pusht_pusherPolicyMovesTheBlockInMostEpisodes_andTurnsItInNearlyAll_randomRarely() {
        Map<String, Double> pusher = coverage("pusht", "pusher", 40, 100);
        Map<String, Double> random = coverage("pusht", "random", 40, 100);
        assertTrue(pusher.get("share_episodes_block_moved_more_than_its_width") >= 0.5, pusher.toString());
        assertTrue(pusher.get("share_episodes_block_rotated") >= 0.85, pusher.toString());
        assertTrue(pusher.get("share_windows25_block_rotated") >= 0.6, pusher.toString());
        assertTrue(random.get("share_episodes_block_rotated") < 0.3, random.toString());
    }

    /** A Push-T episode (state: agent x, y, vx, vy, block x, y, angle, vx, vy, omega) with these block angles. */
    private static float[][] pushtEpisode(double... angles) {
        float[][] e = new float[angles.length][];
        for (int t = 0; t < angles.length; t++) {
            e[t] = new float[] {0.1f, 0.1f, 0, 0, 0.5f, 0.5f, (float) angles[t], 0, 0, 0};
        }
        return e;
    }

    private static double[] angles(int frames, java.util.function.IntToDoubleFunction angle) {
        double[] a = new double[frames];
        for (int t = 0; t < frames; t++) {
            a[t] = angle.applyAsDouble(t);
        }
        return a;
    }

    @Test
    void pusht_rotationShares_wrapTheAngleDifference_andCount25StepWindows() {
        // 27 frames: windows (0, 25) and (1, 26)
        float[][] turning = pushtEpisode(angles(27, t -> 0.02 * t)); // net 0.52 rad; both windows 0.5 rad
        // 3.0 rad to -3.0 rad: 6 rad apart unwrapped, 0.283 rad wrapped, below pi/9 (0.349); windows 0.272 rad
        float[][] acrossPi = pushtEpisode(angles(27, t -> 3.0 + 0.2832 * t / 26 > Math.PI
                ? 3.0 + 0.2832 * t / 26 - 2 * Math.PI : 3.0 + 0.2832 * t / 26));
        acrossPi[26][6] = -3.0f;
        float[][] shortTurn = pushtEpisode(angles(10, t -> 0.1 * t)); // net 0.9 rad, too short for a window
        float[][] lateTurn = pushtEpisode(angles(27, t -> t == 26 ? 0.4 : 0)); // net 0.4; window (1, 26) only
        Map<String, Double> c = Coverages.of("pusht", "default", List.of(turning, acrossPi, shortTurn, lateTurn));
        assertEquals(3 / 4.0, c.get("share_episodes_block_rotated"), 1e-12, c.toString());
        assertEquals(3 / 6.0, c.get("share_windows25_block_rotated"), 1e-12, c.toString());
        assertEquals((0.52 + (2 * Math.PI - 6.0) + 0.9 + 0.4) / 4, c.get("mean_block_rotation_rad"), 1e-5);
        assertEquals(0.0, c.get("share_episodes_block_moved_more_than_its_width"));
        double across = 0.2832 * 25 / 26; // each of acrossPi's windows, wrapped across pi
        assertEquals((0.5 + 0.5 + across + across + 0 + 0.4) / 6, c.get("mean_window25_block_turn_rad"), 1e-5);
        assertEquals(0.0, c.get("mean_window25_block_move_px"), "the block never moves");
        lateTurn[26][4] += 0.1f; // window (1, 26) moves the block 0.1 = 51.2 px of 512: one of six windows
        assertEquals(51.2 / 6, Coverages.of("pusht", "default", List.of(turning, acrossPi, shortTurn, lateTurn))
                .get("mean_window25_block_move_px"), 1e-4);
        Map<String, Double> none = Coverages.of("pusht", "default", List.<float[][]>of(shortTurn));
        assertEquals(0.0, none.get("share_windows25_block_rotated"), "no episode long enough for a window");
        assertEquals(1.0, none.get("share_episodes_block_rotated"));
    }

    @Test
    void cube_scriptedPolicyGraspsLiftsAndPlaces_randomDoesNot() {
        Map<String, Double> s = coverage("cube", "scripted", 20, 100);
        Map<String, Double> r = coverage("cube", "random", 20, 100);
        assertTrue(s.get("share_episodes_cube_lifted") >= 0.6, s.toString());
        assertTrue(s.get("share_episodes_cube_placed_elsewhere") >= 0.1, s.toString());
        assertTrue(s.get("share_episodes_cube_grasped") >= s.get("share_episodes_cube_lifted") - 1e-9, s.toString());
        assertTrue(r.get("share_episodes_cube_lifted") < 0.2, r.toString());
    }

    /** A Cube state at rest with the cube centre at (x, y, z). */
    private static float[] cubeAt(double x, double y, double z) {
        float[] s = new float[22];
        s[2] = 0.15f;
        s[8] = (float) x;
        s[9] = (float) y;
        s[10] = (float) z;
        s[11] = 1f;
        return s;
    }

    /**
     * An episode of 40 frames, the cube at the origin, the gripper at (gx, 0, gz) with the fingers open (8 cm) until
     * frame 10, then closing by 1 cm a frame to 1 cm; held from frame {@code heldFrom} on (never when negative).
     */
    private static float[][] closing(double gx, double gz, int heldFrom) {
        float[][] e = new float[40][];
        for (int t = 0; t < e.length; t++) {
            e[t] = cubeAt(0, 0, 0.025);
            e[t][0] = (float) gx;
            e[t][2] = (float) (0.025 + gz);
            e[t][4] = (float) Math.max(0.01, t <= 10 ? 0.08 : 0.08 - 0.01 * (t - 10));
            e[t][21] = heldFrom >= 0 && t >= heldFrom ? 1f : 0f;
        }
        return e;
    }

    @Test
    void cube_graspAttemptsMissed_countsClosingsLowNearTheCubeThatDoNotHoldIt() {
        String key = "share_grasp_attempts_missed";
        assertArrayEquals(new int[] {1, 0}, Coverages.cubeGraspAttempts(List.<float[][]>of(closing(0, 0.002, 14))));
        assertArrayEquals(new int[] {1, 1}, Coverages.cubeGraspAttempts(List.<float[][]>of(closing(0.02, 0.002, -1))));
        assertArrayEquals(new int[] {1, 1}, Coverages.cubeGraspAttempts(List.<float[][]>of(closing(0, 0.05, -1))), "above the cube");
        assertArrayEquals(new int[] {1, 1}, Coverages.cubeGraspAttempts(List.<float[][]>of(closing(0, 0.002, 25))),
                "held only after the ten steps");
        assertArrayEquals(new int[] {0, 0}, Coverages.cubeGraspAttempts(List.<float[][]>of(closing(0, 0.06, -1))),
                "closing where the fingertips clear the cube is not an attempt");
        assertArrayEquals(new int[] {0, 0}, Coverages.cubeGraspAttempts(List.<float[][]>of(closing(0.08, 0.002, -1))), "too far");
        float[][] held = closing(0, 0.002, 0);
        assertArrayEquals(new int[] {0, 0}, Coverages.cubeGraspAttempts(List.<float[][]>of(held)), "already held");
        float[][] late = Arrays.copyOf(closing(0, 0.002, -1), 20);
        assertArrayEquals(new int[] {0, 0}, Coverages.cubeGraspAttempts(List.<float[][]>of(late)), "fewer than ten steps left");
        assertEquals(2 / 3.0, Coverages.of("cube", "default",
                List.<float[][]>of(closing(0, 0.002, 14), closing(0.02, 0.002, -1), closing(0, 0.05, -1))).get(key), 1e-12);
        assertEquals(0.0, Coverages.of("cube", "default", List.<float[][]>of(held)).get(key), "no attempt: 0");
    }

    @Test
    void cube_windowShare_countsWindowsWhoseCubeEndsAtLeastTheSuccessDistanceAway() {
        // 31 frames: windows start at t = 0..5. The cube jumps 5 cm along x at frame 27: windows t = 2..5 end there.
        float[][] jump = new float[31][];
        for (int t = 0; t < jump.length; t++) {
            jump[t] = cubeAt(t < 27 ? 0 : 0.05, 0, 0.025);
        }
        assertEquals(4 / 6.0, Coverages.of("cube", "default", List.<float[][]>of(jump)).get(KEY), 1e-12);
        // just over the success distance counts, just under it does not (26 frames: 1 window), exactly as the
        // pair (frame 0, frame 25) is solved at its start or not
        float[][] at = new float[26][], under = new float[26][];
        for (int t = 0; t < 26; t++) {
            at[t] = cubeAt(0, 0, t < 25 ? 0.025 : 0.0651);
            under[t] = cubeAt(0, t < 25 ? 0 : 0.0399, 0.025);
        }
        assertEquals(0.0, Coverages.of("cube", "default", List.<float[][]>of(under)).get(KEY));
        assertEquals(1.0, Coverages.of("cube", "default", List.<float[][]>of(at)).get(KEY));
        Environment cube = Environments.create("cube", EnvConfig.defaults());
        cube.setState(under[0]);
        assertTrue(cube.isSuccess(under[25]));
        cube.setState(at[0]);
        assertFalse(cube.isSuccess(at[25]));
        // a window that comes back to its start does not count; an episode without a window adds none
        float[][] back = new float[26][];
        for (int t = 0; t < 26; t++) {
            back[t] = cubeAt(0, t > 0 && t < 25 ? 0.1 : 0, 0.025);
        }
        float[][] shortEp = {cubeAt(0, 0, 0.025), cubeAt(0.2, 0, 0.025)};
        assertEquals(5 / 8.0, Coverages.of("cube", "default", List.of(jump, back, shortEp, at)).get(KEY), 1e-12);
        assertEquals(0.0, Coverages.of("cube", "default", List.<float[][]>of(shortEp)).get(KEY));
    }

    @Test
    void tworoom_scriptedPolicyCrossesTheDoor() {
        Map<String, Double> s = coverage("tworoom", "scripted", 20, 100);
        assertTrue(s.get("share_episodes_crossing_door") >= 0.3, s.toString());
    }

    @Test
    void reacher_scriptedPolicyVisitsMostOfJointSpace() {
        assertTrue(coverage("reacher", "scripted", 20, 100).get("share_joint_space_cells_visited") > 0.5);
    }

    @Test
    void reacher_reachPolicyCoversJointSpace_andComesToRestFarMoreOftenThanScripted() {
        Map<String, Double> reach = coverage("reacher", "reach", 20, 100);
        Map<String, Double> scripted = coverage("reacher", "scripted", 20, 100);
        assertTrue(reach.get("share_joint_space_cells_visited") > 0.5, reach.toString());
        assertTrue(reach.get("share_frames_at_rest") > 0.15, "reaching moves end at rest: " + reach);
        assertTrue(scripted.get("share_frames_at_rest") < 0.05, "the scripted torques keep it moving: " + scripted);
    }

    @Test
    void everyTask_reportsPathLength_andStaticEpisodesHaveZero() {
        float[][] still = {{0.1f, 0.2f}, {0.1f, 0.2f}};
        assertEquals(0.0, Coverages.of("tworoom", "default", List.<float[][]>of(still, still)).get("mean_state_path_length"));
        float[][] moving = {{0f, 0f}, {0.3f, 0.4f}};
        assertEquals(0.5, Coverages.of("nosuch", "default", List.<float[][]>of(moving)).get("mean_state_path_length"), 1e-6);
    }
}
