package io.smwm.core.config;

import io.smwm.core.util.UserError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values a user sets on top of a config (the command line's {@code --lambda}, {@code --method}, {@code --epochs},
 * ...); null leaves the config's value. {@link #apply} returns the config with them in place.
 */
public record ConfigOverrides(Double lambda, Integer epochs, Integer batchSize, Long seed, Integer latentDim,
                              Integer context, String method) {
    /** Nothing overridden. */
    public static final ConfigOverrides NONE = new ConfigOverrides(null, null, null, null, null, null, null);

    /** Without a {@code loss.method} override. */
    public ConfigOverrides(Double lambda, Integer epochs, Integer batchSize, Long seed, Integer latentDim,
                           Integer context) {
        this(lambda, epochs, batchSize, seed, latentDim, context, null);
    }

    /**
     * {@code cfg} with every non-null value in place; a value the config refuses is a {@link UserError}, and so is a
     * λ other than 0 for a method without the inverse term ({@code forward}, {@code sigreg}).
     */
    public ExperimentConfig apply(ExperimentConfig cfg) {
        try {
            if (method != null) cfg = cfg.withLoss(cfg.loss().withMethod(method));
            if (lambda != null) {
                if (lambda != 0 && !LossConfig.hasInverseTerm(cfg.loss().method()))
                    throw new UserError("--lambda " + lambda + " has no effect with loss.method "
                            + cfg.loss().method() + ", which has no inverse term (λ = 0); leave --lambda out or use "
                            + "--method " + LossConfig.METHOD_SMWM + " or " + LossConfig.METHOD_VICREG_IDM);
                cfg = cfg.withLoss(cfg.loss().withLambda(lambda));
            }
            if (epochs != null) cfg = cfg.withTrain(cfg.train().withEpochs(epochs));
            if (batchSize != null) cfg = cfg.withTrain(cfg.train().withBatchSize(batchSize));
            if (seed != null) cfg = cfg.withTrain(cfg.train().withSeed(seed));
            if (latentDim != null) cfg = cfg.withModel(cfg.model().withLatentDim(latentDim));
            if (context != null) cfg = cfg.withModel(cfg.model().withContext(context));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        return cfg;
    }

    /** The overrides that change the model or the objective, by config key (a resume must have none of these). */
    public Map<String, Object> modelAndObjective() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (lambda != null) m.put("loss.lambda", lambda);
        if (method != null) m.put("loss.method", method);
        if (batchSize != null) m.put("train.batchSize", batchSize);
        if (seed != null) m.put("train.seed", seed);
        if (latentDim != null) m.put("model.latentDim", latentDim);
        if (context != null) m.put("model.context", context);
        return m;
    }
}
