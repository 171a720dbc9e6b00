package io.smwm.data.batch;

import io.smwm.core.util.Seeds;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A seeded train/validation split by whole episodes (never by frame, so no validation frame has a training
 * neighbour). Exactly {@code round(valFraction * episodes)} episodes are held out, chosen by a seeded
 * permutation of the episode indices [0, episodes).
 */
public final class EpisodeSplit {
    private final long episodes;
    private final BitSet validation;
    private final long seed;
    private final double valFraction;

    private EpisodeSplit(long episodes, BitSet validation, long seed, double valFraction) {
        this.episodes = episodes;
        this.validation = validation;
        this.seed = seed;
        this.valFraction = valFraction;
    }

    /**
     * @param episodes    number of episodes, indexed 0..episodes-1 (as in generated tables)
     * @param valFraction share held out, in [0, 1)
     * @param seed        split seed (derived from the run's root seed)
     */
    public static EpisodeSplit of(long episodes, double valFraction, long seed) {
        if (episodes < 1 || episodes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("split: episodes must be in [1, 2^31), got " + episodes);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("train.val_fraction must be in [0, 1), got " + valFraction);
        }
        int n = (int) episodes;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "episode-split"));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int nVal = (int) Math.round(valFraction * n);
        if (valFraction > 0 && nVal == 0 && n > 1) {
            nVal = 1;
        }
        BitSet val = new BitSet(n);
        for (int i = 0; i < nVal; i++) {
            val.set(perm[i]);
        }
        return new EpisodeSplit(episodes, val, seed, valFraction);
    }

    public boolean isValidation(long episodeIndex) {
        return episodeIndex >= 0 && episodeIndex < episodes && validation.get((int) episodeIndex);
    }

    /**
     * The held-out episodes an epoch's validation reads: the {@code max} lowest-numbered of them ({@code
     * train.valEpisodes}; a random sample, as the held-out episodes are a seeded random choice), or all of them when
     * {@code max} is 0 or at least {@link #validationEpisodes()}.
     *
     * @param max how many held-out episodes at most, &ge; 0
     * @return a predicate on episode indices, true for the chosen held-out episodes only
     */
    public java.util.function.LongPredicate validationSample(int max) {
        if (max < 0) throw new IllegalArgumentException("train.valEpisodes must be >= 0, got " + max);
        if (max == 0 || max >= validation.cardinality()) return this::isValidation;
        int last = -1;
        for (int i = 0; i < max; i++) last = validation.nextSetBit(last + 1);
        final int cutoff = last;
        return e -> isValidation(e) && e <= cutoff;
    }

    /** How many held-out episodes {@link #validationSample}{@code (max)} keeps. */
    public long validationSampleSize(int max) {
        long v = validation.cardinality();
        return max == 0 ? v : Math.min(v, max);
    }

    public boolean isTraining(long episodeIndex) {
        return episodeIndex >= 0 && episodeIndex < episodes && !validation.get((int) episodeIndex);
    }

    public long validationEpisodes() {
        return validation.cardinality();
    }

    public long trainingEpisodes() {
        return episodes - validation.cardinality();
    }

    public long seed() { return seed; }

    public double valFraction() { return valFraction; }
}
