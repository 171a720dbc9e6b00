package io.smwm.core.eval;

import java.util.List;

/**
 * What acts in evaluation episodes: a planner in a receding-horizon loop, or a baseline. The
 * {@link EpisodeRunner} runs E episodes in lock-step and asks the controller for the next chunk of primitive
 * actions of every episode whose previous chunk is used up, all in one call, so planning is batched across
 * episodes.
 */
public interface Controller {

    /** The method's name in reports ("cem", "mppi", "random"). */
    String name();

    /** True if {@link #act} needs the latents of the current frames. */
    boolean needsLatents();

    /**
     * Starts a batch of episodes.
     *
     * @param pairs       the episodes' start/goal pairs (episode e = pairs.get(e))
     * @param goalLatents z_g of each pair, flat [E, D]; null if {@link #needsLatents()} is false
     * @param seed        the run's seed for this batch; per-episode streams derive from it and the episode index
     */
    default void begin(List<StartGoalPair> pairs, float[] goalLatents, long seed) {
        begin(pairs, goalLatents, seed, 0);
    }

    /**
     * Starts a batch of episodes that is the contiguous slice [firstEpisode, firstEpisode + pairs.size()) of a
     * longer pair list. Per-episode streams must derive from the seed and the GLOBAL index firstEpisode + e only
     * (never from the slice's size or its other episodes), so that evaluating the list in slices, e.g. on Spark
     * executors, replays every episode exactly as evaluating it in one batch does.
     *
     * @param firstEpisode global index of pairs.get(0), &gt;= 0
     */
    void begin(List<StartGoalPair> pairs, float[] goalLatents, long seed, int firstEpisode);

    /**
     * The next primitive actions of the listed episodes.
     *
     * @param episodes indices of the episodes to act for (into the begin() pairs)
     * @param latents  the planning states of those episodes, flat [episodes.length, c·D]: z_t of the current
     *                 frame, preceded for a model with context c &gt; 1 by the latents of the frames k, 2k, … env
     *                 steps earlier, oldest first ({@link io.smwm.core.plan.LatentModel#stateDim()}); null if not
     *                 needed
     * @return per listed episode, a chunk of primitive actions [steps][m] (steps &gt;= 1) to execute in order
     */
    float[][][] act(int[] episodes, float[] latents);

    /**
     * The model's predicted costs of the plans returned by the last {@link #act} call, one per listed episode in
     * the same order, or null for controllers that do not plan (baselines).
     */
    default double[] lastPlanCosts() {
        return null;
    }

    /**
     * The model's predicted terminal cost of episode e's recorded actions (see {@link EpisodeRecord#demoCost}),
     * known after the episode's first {@link #act}; NaN if not computed.
     */
    default double demoCost(int episode) {
        return Double.NaN;
    }
}
