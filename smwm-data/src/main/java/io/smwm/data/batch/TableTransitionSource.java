package io.smwm.data.batch;

import io.smwm.core.train.TransitionBatch;
import io.smwm.core.train.TransitionSource;
import io.smwm.core.util.Seeds;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.LongPredicate;
import org.apache.hadoop.conf.Configuration;

/**
 * Training transitions streamed from a trajectory table, never loading it whole.
 *
 * <p>A transition of frameskip k from episode frames 0..T is (o_t, a_t ‖ a_{t+1} ‖ … ‖ a_{t+k-1}, o_{t+k}) for
 * t = 0..T-k: the model action is the k primitive actions concatenated, [k·m]. Each epoch visits the table's
 * files in an order shuffled from (seed, epoch), keeps the episodes selected by the filter (a train or
 * validation {@link EpisodeSplit}) and shuffles transitions through a buffer of {@code shuffleBuffer}
 * transitions before cutting batches. Frames are shared between transitions (no copies). With a model context
 * c > 1 ({@code model.context}) o_t is the frames t−(c−1)k, …, t−k, t concatenated, oldest first (the episode's
 * first frame repeated for indices before its start); o_{t+k} stays one frame.
 * With a chunk length L &gt; 1 ({@code train.chunk}) the shuffled unit is a run of up to L consecutive model steps of
 * one episode (t, t+k, …, t+(L−1)k; an episode's transitions are cut into such runs for each t mod k), and batches
 * are filled with the runs' transitions in order (a run that does not fit finishes the next batch), so transitions
 * in a batch share frames; every transition is still visited once per epoch. L = 1 gives exactly the batches of a
 * source without chunks. The run length may change from epoch to epoch ({@code train.chunkFromEpoch}: a schedule
 * given to the constructor).
 * Deterministic: the same (epoch, batchSize, seed) gives the same batches.
 */
public final class TableTransitionSource implements TransitionSource {
    private final Configuration conf;
    private final String tablePath;
    private final LongPredicate keepEpisode;
    private final int frameskip;
    private final int shuffleBuffer;
    private final boolean withStates;
    private final TableMetadata meta;
    private final int[] files; // the file indices this source reads, ascending
    private final int context;
    private final IntUnaryOperator chunkOfEpoch; // epoch (1-based) -> run length L >= 1
    private volatile long exactSize = -1;

    /**
     * @param tablePath     the table directory
     * @param keepEpisode   which episode indices to use (e.g. {@code split::isTraining})
     * @param frameskip     k, primitive steps per model step
     * @param shuffleBuffer transitions held for shuffling (memory: about 2 frames' worth per 100 transitions,
     *                      since frames are shared; 4096 is a good default)
     * @param withStates    attach the true state s_t to each transition (for diagnostics)
     */
    public TableTransitionSource(String tablePath, LongPredicate keepEpisode, int frameskip, int shuffleBuffer,
                                 boolean withStates) throws IOException {
        this(tablePath, keepEpisode, frameskip, shuffleBuffer, withStates, null);
    }

    /**
     * A source over a subset of the table's files, opened with a default Hadoop {@code new Configuration()}; see
     * {@link #TableTransitionSource(Configuration, String, LongPredicate, int, int, boolean, int[])}.
     */
    public TableTransitionSource(String tablePath, LongPredicate keepEpisode, int frameskip, int shuffleBuffer,
                                 boolean withStates, int[] files) throws IOException {
        this(new Configuration(), tablePath, keepEpisode, frameskip, shuffleBuffer, withStates, files);
    }

    /**
     * A source over a subset of the table's files (a training partition: episodes never straddle files). Each epoch
     * shuffles the order of these files with the same draws as the all-files source, so a subset equal to every
     * file gives exactly the batches of the all-files constructor.
     *
     * @param conf  the Hadoop configuration every read of the table uses (the metadata here, the part files in
     *              each epoch): on a Spark executor, the driver's (see io.smwm.spark.hadoop.ShippedHadoopConf)
     * @param files the file indices (into {@link TableMetadata#files()}) to read; null = every file
     */
    public TableTransitionSource(Configuration conf, String tablePath, LongPredicate keepEpisode, int frameskip,
                                 int shuffleBuffer, boolean withStates, int[] files) throws IOException {
        this(conf, tablePath, keepEpisode, frameskip, shuffleBuffer, withStates, files, 1);
    }

    /**
     * As {@link #TableTransitionSource(Configuration, String, LongPredicate, int, int, boolean, int[])}, with
     * o_t carrying {@code context} frames ({@code model.context}).
     */
    public TableTransitionSource(Configuration conf, String tablePath, LongPredicate keepEpisode, int frameskip,
                                 int shuffleBuffer, boolean withStates, int[] files, int context) throws IOException {
        this(conf, tablePath, keepEpisode, frameskip, shuffleBuffer, withStates, files, context, 1);
    }

    /**
     * As {@link #TableTransitionSource(Configuration, String, LongPredicate, int, int, boolean, int[], int)}, with
     * batches cut from runs of {@code chunk} consecutive model steps ({@code train.chunk}; 1 = single transitions).
     * The shuffle buffer then holds shuffleBuffer / chunk runs (at least one).
     */
    public TableTransitionSource(Configuration conf, String tablePath, LongPredicate keepEpisode, int frameskip,
                                 int shuffleBuffer, boolean withStates, int[] files, int context, int chunk)
            throws IOException {
        this(conf, tablePath, keepEpisode, frameskip, shuffleBuffer, withStates, files, context, checkChunk(chunk));
    }

    /**
     * As {@link #TableTransitionSource(Configuration, String, LongPredicate, int, int, boolean, int[], int, int)},
     * with the run length of each epoch given by {@code chunkOfEpoch} (epoch, 1-based, to L &ge; 1; e.g.
     * {@code TrainConfig::chunkAt}); a value below 1 is refused when that epoch's batches are asked for.
     */
    public TableTransitionSource(Configuration conf, String tablePath, LongPredicate keepEpisode, int frameskip,
                                 int shuffleBuffer, boolean withStates, int[] files, int context,
                                 IntUnaryOperator chunkOfEpoch) throws IOException {
        this.chunkOfEpoch = java.util.Objects.requireNonNull(chunkOfEpoch, "chunkOfEpoch");
        this.conf = java.util.Objects.requireNonNull(conf, "conf");
        if (context < 1) {
            throw new IllegalArgumentException("context must be >= 1, got " + context);
        }
        this.context = context;
        if (frameskip < 1) {
            throw new IllegalArgumentException("frameskip must be >= 1, got " + frameskip);
        }
        if (shuffleBuffer < 1) {
            throw new IllegalArgumentException("shuffle buffer must be >= 1, got " + shuffleBuffer);
        }
        this.tablePath = tablePath;
        this.keepEpisode = keepEpisode;
        this.frameskip = frameskip;
        this.shuffleBuffer = shuffleBuffer;
        this.withStates = withStates;
        try (TrajectoryReader r = TrajectoryReader.open(conf, tablePath)) {
            this.meta = r.metadata();
        }
        int n = meta.files().size();
        if (files == null) {
            this.files = java.util.stream.IntStream.range(0, n).toArray();
        } else {
            this.files = files.clone();
            java.util.Arrays.sort(this.files);
            for (int i = 0; i < this.files.length; i++) {
                if (this.files[i] < 0 || this.files[i] >= n || (i > 0 && this.files[i] == this.files[i - 1])) {
                    throw new IllegalArgumentException("file indices must be distinct and in [0, " + n + "), got "
                            + java.util.Arrays.toString(files));
                }
            }
        }
    }

    /** The file indices this source reads (ascending; a copy). */
    public int[] files() {
        return files.clone();
    }

    public TableMetadata metadata() {
        return meta;
    }

    /**
     * Number of transitions: exact after the first full epoch, before that an estimate from the metadata (each
     * file's frames less frameskip per episode, times the share of its episodes kept; exact for episodes of equal
     * length).
     */
    @Override
    public long size() {
        if (exactSize >= 0) {
            return exactSize;
        }
        long total = 0;
        for (int f : files) {
            TableMetadata.FileEntry fe = meta.files().get(f);
            long kept = 0;
            for (long e = fe.firstEpisode(); e <= fe.lastEpisode(); e++) {
                kept += keepEpisode.test(e) ? 1 : 0;
            }
            if (fe.episodes() > 0) {
                total += kept * Math.max(0, fe.frames() - fe.episodes() * frameskip) / fe.episodes();
            }
        }
        return total;
    }

    /** Batches of runs of {@code chunkAt(epoch)} model steps (1 = single transitions); see the class comment. */
    @Override
    public Iterator<TransitionBatch> epoch(int epoch, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int chunk = chunkOfEpoch.applyAsInt(epoch);
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk of epoch " + epoch + " must be >= 1, got " + chunk);
        }
        return new EpochIterator(epoch, batchSize, new SplittableRandom(Seeds.derive(seed, "epoch", epoch)), chunk,
                Math.max(1, shuffleBuffer / chunk));
    }

    private static IntUnaryOperator checkChunk(int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        return epoch -> chunk;
    }

    /**
     * Every transition once, batches filled with each episode's transitions in order (for each t mod k: t, t+k, …),
     * episodes in file order within files taken in a fixed shuffled order, no transition shuffle: with context c a
     * batch of B consecutive transitions holds about B + c distinct frames instead of B·(c+1).
     */
    @Override
    public Iterator<TransitionBatch> inOrder(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return new EpochIterator(0, batchSize, new SplittableRandom(Seeds.derive(0L, "epoch", 0)), WHOLE_EPISODE, 1);
    }

    /** A run length no episode reaches (and small enough that adding it to a step index cannot overflow). */
    private static final int WHOLE_EPISODE = 1 << 24;

    /**
     * The context observation at frame t: frames t−(c−1)·stride, …, t concatenated, oldest first, frame 0 repeated
     * for indices before the episode's start; the frame itself (not a copy) when c = 1.
     */
    public static byte[] contextFrames(byte[][] frames, int t, int c, int stride) {
        if (c == 1) {
            return frames[t];
        }
        int n = frames[t].length;
        byte[] out = new byte[n * c];
        for (int f = 0; f < c; f++) {
            System.arraycopy(frames[Math.max(0, t - (c - 1 - f) * stride)], 0, out, f * n, n);
        }
        return out;
    }

    /** A run of n transitions t, t+k, …, t+(n−1)k of one episode: references into its arrays. */
    private record Ref(Episode episode, int t, int n) {}

    private final class EpochIterator implements Iterator<TransitionBatch> {
        private final int batchSize;
        private final SplittableRandom rng;
        private final int[] fileOrder;
        private int nextFile = 0;
        private TrajectoryReader reader;
        private Iterator<Episode> episodes = java.util.Collections.emptyIterator();
        private final ArrayDeque<Ref> pending = new ArrayDeque<>(); // transitions of the current episode
        private final List<Ref> buffer = new ArrayList<>();
        private final int runLength; // transitions per shuffled run (chunk, or a whole episode in order)
        private final int bufferRuns;
        private Ref carry; // the rest of a run that did not fit the last batch
        private long emitted = 0;
        private TransitionBatch next;

        EpochIterator(int epoch, int batchSize, SplittableRandom rng, int runLength, int bufferRuns) {
            this.batchSize = batchSize;
            this.runLength = runLength;
            this.bufferRuns = bufferRuns;
            this.rng = rng;
            int n = files.length;
            fileOrder = files.clone();
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = fileOrder[i];
                fileOrder[i] = fileOrder[j];
                fileOrder[j] = t;
            }
        }

        /** The next transition from the table (file order shuffled), or null at the end. */
        private Ref pull() {
            try {
                while (pending.isEmpty()) {
                    if (episodes.hasNext()) {
                        Episode e = episodes.next();
                        if (keepEpisode.test(e.episodeIndex())) {
                            addRuns(e);
                        }
                    } else if (nextFile < fileOrder.length) {
                        if (reader == null) {
                            reader = TrajectoryReader.open(conf, tablePath);
                        }
                        episodes = reader.episodes(fileOrder[nextFile++]);
                    } else {
                        if (reader != null) {
                            reader.close();
                            reader = null;
                        }
                        return null;
                    }
                }
                return pending.poll();
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + tablePath + ": " + e.getMessage(), e);
            }
        }

        /** The episode's transitions t = 0 .. T−k as runs of up to {@code chunk} model steps (t ascending when 1). */
        private void addRuns(Episode e) {
            int transitions = e.frames().length - frameskip;
            if (runLength == 1) {
                for (int t = 0; t < transitions; t++) {
                    pending.add(new Ref(e, t, 1));
                }
                return;
            }
            for (int r = 0; r < Math.min(frameskip, transitions); r++) {
                int steps = (transitions - 1 - r) / frameskip + 1; // t = r, r+k, ... < transitions
                for (int i = 0; i < steps; i += runLength) {
                    pending.add(new Ref(e, r + i * frameskip, Math.min(runLength, steps - i)));
                }
            }
        }

        /** Fills the shuffle buffer, then swaps a random element out for each new one (reservoir-style). */
        private Ref draw() {
            while (buffer.size() < bufferRuns) {
                Ref r = pull();
                if (r == null) {
                    break;
                }
                buffer.add(r);
            }
            if (buffer.isEmpty()) {
                return null;
            }
            int i = rng.nextInt(buffer.size());
            Ref out = buffer.get(i);
            Ref last = buffer.remove(buffer.size() - 1);
            if (i < buffer.size()) {
                buffer.set(i, last);
            }
            return out;
        }

        private TransitionBatch makeBatch() {
            List<Ref> refs = new ArrayList<>(batchSize); // single transitions (n = 1)
            while (refs.size() < batchSize) {
                Ref r = carry != null ? carry : draw();
                carry = null;
                if (r == null) {
                    break;
                }
                int take = Math.min(r.n(), batchSize - refs.size());
                for (int i = 0; i < take; i++) {
                    refs.add(new Ref(r.episode(), r.t() + i * frameskip, 1));
                }
                if (take < r.n()) {
                    carry = new Ref(r.episode(), r.t() + take * frameskip, r.n() - take);
                }
            }
            if (refs.isEmpty()) {
                exactSize = emitted;
                return null;
            }
            emitted += refs.size();
            int b = refs.size();
            byte[][] o = new byte[b][], ok = new byte[b][];
            float[][] a = new float[b][];
            float[][] s = withStates ? new float[b][] : null;
            for (int i = 0; i < b; i++) {
                Ref r = refs.get(i);
                Episode e = r.episode();
                o[i] = contextFrames(e.frames(), r.t(), context, frameskip);
                ok[i] = e.frames()[r.t() + frameskip];
                a[i] = TrainingData.modelAction(e, r.t(), frameskip);
                if (s != null) {
                    s[i] = e.states()[r.t()];
                }
            }
            return new TransitionBatch(o, a, ok, s);
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = makeBatch();
            }
            return next != null;
        }

        @Override
        public TransitionBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            TransitionBatch b = next;
            next = null;
            return b;
        }
    }
}
