package io.smwm.core.eval;

import io.smwm.core.render.RgbImage;
import java.util.List;

/**
 * One evaluation episode's start and goal (the paper's evaluation protocol): the env is set to the stored start state, and the goal
 * is the frame {@code goalOffset} env steps later in the same recorded episode.
 *
 * @param id                    a stable name for reports, e.g. "ep000123@t40" (episode index and start frame)
 * @param startState            task state to start from ({@code Environment#setState})
 * @param startDistractorState  distractor state to start from (empty without distractors)
 * @param goalFrame             the goal observation o_g (what the planner sees)
 * @param goalState             the goal's task state (what {@code Environment#isSuccess} is tested against)
 * @param goalOffset            env steps between start and goal in the recorded episode
 * @param recordedActions       the primitive actions the recorded episode took from the start to the goal
 *                              [goalOffset][m] (a route that reaches the goal), or null when the source has none;
 *                              evaluation uses it only to diagnose failures (see {@link EpisodeRecord#demoCost})
 * @param startHistory          the recorded frames just before the start, oldest first (at most what a model with
 *                              frame history needs; empty at an episode's first frame or when the source keeps
 *                              none): the start observation of a model with {@code model.history} h is these
 *                              frames' last h − 1 plus the start frame, the earliest repeated where fewer exist
 */
public record StartGoalPair(String id, float[] startState, float[] startDistractorState, RgbImage goalFrame,
                            float[] goalState, int goalOffset, float[][] recordedActions,
                            List<RgbImage> startHistory) {

    /** A pair without recorded actions. */
    public StartGoalPair(String id, float[] startState, float[] startDistractorState, RgbImage goalFrame,
                         float[] goalState, int goalOffset) {
        this(id, startState, startDistractorState, goalFrame, goalState, goalOffset, null, List.of());
    }

    /** A pair without frames before its start. */
    public StartGoalPair(String id, float[] startState, float[] startDistractorState, RgbImage goalFrame,
                         float[] goalState, int goalOffset, float[][] recordedActions) {
        this(id, startState, startDistractorState, goalFrame, goalState, goalOffset, recordedActions, List.of());
    }

    public StartGoalPair {
        if (id == null || startState == null || goalFrame == null || goalState == null) {
            throw new IllegalArgumentException("a start/goal pair needs an id, a start state, a goal frame and a "
                    + "goal state");
        }
        if (goalOffset < 1) {
            throw new IllegalArgumentException("pair " + id + ": goalOffset must be >= 1, got " + goalOffset);
        }
        startDistractorState = startDistractorState == null ? new float[0] : startDistractorState;
        startHistory = startHistory == null ? List.of() : List.copyOf(startHistory);
        if (recordedActions != null && recordedActions.length != goalOffset) {
            throw new IllegalArgumentException("pair " + id + ": " + recordedActions.length + " recorded actions for "
                    + "goal offset " + goalOffset);
        }
    }
}
