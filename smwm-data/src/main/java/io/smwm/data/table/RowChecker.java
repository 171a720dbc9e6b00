package io.smwm.data.table;

import io.smwm.data.table.ValidationReport.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The streaming part of {@link TableValidator}: sees every row once, in file order, and checks episode structure,
 * frame order, flags, shapes and values, while hashing episodes for the fingerprint. Reference dimensions come
 * from metadata, or from the first row when metadata does not give them (-1).
 */
final class RowChecker {
    private final ValidationReport.Collector out;
    private long imageBytes;
    private int actionDim, stateDim, distractorDim;
    private final int steps;

    private final Set<Long> seen = new HashSet<>();
    /** Statistics of the data as read: actions of non-last rows, states of every row (finite, right length only). */
    final StatsAccumulator actionStats = new StatsAccumulator(-1), stateStats = new StatsAccumulator(-1);
    private final List<byte[]> hashes = new ArrayList<>();
    private boolean hashing = true;
    private long maxEpisode = -1;
    private long rows;

    // the episode being read
    private Long ep;
    private long epRows;
    private int lastFrame;
    private boolean suppressFrames;
    private boolean prevLast, prevTerminal;
    private float[] prevAction;
    private EpisodeHasher hasher;
    private String where = "";

    // the file being read
    String file;
    long fileRows, fileEpisodes, fileFirst = -1, fileLast = -1;
    private boolean[] usable;

    RowChecker(ValidationReport.Collector out, long imageBytes, int actionDim, int stateDim, int distractorDim,
               int steps) {
        this.out = out;
        this.imageBytes = imageBytes;
        this.actionDim = actionDim;
        this.stateDim = stateDim;
        this.distractorDim = distractorDim;
        this.steps = steps;
    }

    void startFile(String name, boolean[] usableColumns) {
        file = name;
        usable = usableColumns;
        fileRows = 0;
        fileEpisodes = 0;
        fileFirst = -1;
        fileLast = -1;
        for (boolean u : usableColumns) {
            hashing &= u;
        }
    }

    /** A file could not be read to its end: drop the episode in progress without judging it. */
    void fileFailed() {
        hashing = false;
        ep = null;
    }

    void row(FrameRow r) {
        rows++;
        where = file + " row " + fileRows;
        Long e = r.episodeIndex();
        if (e != null) {
            if (ep != null && e.longValue() == ep && fileRows == 0) {
                out.add(Kind.EPISODE_SPLIT_ACROSS_FILES, "episode " + e + " continues into " + file);
                fileEpisodes++;
                fileFirst = e;
            } else if (ep == null || e.longValue() != ep) {
                if (ep != null) {
                    finishEpisode();
                }
                startEpisode(e);
            }
            fileLast = e;
        }
        fileRows++;
        epRows++;
        String at = "episode " + (e == null ? "?" : e) + " frame " + r.frameIndex() + " (" + where + ")";
        Integer fi = r.frameIndex();
        if (fi != null && e != null && !suppressFrames) {
            if (fi == lastFrame) {
                out.add(Kind.DUPLICATE_FRAME, at + ": frame_index repeats");
            } else if (fi < lastFrame) {
                out.add(Kind.FRAME_OUT_OF_ORDER, at + ": follows frame " + lastFrame);
            } else if (fi > lastFrame + 1) {
                out.add(Kind.FRAME_GAP, at + ": expected frame " + (lastFrame + 1));
            }
            lastFrame = fi;
        }
        if (r.first() != null && fi != null && r.first() != (fi == 0)) {
            out.add(Kind.BAD_EPISODE_FLAGS, at + ": is_first=" + r.first());
        }
        if (prevLast && epRows > 1) {
            out.add(Kind.BAD_EPISODE_FLAGS, at + ": row after an is_last row in the same episode");
        }
        if (r.terminal() != null && r.last() != null && r.terminal() && !r.last()) {
            out.add(Kind.BAD_EPISODE_FLAGS, at + ": is_terminal without is_last");
        }
        if (r.image() != null) {
            if (imageBytes < 0) {
                imageBytes = r.image().length;
            }
            if (r.image().length != imageBytes) {
                out.add(Kind.IMAGE_SIZE_MISMATCH, at + ": " + r.image().length + " bytes, expected " + imageBytes);
            }
        }
        actionDim = dim(r.action(), actionDim, Kind.ACTION_DIM_MISMATCH, "action", at);
        stateDim = dim(r.state(), stateDim, Kind.STATE_DIM_MISMATCH, "observation_state", at);
        distractorDim = dim(r.distractor(), distractorDim, Kind.STATE_DIM_MISMATCH, "distractor_state", at);
        boolean actionOk = finite(r.action(), "action", at);
        boolean stateOk = finite(r.state(), "observation_state", at);
        finite(r.distractor(), "distractor_state", at);
        if (actionOk && r.action().length == actionDim && r.last() != null && !r.last()) {
            actionStats.add(r.action());
        }
        if (stateOk && r.state().length == stateDim) {
            stateStats.add(r.state());
        }
        if (hashing && (e == null || fi == null || r.image() == null || r.state() == null || r.distractor() == null
                || r.action() == null || r.first() == null || r.last() == null || r.terminal() == null)) {
            hashing = false;
        }
        if (hashing && hasher != null) {
            hasher.addRow(e, fi, r.image(), r.state(), r.distractor(), r.action(), r.first(), r.last(), r.terminal());
        }
        prevLast = r.last() != null && r.last();
        prevTerminal = r.terminal() != null && r.terminal();
        prevAction = r.action();
    }

    private int dim(float[] v, int ref, Kind kind, String col, String at) {
        if (v == null) {
            return ref;
        }
        if (ref < 0) {
            return v.length;
        }
        if (v.length != ref) {
            out.add(kind, at + ": " + col + " has length " + v.length + ", expected " + ref);
        }
        return ref;
    }

    /** False (and reported) if v has a NaN or Inf; false without a report if v is null. */
    private boolean finite(float[] v, String col, String at) {
        if (v == null) {
            return false;
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                out.add(Kind.NON_FINITE_VALUE, at + ": " + col + "[" + i + "] = " + v[i]);
                return false;
            }
        }
        return true;
    }

    private void startEpisode(long e) {
        suppressFrames = false;
        if (seen.contains(e)) {
            out.add(Kind.EPISODE_INTERLEAVED, "episode " + e + " reappears at " + where + " after episode " + ep);
            hashing = false;
            suppressFrames = true;
        } else if (e < maxEpisode) {
            out.add(Kind.EPISODES_NOT_ASCENDING, "episode " + e + " at " + where + " after episode " + maxEpisode);
            hashing = false;
        }
        seen.add(e);
        maxEpisode = Math.max(maxEpisode, e);
        ep = e;
        epRows = 0;
        lastFrame = -1;
        prevLast = false;
        prevTerminal = false;
        prevAction = null;
        hasher = hashing ? new EpisodeHasher() : null;
        fileEpisodes++;
        if (fileFirst < 0) {
            fileFirst = e;
        }
    }

    private void finishEpisode() {
        String at = "episode " + ep + " (ends before " + where + ")";
        if (!prevLast && usable[7]) {
            out.add(Kind.BAD_EPISODE_FLAGS, at + ": last row has is_last=false");
        }
        if (prevAction != null) {
            for (float v : prevAction) {
                if (v != 0f) {
                    out.add(Kind.LAST_ACTION_NOT_ZERO, at + ": last action " + java.util.Arrays.toString(prevAction));
                    break;
                }
            }
        }
        if (steps > 0 && !suppressFrames && (epRows > steps + 1 || (epRows < steps + 1 && !prevTerminal))) {
            out.add(Kind.EPISODE_LENGTH_MISMATCH, at + ": " + epRows + " rows, steps_per_episode=" + steps
                    + " gives " + (steps + 1) + (prevTerminal ? " at most" : " (not terminal)"));
        }
        if (hashing && hasher != null) {
            hashes.add(hasher.finish());
        }
        hasher = null;
    }

    /** Ends the last episode; call once after all files. */
    void finish() {
        where = "end of table";
        if (ep != null) {
            finishEpisode();
            ep = null;
        }
    }

    long rows() { return rows; }

    Set<Long> episodes() { return seen; }

    /** Episode hashes in order, or null when the content could not be hashed (missing columns, bad structure). */
    List<byte[]> hashes() { return hashing ? hashes : null; }

    int actionDim() { return actionDim; }
}
