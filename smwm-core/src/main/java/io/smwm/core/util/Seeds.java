package io.smwm.core.util;

/**
 * Derives independent, reproducible seeds from one root seed.
 *
 * <p>Every source of randomness in the project takes a seed made here from the run's root seed, a purpose
 * label and an index (episode number, worker number, ...). The mixing is SplitMix64's finaliser over the root,
 * a stable hash of the label and the index, so the same inputs give the same seed on every JVM.
 */
public final class Seeds {
    private Seeds() {}

    /** SplitMix64 finaliser: a bijective 64-bit mix. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A seed for {@code purpose} number {@code index} under {@code root}. */
    public static long derive(long root, String purpose, long index) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the label: stable across JVMs (String.hashCode is too, but 32-bit)
        for (int i = 0; i < purpose.length(); i++) {
            h ^= purpose.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(mix(root ^ 0x9e3779b97f4a7c15L) ^ mix(h) ^ mix(index + 0x632be59bd9b4e019L));
    }

    /** A seed for {@code purpose} under {@code root}. */
    public static long derive(long root, String purpose) {
        return derive(root, purpose, 0);
    }
}
