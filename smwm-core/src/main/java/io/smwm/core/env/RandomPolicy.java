package io.smwm.core.env;

import java.util.SplittableRandom;

/** Uniform random actions within the env's bounds, independent every step. */
public final class RandomPolicy implements BehaviourPolicy {
    private SplittableRandom rng;
    private float[] lo;
    private float[] hi;

    @Override
    public String name() { return "random"; }

    @Override
    public void reset(Environment env, SplittableRandom rng) {
        this.rng = rng;
        this.lo = env.spec().actionLow();
        this.hi = env.spec().actionHigh();
    }

    @Override
    public float[] act(Environment env) {
        float[] a = new float[lo.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (lo[i] + (hi[i] - lo[i]) * rng.nextDouble());
        }
        return a;
    }
}
