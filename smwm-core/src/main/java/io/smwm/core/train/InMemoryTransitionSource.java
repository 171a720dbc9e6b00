package io.smwm.core.train;

import io.smwm.core.util.Seeds;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/** A {@link TransitionSource} over arrays held in memory: tests, small datasets, held-out samples. */
public final class InMemoryTransitionSource implements TransitionSource {
    private final byte[][] obsT, obsTk;
    private final float[][] actions, states;

    public InMemoryTransitionSource(TransitionBatch all) {
        this.obsT = all.obsT();
        this.actions = all.actions();
        this.obsTk = all.obsTk();
        this.states = all.states();
    }

    @Override
    public long size() {
        return obsT.length;
    }

    /** All transitions as one batch, in stored order. */
    public TransitionBatch all() {
        return new TransitionBatch(obsT, actions, obsTk, states);
    }

    /** The transitions at {@code idx}. */
    public TransitionBatch select(int[] idx) {
        byte[][] a = new byte[idx.length][], c = new byte[idx.length][];
        float[][] u = new float[idx.length][], s = states == null ? null : new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            a[i] = obsT[idx[i]];
            u[i] = actions[idx[i]];
            c[i] = obsTk[idx[i]];
            if (s != null) s[i] = states[idx[i]];
        }
        return new TransitionBatch(a, u, c, s);
    }

    /**
     * Splits into {train, validation} by a seeded random permutation; validation gets round(valFraction·N)
     * transitions (at least 1 when valFraction > 0).
     */
    public InMemoryTransitionSource[] split(double valFraction, long seed) {
        int n = obsT.length;
        int nVal = valFraction <= 0 ? 0 : Math.max(1, (int) Math.round(valFraction * n));
        int[] perm = permutation(n, Seeds.derive(seed, "split"));
        int[] val = java.util.Arrays.copyOfRange(perm, 0, nVal), train = java.util.Arrays.copyOfRange(perm, nVal, n);
        return new InMemoryTransitionSource[]{new InMemoryTransitionSource(select(train)),
                new InMemoryTransitionSource(select(val))};
    }

    @Override
    public Iterator<TransitionBatch> epoch(int epoch, int batchSize, long seed) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        int[] perm = permutation(obsT.length, Seeds.derive(seed, "shuffle", epoch));
        return new Iterator<>() {
            int pos = 0;

            @Override
            public boolean hasNext() {
                return pos < perm.length;
            }

            @Override
            public TransitionBatch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int end = Math.min(perm.length, pos + batchSize);
                int[] idx = java.util.Arrays.copyOfRange(perm, pos, end);
                pos = end;
                return select(idx);
            }
        };
    }

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
