package io.smwm.data.table;

import java.util.Arrays;
import java.util.Objects;

/**
 * One episode as stored in a trajectory table: T actions, T+1 frames.
 *
 * <p>Shapes: frames [T+1][H*W*3] (raw uint8 HWC), states [T+1][stateDim], distractorStates [T+1][dD] (dD may be
 * 0), actions [T+1][m] where actions[t] is a_t taken from frame t and actions[T] is all zeros. Row t has
 * is_first = (t == 0), is_last = (t == T), is_terminal = (terminal and t == T). The arrays are not copied:
 * treat an Episode as immutable.
 *
 * @param episodeIndex     the episode's index in its table
 * @param imageWidth       W
 * @param imageHeight      H
 * @param frames           o_0..o_T
 * @param states           s_0..s_T
 * @param distractorStates distractor states at each frame
 * @param actions          a_0..a_{T-1} and a zero row
 * @param terminal         true if the task ended the episode (RLDS is_terminal), false for truncation
 */
public record Episode(long episodeIndex, int imageWidth, int imageHeight, byte[][] frames, float[][] states,
                      float[][] distractorStates, float[][] actions, boolean terminal) {

    public Episode {
        if (episodeIndex < 0) {
            throw new IllegalArgumentException("episode_index must be >= 0, got " + episodeIndex);
        }
        if (imageWidth <= 0 || imageHeight <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + imageWidth + "x" + imageHeight);
        }
        Objects.requireNonNull(frames, "frames");
        int n = frames.length;
        if (n < 1) {
            throw new IllegalArgumentException("episode " + episodeIndex + " must have at least 1 frame, got 0");
        }
        long imageBytes = (long) imageWidth * imageHeight * TrajectorySchema.CHANNELS;
        for (int t = 0; t < n; t++) {
            if (frames[t] == null || frames[t].length != imageBytes) {
                throw new IllegalArgumentException("episode " + episodeIndex + " frame " + t + " must have "
                        + imageBytes + " bytes (" + imageHeight + "x" + imageWidth + "x3 HWC), got "
                        + (frames[t] == null ? "null" : frames[t].length));
            }
        }
        checkRows("states", states, n, episodeIndex);
        checkRows("distractorStates", distractorStates, n, episodeIndex);
        checkRows("actions", actions, n, episodeIndex);
        for (float v : actions[n - 1]) {
            if (v != 0f) {
                throw new IllegalArgumentException("episode " + episodeIndex + ": the last row's action must be "
                        + "all zeros (no action is taken from the last frame), got " + Arrays.toString(actions[n - 1]));
            }
        }
    }

    private static void checkRows(String what, float[][] rows, int n, long ep) {
        Objects.requireNonNull(rows, what);
        if (rows.length != n) {
            throw new IllegalArgumentException("episode " + ep + ": " + what + " must have " + n
                    + " rows (one per frame), got " + rows.length);
        }
        int dim = rows[0] == null ? -1 : rows[0].length;
        for (int t = 0; t < n; t++) {
            if (rows[t] == null || rows[t].length != dim) {
                throw new IllegalArgumentException("episode " + ep + ": " + what + "[" + t + "] must have length "
                        + dim + " like row 0, got " + (rows[t] == null ? "null" : rows[t].length));
            }
        }
    }

    /** T+1, the number of rows (frames). */
    public int frameCount() { return frames.length; }

    /** T, the number of actions taken. */
    public int steps() { return frames.length - 1; }

    public int stateDim() { return states[0].length; }

    public int distractorStateDim() { return distractorStates[0].length; }

    public int actionDim() { return actions[0].length; }

    /** Row t's is_last. */
    public boolean isLast(int t) { return t == frames.length - 1; }

    /** Row t's is_terminal. */
    public boolean isTerminal(int t) { return terminal && isLast(t); }

    /** SHA-256 over the canonical encoding of every row in order (see {@link EpisodeHasher}). */
    public byte[] contentHash() {
        EpisodeHasher h = new EpisodeHasher();
        for (int t = 0; t < frames.length; t++) {
            h.addRow(episodeIndex, t, frames[t], states[t], distractorStates[t], actions[t], t == 0, isLast(t),
                    isTerminal(t));
        }
        return h.finish();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Episode e && e.episodeIndex == episodeIndex && e.imageWidth == imageWidth
                && e.imageHeight == imageHeight && e.terminal == terminal && Arrays.deepEquals(e.frames, frames)
                && Arrays.deepEquals(e.states, states) && Arrays.deepEquals(e.distractorStates, distractorStates)
                && Arrays.deepEquals(e.actions, actions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(contentHash());
    }

    @Override
    public String toString() {
        return "Episode[index=" + episodeIndex + ", frames=" + frames.length + ", image=" + imageHeight + "x"
                + imageWidth + "x3, stateDim=" + stateDim() + ", distractorDim=" + distractorStateDim()
                + ", actionDim=" + actionDim() + ", terminal=" + terminal + "]";
    }
}
