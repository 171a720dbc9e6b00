package io.smwm.core.checkpoint;

import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.optim.AdamState;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * Everything needed to use or resume a world model: full config, action normalizer, flat parameters [N] (layout
 * {@link io.smwm.core.model.WorldModelGraph#paramSpecs}), optional Adam state, provenance. Stored by {@link CheckpointIO}.
 */
public record Checkpoint(ExperimentConfig config, Normalizer normalizer, INDArray params, AdamState updater,
                         Provenance provenance) {

    public Checkpoint {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(normalizer, "normalizer");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(provenance, "provenance");
    }

    /** The immutable model facade for these weights. */
    public WorldModel toModel() {
        return WorldModel.of(config.model(), config.loss(), normalizer, params);
    }
}
