package io.smwm.spark.train;

import java.io.Serializable;

/**
 * What one partition sends back after a round, and what the tree reduction combines: only primitives and primitive
 * arrays (Spark ships them as plain arrays; nothing of ours is Java-serialised beyond this flat record).
 *
 * <p>{@code params}, {@code m}, {@code v} are examples-weighted means over the partitions combined so far (null
 * when {@code examples == 0}: a partition whose stream is exhausted contributes nothing). {@code lossSums} are
 * the loss terms in {@code LossTerms.values()} order (fwd, inv, the method's extra terms, total) summed over examples
 * (empty when {@code examples == 0}); {@code latentStdSum} likewise.
 *
 * @param examples        transitions trained on in this round
 * @param steps           local Adam steps taken (summed over partitions)
 * @param adamStep        Adam's step counter after the round (max over partitions)
 * @param maxComputeNanos the slowest partition's time inside the task (model set-up + K local steps)
 * @param more            some partition has batches left in this epoch
 * @param active          partitions that trained at least one step
 */
public record RoundResult(float[] params, float[] m, float[] v, long examples, long steps, long adamStep,
                          double[] lossSums, double latentStdSum, long maxComputeNanos, boolean more, int active)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A partition that had no batch this round. */
    static RoundResult empty(long computeNanos, boolean more) {
        return new RoundResult(null, null, null, 0, 0, 0, new double[0], 0, computeNanos, more, 0);
    }

    /**
     * The examples-weighted combination of two results. Exact when one side has no examples (so one worker, or one
     * worker with data, reproduces its parameters bit for bit).
     */
    static RoundResult combine(RoundResult a, RoundResult b) {
        double[] loss = new double[Math.max(a.lossSums.length, b.lossSums.length)];
        for (int i = 0; i < a.lossSums.length; i++) loss[i] += a.lossSums[i];
        for (int i = 0; i < b.lossSums.length; i++) loss[i] += b.lossSums[i];
        long comp = Math.max(a.maxComputeNanos, b.maxComputeNanos);
        boolean more = a.more || b.more;
        if (b.examples == 0 || a.examples == 0) {
            RoundResult x = b.examples == 0 ? a : b;
            return new RoundResult(x.params, x.m, x.v, x.examples, a.steps + b.steps, Math.max(a.adamStep, b.adamStep),
                    loss, a.latentStdSum + b.latentStdSum, comp, more, a.active + b.active);
        }
        double wa = (double) a.examples / (a.examples + b.examples), wb = 1 - wa;
        return new RoundResult(mean(a.params, b.params, wa, wb), mean(a.m, b.m, wa, wb), mean(a.v, b.v, wa, wb),
                a.examples + b.examples, a.steps + b.steps, Math.max(a.adamStep, b.adamStep), loss,
                a.latentStdSum + b.latentStdSum, comp, more, a.active + b.active);
    }

    private static float[] mean(float[] x, float[] y, double wx, double wy) {
        if (x.length != y.length)
            throw new IllegalStateException("cannot average arrays of " + x.length + " and " + y.length + " entries");
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) (wx * x[i] + wy * y[i]);
        return out;
    }
}
