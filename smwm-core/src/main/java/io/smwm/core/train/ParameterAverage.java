package io.smwm.core.train;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.config.TrainConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The running mean of the parameter iterates of the last {@code train.averageEpochs} epochs (Polyak–Ruppert
 * averaging): the trainers add the flat parameters [N] after every update in the window, store the mean and its
 * count in every checkpoint ({@link Checkpoint#average}) so a resume continues it, and return it as the model. The
 * optimisation is unaffected. The mean is updated incrementally in double precision (mean += (p − mean) / count), so
 * its value does not depend on how the additions are split across a resume.
 */
public final class ParameterAverage {
    private final double[] mean;
    private long count;

    private ParameterAverage(int n) {
        this.mean = new double[n];
    }

    /** An empty average of {@code n} parameters. */
    public static ParameterAverage empty(int n) {
        return new ParameterAverage(n);
    }

    /** The average a checkpoint holds, to continue (an empty one of {@code n} parameters when it holds none). */
    public static ParameterAverage resume(Checkpoint.Average saved, int n) {
        ParameterAverage a = new ParameterAverage(n);
        if (saved == null) return a;
        float[] m = saved.mean().toFloatVector();
        if (m.length != n)
            throw new IllegalArgumentException("a saved average of " + m.length + " parameters, the model has " + n);
        for (int i = 0; i < n; i++) a.mean[i] = m[i];
        a.count = saved.count();
        return a;
    }

    /** Whether epoch {@code epoch} (1-based) is in the averaging window of {@code train}. */
    public static boolean inWindow(TrainConfig train, int epoch) {
        return epoch >= train.firstAveragedEpoch();
    }

    /** Adds one iterate [N]. */
    public void add(float[] params) {
        if (params.length != mean.length)
            throw new IllegalArgumentException("an iterate of " + params.length + " parameters, the average has "
                    + mean.length);
        count++;
        for (int i = 0; i < mean.length; i++) mean[i] += (params[i] - mean[i]) / count;
    }

    public long count() { return count; }

    /** The mean [N] as floats. */
    public float[] mean() {
        float[] out = new float[mean.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) mean[i];
        return out;
    }

    /** The mean for a checkpoint, or null when nothing has been added yet. */
    public Checkpoint.Average toCheckpoint() {
        return count == 0 ? null : new Checkpoint.Average(Nd4j.createFromArray(mean()), count);
    }
}
