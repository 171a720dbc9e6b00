package io.smwm.data.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a table's metadata says about its content, accumulated row by row in table order: per-file episode ranges
 * and counts, each episode's content hash (so the fingerprint equals the validator's), action and state statistics,
 * shapes, and episode lengths. Used wherever a table's {@code meta/} is built from data: {@code TableSink} (importers),
 * {@code table finalize} and {@code table append}. It checks nothing: run {@link TableValidator} on the result.
 *
 * <p>Rows of one episode must come consecutively; a new episode_index starts a new episode. Call
 * {@link #startFile} before a file's rows and {@link #endFile} after them. Not thread-safe.
 */
public final class ContentSummary {
    private final List<TableMetadata.FileEntry> files = new ArrayList<>();
    private final List<byte[]> hashes = new ArrayList<>();
    private final StatsAccumulator actionStats = new StatsAccumulator(-1);
    private final StatsAccumulator stateStats = new StatsAccumulator(-1);
    private int imageBytes = -1, actionDim = -1, stateDim = -1, distractorDim = -1;
    private int maxSteps = -1;
    private boolean truncatedShorter; // a non-terminal episode shorter than another episode
    private int minTruncatedSteps = Integer.MAX_VALUE, maxTruncatedSteps = -1;
    private long episodes, frames;

    private String file;
    private long fileFirst = -1, fileLast = -1, fileEpisodes, fileFrames;
    private Long ep;
    private int epRows;
    private boolean epTerminal;
    private EpisodeHasher hasher;

    /** Starts the rows of data file relPath ("data/part-00000.parquet"). */
    public void startFile(String relPath) {
        endEpisode();
        file = relPath;
        fileFirst = -1;
        fileLast = -1;
        fileEpisodes = 0;
        fileFrames = 0;
    }

    /** One row; arrays are read, not kept. */
    public void row(long episodeIndex, int frameIndex, byte[] image, float[] state, float[] distractor, float[] action,
                    boolean first, boolean last, boolean terminal) {
        if (file == null) {
            throw new IllegalStateException("startFile before the rows of a file");
        }
        if (ep == null || ep != episodeIndex) {
            endEpisode();
            ep = episodeIndex;
            epRows = 0;
            hasher = new EpisodeHasher();
            fileEpisodes++;
            if (fileFirst < 0) {
                fileFirst = episodeIndex;
            }
            fileLast = episodeIndex;
        }
        hasher.addRow(episodeIndex, frameIndex, image, state, distractor, action, first, last, terminal);
        epRows++;
        epTerminal = terminal;
        fileFrames++;
        frames++;
        if (imageBytes < 0) {
            imageBytes = image.length;
            actionDim = action.length;
            stateDim = state.length;
            distractorDim = distractor.length;
        }
        if (state.length == stateDim) {
            stateStats.add(state);
        }
        if (!last && action.length == actionDim) {
            actionStats.add(action);
        }
    }

    /** Every row of e, in order. */
    public void episode(Episode e) {
        for (int t = 0; t < e.frameCount(); t++) {
            row(e.episodeIndex(), t, e.frames()[t], e.states()[t], e.distractorStates()[t], e.actions()[t], t == 0,
                    e.isLast(t), e.isTerminal(t));
        }
    }

    /** Ends the current file (and its last episode). */
    public void endFile() {
        endEpisode();
        if (file != null) {
            files.add(new TableMetadata.FileEntry(file, fileFirst, fileLast, fileEpisodes, fileFrames));
        }
        file = null;
    }

    private void endEpisode() {
        if (ep == null) {
            return;
        }
        hashes.add(hasher.finish());
        episodes++;
        int steps = epRows - 1;
        maxSteps = Math.max(maxSteps, steps);
        if (!epTerminal) {
            minTruncatedSteps = Math.min(minTruncatedSteps, steps);
            maxTruncatedSteps = Math.max(maxTruncatedSteps, steps);
        }
        ep = null;
        hasher = null;
    }

    public List<TableMetadata.FileEntry> files() { return List.copyOf(files); }

    /** Episode content hashes in table order. */
    public List<byte[]> hashes() { return List.copyOf(hashes); }

    public String fingerprint() { return Fingerprint.of(hashes); }

    public long episodes() { return episodes; }

    public long frames() { return frames; }

    /** Bytes of the first row's image (-1 before any row). */
    public int imageBytes() { return imageBytes; }

    public int actionDim() { return actionDim; }

    public int stateDim() { return stateDim; }

    public int distractorDim() { return distractorDim; }

    public StatsAccumulator actionStats() { return actionStats; }

    public StatsAccumulator stateStats() { return stateStats; }

    /**
     * steps_per_episode: T when every non-terminal episode has T steps and none has more; 0 ("lengths vary") when
     * truncated episodes differ in length or one is shorter than another episode.
     */
    public int stepsPerEpisode() {
        if (maxSteps < 0) {
            return 0;
        }
        boolean uniform = maxTruncatedSteps < 0 || (minTruncatedSteps == maxTruncatedSteps && maxTruncatedSteps == maxSteps);
        return uniform ? maxSteps : 0;
    }

    /**
     * The table's metadata from this content and a description of what the data cannot tell.
     *
     * @param height image height H (H·W·3 must equal {@link #imageBytes()})
     * @param width  image width W
     */
    public TableMetadata metadata(TableDescription d, int height, int width) {
        if (height * width * TrajectorySchema.CHANNELS != imageBytes) {
            throw new IllegalArgumentException("images of " + imageBytes + " bytes are not " + height + "x" + width
                    + "x3");
        }
        endEpisode();
        int m = Math.max(actionDim, 0);
        float[] low = d.actionLow(), high = d.actionHigh();
        if (low == null || high == null) {
            low = new float[m];
            high = new float[m];
            double[] mn = actionStats.min(), mx = actionStats.max();
            for (int i = 0; i < m; i++) {
                boolean seen = actionStats.count() > 0;
                low[i] = seen ? (float) mn[i] : -1f;
                high[i] = seen ? (float) mx[i] : 1f;
            }
        }
        List<String> names = d.stateNames();
        if (names == null || names.size() != stateDim) {
            names = new ArrayList<>();
            for (int i = 0; i < stateDim; i++) {
                names.add("s" + i);
            }
        }
        return new TableMetadata(TrajectorySchema.FORMAT, TrajectorySchema.FORMAT_VERSION, d.env(),
                new TableMetadata.Image(height, width, TrajectorySchema.CHANNELS, TrajectorySchema.IMAGE_ENCODING),
                new TableMetadata.Action(m, low, high), new TableMetadata.State(Math.max(stateDim, 0), names),
                new TableMetadata.DistractorState(Math.max(distractorDim, 0)), d.frameskip(), episodes, frames,
                stepsPerEpisode(), d.generator(), fingerprint(), files);
    }

    /** meta/stats.json of this content. */
    public TableStats stats() {
        StatsAccumulator a = actionDim < 0 ? actionStats : new StatsAccumulator(actionDim).merge(actionStats);
        StatsAccumulator s = stateDim < 0 ? stateStats : new StatsAccumulator(stateDim).merge(stateStats);
        return TableStats.of(a, s);
    }

    @Override
    public String toString() {
        return "ContentSummary[episodes=" + episodes + ", frames=" + frames + ", files=" + files.size() + ", dims="
                + Arrays.toString(new int[] {imageBytes, actionDim, stateDim, distractorDim}) + "]";
    }
}
