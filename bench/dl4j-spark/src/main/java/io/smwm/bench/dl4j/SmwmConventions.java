package io.smwm.bench.dl4j;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The few SMWM conventions this harness must reproduce to train on the same data from the same start as
 * {@code ./smwm train}, re-implemented here (this project does not depend on the SMWM jars, whose ND4J 1.0.0-M2.1
 * cannot share a class path with dl4j-spark's 1.0.0-M2):
 * <ul>
 *   <li>seed derivation (SMWM's {@code io.smwm.core.util.Seeds}: SplitMix64 finaliser over root, FNV-1a of a label,
 *       index);</li>
 *   <li>the train/validation split by whole episodes ({@code io.smwm.data.batch.EpisodeSplit} with the split seed
 *       {@code derive(train.seed, "split")} of {@code TrainingData.split});</li>
 *   <li>the initial parameters ({@code WorldModelGraph}'s PyTorch-default init U(±1/√fan_in) for weights AND biases,
 *       drawn in parameter order from one {@code SplittableRandom(derive(train.seed, "init"))});</li>
 *   <li>the action z-scoring ({@code Normalizer.fromPrimitiveStats}: the table's per-dimension action mean and std,
 *       std floored at 1e-3, tiled over the frameskip).</li>
 * </ul>
 */
final class SmwmConventions {
    static final double STD_FLOOR = 1e-3;

    private SmwmConventions() {}

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The seed for {@code label} number {@code index} under {@code root} (SMWM's Seeds.derive). */
    static long derive(long root, String label, long index) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < label.length(); i++) {
            h ^= label.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(mix(root ^ 0x9e3779b97f4a7c15L) ^ mix(h) ^ mix(index + 0x632be59bd9b4e019L));
    }

    static long derive(long root, String label) {
        return derive(root, label, 0);
    }

    /**
     * The validation episodes of a run with root seed {@code trainSeed}: round(valFraction·episodes) of the episode
     * indices [0, episodes) (at least one when valFraction > 0 and there are two or more), the first ones of a seeded
     * Fisher-Yates permutation.
     */
    static BitSet validationEpisodes(long episodes, double valFraction, long trainSeed) {
        if (episodes < 1 || episodes > Integer.MAX_VALUE)
            throw new IllegalArgumentException("episodes must be in [1, 2^31), got " + episodes);
        if (!(valFraction >= 0 && valFraction < 1))
            throw new IllegalArgumentException("val fraction must be in [0, 1), got " + valFraction);
        int n = (int) episodes;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom r = new SplittableRandom(derive(derive(trainSeed, "split"), "episode-split"));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int nVal = (int) Math.round(valFraction * n);
        if (valFraction > 0 && nVal == 0 && n > 1) nVal = 1;
        BitSet val = new BitSet(n);
        for (int i = 0; i < nVal; i++) val.set(perm[i]);
        return val;
    }

    /** {@code n} values U(±1/√fanIn) drawn from {@code r} (float, as SMWM stores them). */
    static float[] uniform(SplittableRandom r, int n, long fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        return v;
    }

    /** The model-action normaliser's mean and std [k·m] from the primitive action stats [m]. */
    static float[][] actionNormaliser(double[] mean, double[] std, int frameskip) {
        int m = mean.length;
        if (std.length != m || m == 0)
            throw new IllegalArgumentException("action mean and std must have the same non-zero length");
        float[] mu = new float[m * frameskip], sd = new float[m * frameskip];
        for (int j = 0; j < frameskip; j++)
            for (int i = 0; i < m; i++) {
                mu[j * m + i] = (float) mean[i];
                sd[j * m + i] = (float) Math.max(std[i], STD_FLOOR);
            }
        return new float[][]{mu, sd};
    }
}
