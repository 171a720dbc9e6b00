package io.smwm.data.eval;

import io.smwm.core.render.RgbImage;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Start/goal pairs from held-out episodes of a trajectory table (the paper's evaluation protocol): pair i picks a held-out
 * episode and a start frame t uniformly (seeded) such that t + goalOffset is in the episode; the start is the
 * stored state (task and distractor) at t, the goal the frame and task state at t + goalOffset, and the recorded
 * actions a_t..a_{t+goalOffset-1} the route the data took (for failure diagnosis), and up to
 * {@code historyFrames} recorded frames before t (for models that see a frame history). Only the chosen
 * episodes are kept in memory.
 */
public final class TablePairSource implements PairSource {
    private final String tablePath;
    private final EpisodeSplit split;
    private final int goalOffset;
    private final TableMetadata meta;
    private final int historyFrames;

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
        return tablePath + " (" + meta.fingerprint() + "), " + (split.validationEpisodes() > 0
                ? split.validationEpisodes() + " held-out episodes" : "all " + meta.episodes() + " episodes");
    }

    @Override
    public List<StartGoalPair> sample(int n, long seed) {
        List<Long> pool = new ArrayList<>();
        for (long e = 0; e < meta.episodes(); e++) {
            if (split.validationEpisodes() == 0 || split.isValidation(e)) {
                pool.add(e);
            }
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
        List<StartGoalPair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Episode e = needed.get(ep[i]);
            int last = e.frameCount() - 1 - goalOffset;
            if (last < 0) {
                throw new UserError("episode " + e.episodeIndex() + " has " + (e.frameCount() - 1)
                        + " steps, fewer than the goal offset " + goalOffset);
            }
            int t = (int) Math.min(last, Math.floor(u[i] * (last + 1)));
            out.add(new StartGoalPair(String.format("ep%06d@t%d", e.episodeIndex(), t), e.states()[t].clone(),
                    e.distractorStates()[t].clone(),
                    new RgbImage(e.imageWidth(), e.imageHeight(), e.frames()[t + goalOffset].clone()),
                    e.states()[t + goalOffset].clone(), goalOffset, recorded(e, t), history(e, t)));
        }
        return out;
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
}
