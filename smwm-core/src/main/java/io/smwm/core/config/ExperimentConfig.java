package io.smwm.core.config;

import java.util.Objects;

/** The full configuration of one world-model run: model, loss and training. Written into every checkpoint. */
public record ExperimentConfig(ModelConfig model, LossConfig loss, TrainConfig train) {

    public static final ExperimentConfig DEFAULT =
            new ExperimentConfig(ModelConfig.DEFAULT, LossConfig.DEFAULT, TrainConfig.DEFAULT);

    public ExperimentConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(train, "train");
    }

    public ExperimentConfig withModel(ModelConfig m) { return new ExperimentConfig(m, loss, train); }

    public ExperimentConfig withLoss(LossConfig l) { return new ExperimentConfig(model, l, train); }

    public ExperimentConfig withTrain(TrainConfig t) { return new ExperimentConfig(model, loss, t); }
}
