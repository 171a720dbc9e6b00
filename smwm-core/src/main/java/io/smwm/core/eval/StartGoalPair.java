package io.smwm.core.eval;

import io.smwm.core.env.RgbImage;

/**
 * One evaluation episode's start and goal (REFERENCE §4): the env is set to the stored start state, and the goal
 * is the frame {@code goalOffset} env steps later in the same recorded episode.
 *
 * @param id                    a stable name for reports, e.g. "ep000123@t40" (episode index and start frame)
 * @param startState            task state to start from ({@code Environment#setState})
 * @param startDistractorState  distractor state to start from (empty without distractors)
 * @param goalFrame             the goal observation o_g (what the planner sees)
 * @param goalState             the goal's task state (what {@code Environment#isSuccess} is tested against)
 * @param goalOffset            env steps between start and goal in the recorded episode
 */
public record StartGoalPair(String id, float[] startState, float[] startDistractorState, RgbImage goalFrame,
                            float[] goalState, int goalOffset) {
    public StartGoalPair {
        if (id == null || startState == null || goalFrame == null || goalState == null) {
            throw new IllegalArgumentException("a start/goal pair needs an id, a start state, a goal frame and a "
                    + "goal state");
        }
        if (goalOffset < 1) {
            throw new IllegalArgumentException("pair " + id + ": goalOffset must be >= 1, got " + goalOffset);
        }
        startDistractorState = startDistractorState == null ? new float[0] : startDistractorState;
    }
}
