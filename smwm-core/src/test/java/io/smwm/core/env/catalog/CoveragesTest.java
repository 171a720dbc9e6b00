package io.smwm.core.env.catalog;

import io.smwm.core.env.Environment;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.BehaviourPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data policies cover what their task is about, and the coverage figures measure it. */
class CoveragesTest {

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
    void cube_scriptedPolicyGraspsLiftsAndPlaces_randomDoesNot() {
        Map<String, Double> s = coverage("cube", "scripted", 20, 100);
        Map<String, Double> r = coverage("cube", "random", 20, 100);
        assertTrue(s.get("share_episodes_cube_lifted") >= 0.6, s.toString());
        assertTrue(s.get("share_episodes_cube_placed_elsewhere") >= 0.1, s.toString());
        assertTrue(s.get("share_episodes_cube_grasped") >= s.get("share_episodes_cube_lifted") - 1e-9, s.toString());
        assertTrue(r.get("share_episodes_cube_lifted") < 0.2, r.toString());
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
