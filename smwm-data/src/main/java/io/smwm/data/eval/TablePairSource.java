package io.smwm.data.eval;

import io.smwm.core.env.Environment;
import io.smwm.core.render.RgbImage;
import io.smwm.core.eval.MinGoalDistance;
import io.smwm.core.eval.PairSource;
import io.smwm.core.eval.StartGoalPair;
import io.smwm.core.util.Seeds;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Start/goal pairs from held-out episodes of a trajectory table (the paper's evaluation protocol): pair i picks a held-out
 * episode and a start frame t uniformly (seeded) such that t + goalOffset is in the episode; the start is the
 * stored state (task and distractor) at t, the goal the frame and task state at t + goalOffset, and the recorded
 * actions a_t..a_{t+goalOffset-1} the route the data took (for failure diagnosis), and up to
 * {@code historyFrames} recorded frames before t (for models that see a frame history). Only the chosen
 * episodes are kept in memory.
 *
 * <p>With a {@link MinGoalDistance} ({@code --min-goal-distance}), pairs are drawn only among the eligible ones: every
 * (held-out episode, start frame t) whose start state is farther from the state at t + goalOffset than the bound
 * (see {@link MinGoalDistance#admits}, on an env of the table's task). One pass over the held-out episodes
 * lists them; {@code n} distinct ones are drawn uniformly without replacement (seeded, so the same (n, seed) gives
 * the same pairs in the same order), and fewer than {@code n} eligible ones is a {@link UserError} that says how
 * many there are. Episodes shorter than the goal offset hold none. Without a bound the sampling is the one
 * above, unchanged.
 */
public final class TablePairSource implements PairSource {
    private final String tablePath;
    private final EpisodeSplit split;
    private final int goalOffset;
    private final TableMetadata meta;
    private final int historyFrames;
    private final MinGoalDistance minGoalDistance;
    private final Supplier<Environment> envs;

    /** @param split the run's episode split; its validation episodes are used (all episodes if it has none) */
    public TablePairSource(String tablePath, EpisodeSplit split, int goalOffset) throws IOException {
        this(tablePath, split, goalOffset, 0);
    }

    /**
     * @param split         the run's episode split; its validation episodes are used (all episodes if it has none)
     * @param historyFrames frames before each start to keep ({@code model.history − 1}); the same pairs are drawn
     *                      whatever this is
     */
    public TablePairSource(String tablePath, EpisodeSplit split, int goalOffset, int historyFrames)
            throws IOException {
        this(tablePath, split, goalOffset, historyFrames, null, null);
    }

    /**
     * @param split           the run's episode split; its validation episodes are used (all episodes if it has
     *                        none)
     * @param historyFrames   frames before each start to keep ({@code model.history − 1}); the same pairs are drawn
     *                        whatever this is
     * @param minGoalDistance draw only pairs whose start-goal distance it admits; null: every pair, as the other
     *                        constructors do
     * @param envs            fresh envs of the table's task, to measure start-goal distances; needed only with a
     *                        {@code minGoalDistance}
     */
    public TablePairSource(String tablePath, EpisodeSplit split, int goalOffset, int historyFrames,
                           MinGoalDistance minGoalDistance, Supplier<Environment> envs) throws IOException {
        if (minGoalDistance != null && envs == null) {
            throw new IllegalArgumentException("a minimum start-goal distance needs the task's envs to measure it");
        }
        this.minGoalDistance = minGoalDistance;
        this.envs = envs;
        if (historyFrames < 0) {
            throw new IllegalArgumentException("historyFrames must be >= 0, got " + historyFrames);
        }
        this.historyFrames = historyFrames;
        this.tablePath = tablePath;
        this.split = split;
        this.goalOffset = goalOffset;
        try (TrajectoryReader r = TrajectoryReader.open(tablePath)) {
            this.meta = r.metadata();
        }
        if (meta.stepsPerEpisode() > 0 && meta.stepsPerEpisode() < goalOffset) { // 0: lengths vary, checked per pair
            throw new UserError("goal offset " + goalOffset + " is longer than the table's episodes ("
                    + meta.stepsPerEpisode() + " steps); use a smaller --goal-offset or longer episodes");
        }
    }

    @Override
    public int goalOffset() { return goalOffset; }

    @Override
    public String description() {
        String d = tablePath + " (" + meta.fingerprint() + "), " + (split.validationEpisodes() > 0
                ? split.validationEpisodes() + " held-out episodes" : "all " + meta.episodes() + " episodes");
        return minGoalDistance == null ? d
                : d + ", only pairs with " + minGoalDistance.describe(envs.get().goalErrorSpec());
    }

    @Override
    public MinGoalDistance minGoalDistance() {
        return minGoalDistance;
    }

    @Override
    public List<StartGoalPair> sample(int n, long seed) {
        List<Long> pool = new ArrayList<>();
        for (long e = 0; e < meta.episodes(); e++) {
            if (split.validationEpisodes() == 0 || split.isValidation(e)) {
                pool.add(e);
            }
        }
        if (minGoalDistance != null) {
            return sampleFar(pool, n, seed);
        }
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "table-pairs", goalOffset));
        long[] ep = new long[n];
        double[] u = new double[n];
        Map<Long, Episode> needed = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ep[i] = pool.get(rng.nextInt(pool.size()));
            u[i] = rng.nextDouble();
            needed.put(ep[i], null);
        }
        readEpisodes(needed);
        List<StartGoalPair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Episode e = needed.get(ep[i]);
            int last = e.frameCount() - 1 - goalOffset;
            if (last < 0) {
                throw new UserError("episode " + e.episodeIndex() + " has " + (e.frameCount() - 1)
                        + " steps, fewer than the goal offset " + goalOffset);
            }
            int t = (int) Math.min(last, Math.floor(u[i] * (last + 1)));
            out.add(pair(e, t));
        }
        return out;
    }

    /**
     * The filtered draw: lists every eligible (episode, start) of the pool in table order, draws n distinct ones
     * by a seeded partial Fisher-Yates shuffle, then reads the chosen episodes again for their frames.
     */
    private List<StartGoalPair> sampleFar(List<Long> pool, int n, long seed) {
        Set<Long> inPool = new HashSet<>(pool);
        Environment env = envs.get();
        long[] candEp = new long[1024];
        int[] candT = new int[1024];
        int count = 0;
        long starts = 0;
        try (TrajectoryReader r = TrajectoryReader.open(tablePath)) {
            for (Iterator<Episode> it = r.episodes(); it.hasNext(); ) {
                Episode e = it.next();
                if (!inPool.contains(e.episodeIndex())) {
                    continue;
                }
                float[][] st = e.states();
                for (int t = 0; t + goalOffset < e.frameCount(); t++) {
                    starts++;
                    if (minGoalDistance.admits(env, st[t], st[t + goalOffset])) {
                        if (count == candEp.length) {
                            candEp = Arrays.copyOf(candEp, 2 * count);
                            candT = Arrays.copyOf(candT, 2 * count);
                        }
                        candEp[count] = e.episodeIndex();
                        candT[count] = t;
                        count++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + tablePath, e);
        }
        if (count < n) {
            throw new UserError(String.format(Locale.ROOT, "--min-goal-distance %s: only %d of the %d start frames "
                            + "of the %d %s (goal offset %d) have %s, fewer than the %d pairs asked for (--episodes); "
                            + "lower --min-goal-distance or --episodes, or use a table with more episodes",
                    minGoalDistance.value(), count, starts, pool.size(),
                    split.validationEpisodes() > 0 ? "held-out episodes" : "episodes", goalOffset,
                    minGoalDistance.describe(env.goalErrorSpec()), n));
        }
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "table-pairs-min-goal-distance", goalOffset));
        long[] ep = new long[n];
        int[] ts = new int[n];
        Map<Long, Episode> needed = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(count - i);
            long e = candEp[j];
            int t = candT[j];
            candEp[j] = candEp[i];
            candT[j] = candT[i];
            candEp[i] = e;
            candT[i] = t;
            ep[i] = e;
            ts[i] = t;
            needed.put(e, null);
        }
        readEpisodes(needed);
        List<StartGoalPair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(pair(needed.get(ep[i]), ts[i]));
        }
        return out;
    }

    /** The pair starting at frame t of episode e. */
    private StartGoalPair pair(Episode e, int t) {
        return new StartGoalPair(String.format("ep%06d@t%d", e.episodeIndex(), t), e.states()[t].clone(),
                e.distractorStates()[t].clone(),
                new RgbImage(e.imageWidth(), e.imageHeight(), e.frames()[t + goalOffset].clone()),
                e.states()[t + goalOffset].clone(), goalOffset, recorded(e, t), history(e, t));
    }

    /** The recorded frames max(0, t − historyFrames) .. t − 1, oldest first. */
    private List<RgbImage> history(Episode e, int t) {
        List<RgbImage> h = new ArrayList<>();
        for (int i = Math.max(0, t - historyFrames); i < t; i++) {
            h.add(new RgbImage(e.imageWidth(), e.imageHeight(), e.frames()[i].clone()));
        }
        return h;
    }

    /** a_t .. a_{t+goalOffset-1}: the recorded route from the start to the goal, [goalOffset][m]. */
    private float[][] recorded(Episode e, int t) {
        float[][] a = new float[goalOffset][];
        for (int i = 0; i < goalOffset; i++) {
            a[i] = e.actions()[t + i].clone();
        }
        return a;
    }

    /** Fills {@code needed}'s values with the table's episodes of its keys (episode indices), in one pass. */
    private void readEpisodes(Map<Long, Episode> needed) {
        try (TrajectoryReader r = TrajectoryReader.open(tablePath)) {
            for (Iterator<Episode> it = r.episodes(); it.hasNext(); ) {
                Episode e = it.next();
                if (needed.containsKey(e.episodeIndex())) {
                    needed.put(e.episodeIndex(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + tablePath, e);
        }
    }
}
