package io.smwm.core.config;

import java.util.Objects;

/**
 * The full configuration of one world-model run: model, loss, training, and the planner defaults its evaluations
 * use. Written into every checkpoint (a checkpoint written before {@code plan} existed reads as the default).
 */
public record ExperimentConfig(ModelConfig model, LossConfig loss, TrainConfig train, PlanConfig plan) {

    public static final ExperimentConfig DEFAULT =
            new ExperimentConfig(ModelConfig.DEFAULT, LossConfig.DEFAULT, TrainConfig.DEFAULT);

    public ExperimentConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(plan, "plan");
    }

    /** Model, loss and training with the default planner settings ({@link PlanConfig#DEFAULT}). */
    public ExperimentConfig(ModelConfig model, LossConfig loss, TrainConfig train) {
        this(model, loss, train, PlanConfig.DEFAULT);
    }

    public ExperimentConfig withModel(ModelConfig m) { return new ExperimentConfig(m, loss, train, plan); }

    public ExperimentConfig withLoss(LossConfig l) { return new ExperimentConfig(model, l, train, plan); }

    public ExperimentConfig withTrain(TrainConfig t) { return new ExperimentConfig(model, loss, t, plan); }

    public ExperimentConfig withPlan(PlanConfig p) { return new ExperimentConfig(model, loss, train, p); }
}
