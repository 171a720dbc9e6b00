package io.smwm.core.env;

import io.smwm.core.render.RgbImage;

/**
 * What one primitive step returns.
 *
 * @param observation the frame after the step (HWC uint8 RGB)
 * @param terminal    true if the episode ended by the task's own rule (RLDS is_terminal); most tasks here never
 *                    terminate and episodes end by truncation
 */
public record StepResult(RgbImage observation, boolean terminal) {}
