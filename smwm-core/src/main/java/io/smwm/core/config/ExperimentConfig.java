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
        if (loss.rollout() && !TrainConfig.ENGINE_DIRECT.equals(train.engine()))
            throw new IllegalArgumentException("loss.rolloutSteps " + loss.rolloutSteps() + " needs train.engine "
                    + TrainConfig.ENGINE_DIRECT + " (the SameDiff graph has only the one-step loss), got " + train.engine());
        if (model.projector() > 0 && !TrainConfig.ENGINE_DIRECT.equals(train.engine()))
            throw new IllegalArgumentException("model.projector " + model.projector() + " needs train.engine "
                    + TrainConfig.ENGINE_DIRECT + " (BatchNorm's batch statistics are the direct engine's; the SameDiff "
                    + "graph holds the inference form), got " + train.engine());
        if (loss.rollout() && train.chunk() < loss.rolloutSteps())
            throw new IllegalArgumentException("loss.rolloutSteps " + loss.rolloutSteps() + " needs batches of runs at "
                    + "least that long: train.chunk >= " + loss.rolloutSteps() + ", got " + train.chunk());
        if (loss.rollout() && loss.rolloutFromEpoch() < train.chunkFromEpoch()
                && loss.rolloutFromEpoch() <= train.epochs())
            throw new IllegalArgumentException("loss.rolloutFromEpoch " + loss.rolloutFromEpoch() + " trains the rollout "
                    + "term in epochs whose batches are single transitions (train.chunkFromEpoch "
                    + train.chunkFromEpoch() + "): set loss.rolloutFromEpoch >= " + train.chunkFromEpoch());
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
