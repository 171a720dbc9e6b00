package io.smwm.core.env;

import io.smwm.core.env.distractor.Distractors;
import java.util.List;
import java.util.Map;

/**
 * How to build an environment: which variant, frame size, which distractors and optional task parameters.
 *
 * @param variant     named variant, or "default"
 * @param imageSize   square frame side in pixels (default 64)
 * @param distractors distractor names (see {@link Distractors#NAMES}); empty for none
 * @param params      task-specific overrides (keys documented by each task); unknown keys are an error
 */
public record EnvConfig(String variant, int imageSize, List<String> distractors, Map<String, String> params) {
    public static final int DEFAULT_IMAGE_SIZE = 64;

    public EnvConfig {
        if (variant == null || variant.isBlank()) {
            variant = "default";
        }
        if (imageSize < 16 || imageSize > 1024) {
            throw new IllegalArgumentException("image size must be in [16, 1024], got " + imageSize);
        }
        distractors = List.copyOf(distractors == null ? List.of() : distractors);
        params = Map.copyOf(params == null ? Map.of() : params);
    }

    public static EnvConfig defaults() {
        return new EnvConfig("default", DEFAULT_IMAGE_SIZE, List.of(), Map.of());
    }

    public EnvConfig withVariant(String v) { return new EnvConfig(v, imageSize, distractors, params); }

    public EnvConfig withImageSize(int s) { return new EnvConfig(variant, s, distractors, params); }

    public EnvConfig withDistractors(List<String> d) { return new EnvConfig(variant, imageSize, d, params); }
}
