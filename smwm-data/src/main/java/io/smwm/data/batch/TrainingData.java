package io.smwm.data.batch;

import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.util.Seeds;
import io.smwm.core.util.UserError;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that turns a table into what training needs: the compatibility check between a table and a
 * model config, the episode split (seed derive(train.splitSeed or else train.seed, "split")), the action normaliser from the table's
 * statistics, and the model action of a transition. Local and distributed training both use it, so they see the
 * same split and the same normalisation.
 */
public final class TrainingData {
    private TrainingData() {}

    /** The default config with its frame size and action dimension taken from the table. */
    public static ExperimentConfig defaultsSizedTo(TableMetadata meta) {
        io.smwm.core.config.ModelConfig d = ExperimentConfig.DEFAULT.model();
        return ExperimentConfig.DEFAULT.withModel(new io.smwm.core.config.ModelConfig(meta.image().height(),
                d.channels(), d.convChannels(), d.latentDim(), d.hidden(), meta.action().dim(), d.frameskip(),
                d.context(), d.centerFrames(), d.coordChannels()));
    }

    /** Fails with every mismatch between the table and the model config at once. */
    public static void checkCompatible(TableMetadata meta, ExperimentConfig cfg, String tablePath) {
        ModelConfig m = cfg.model();
        List<String> problems = new ArrayList<>();
        if (meta.action().dim() != m.actionDim()) {
            problems.add("action dimension: table has " + meta.action().dim() + ", config model.actionDim="
                    + m.actionDim());
        }
        if (meta.image().height() != m.imageSize() || meta.image().width() != m.imageSize()) {
            problems.add("image size: table has " + meta.image().height() + "x" + meta.image().width()
                    + ", config model.imageSize=" + m.imageSize());
        }
        if (meta.image().channels() != m.channels()) {
            problems.add("channels: table has " + meta.image().channels() + ", config model.channels=" + m.channels());
        }
        if (meta.stepsPerEpisode() > 0 && meta.stepsPerEpisode() < m.frameskip()) { // 0: lengths vary
            problems.add("episodes of " + meta.stepsPerEpisode() + " steps are shorter than model.frameskip="
                    + m.frameskip());
        }
        if (!problems.isEmpty()) {
            throw new UserError("table " + tablePath + " does not fit the model config: " + String.join("; ", problems)
                    + ". Use a config for this table (--config) or a table generated for this config.");
        }
    }

    /** The run's episode split: train.valFraction held out, seeded from train.seed. */
    public static EpisodeSplit split(TableMetadata meta, ExperimentConfig cfg) {
        return EpisodeSplit.of(meta.episodes(), cfg.train().valFraction(), Seeds.derive(cfg.train().splitRoot(), "split"));
    }

    /** The action z-scoring from the table's per-dimension action statistics, tiled over the frameskip. */
    public static Normalizer normalizer(TableStats stats, ExperimentConfig cfg) {
        TableStats.Feature a = stats.action();
        return Normalizer.fromPrimitiveStats(a.mean(), a.std(), cfg.model().frameskip(), Normalizer.DEFAULT_STD_FLOOR);
    }

    /**
     * The env config that recreates a table's environment for evaluation and diagnostics: its variant, frame size,
     * distractors and the task's config params (e.g. Push-T's block_mass). The metadata's env.params also describe
     * the task's derived constants; only the keys the task takes as config params
     * ({@link io.smwm.core.env.catalog.Environments.Task#params()}) are replayed; none for an env id outside the
     * registry (an imported table's).
     */
    public static io.smwm.core.env.EnvConfig envConfig(TableMetadata meta) {
        String id = meta.env().id();
        java.util.Set<String> taken = io.smwm.core.env.catalog.Environments.ids().contains(id)
                ? io.smwm.core.env.catalog.Environments.task(id).params() : java.util.Set.of();
        java.util.Map<String, String> params = new java.util.TreeMap<>();
        meta.env().params().forEach((k, v) -> {
            if (taken.contains(k)) {
                params.put(k, v);
            }
        });
        return new io.smwm.core.env.EnvConfig(meta.env().variant(), meta.image().width(), meta.env().distractors(),
                params);
    }

    /** a_t ‖ … ‖ a_{t+k-1}: the model action [k·m] of the transition starting at frame t. */
    public static float[] modelAction(Episode e, int t, int k) {
        int m = e.actions()[0].length;
        float[] out = new float[m * k];
        for (int j = 0; j < k; j++) {
            System.arraycopy(e.actions()[t + j], 0, out, j * m, m);
        }
        return out;
    }
}
