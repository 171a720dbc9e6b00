package io.smwm.core.checkpoint;

import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.optim.AdamState;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * Everything needed to use or resume a world model: full config, action normalizer, flat parameters [N] (layout
 * {@link io.smwm.core.model.WorldModelGraph#paramSpecs}), optional Adam state, provenance, and, when the config
 * averages parameters ({@code train.averageEpochs}), the running mean of the iterates so far. Stored by
 * {@link CheckpointIO}.
 *
 * @param params  the last iterate [N]: what training continues from (with {@code updater})
 * @param average the parameter average [N] over the averaging window so far, or null (no averaging, or the window
 *                not reached yet); when present it is the model ({@link #modelParams})
 */
public record Checkpoint(ExperimentConfig config, Normalizer normalizer, INDArray params, AdamState updater,
                         Provenance provenance, Average average) {

    /**
     * The mean of {@code count} ≥ 1 parameter vectors.
     *
     * @param mean  [N], the same layout as {@link #params}
     * @param count how many iterates it averages
     */
    public record Average(INDArray mean, long count) {
        public Average {
            Objects.requireNonNull(mean, "mean");
            if (count < 1) throw new IllegalArgumentException("an average of " + count + " iterates");
        }
    }

    public Checkpoint {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(normalizer, "normalizer");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(provenance, "provenance");
        if (average != null && average.mean().length() != params.length())
            throw new IllegalArgumentException("the average has " + average.mean().length() + " entries, params "
                    + params.length());
    }

    /** A checkpoint without a parameter average. */
    public Checkpoint(ExperimentConfig config, Normalizer normalizer, INDArray params, AdamState updater,
                      Provenance provenance) {
        this(config, normalizer, params, updater, provenance, null);
    }

    /** The model's weights [N]: the average when there is one, else the last iterate. */
    public INDArray modelParams() {
        return average != null ? average.mean() : params;
    }

    /** The immutable model facade for these weights ({@link #modelParams}). */
    public WorldModel toModel() {
        return WorldModel.of(config.model(), config.loss(), normalizer, modelParams());
    }

    /** This checkpoint as the model alone: the model's weights as params, no average (the same {@link #toModel}). */
    public Checkpoint withoutAverage() {
        return average == null ? this : new Checkpoint(config, normalizer, average.mean(), updater, provenance, null);
    }
}
