package io.smwm.core.env.distractor;

import io.smwm.core.env.AbstractEnvironment;
import io.smwm.core.render.RgbImage;
import java.util.SplittableRandom;

/**
 * A visual distractor: something that changes pixels but never the task state. It has its own state and its
 * own random stream, advanced once per primitive env step.
 *
 * <p>Rendering happens in three hooks called by {@link AbstractEnvironment#render()} in this order:
 * {@link #drawBackground} (after the task's background colour, before the scene), {@link #drawOverlay} (after
 * the scene) and {@link #postProcess} (last, on the whole frame).
 */
public interface Distractor {

    /** Registry name, e.g. "flicker". */
    String name();

    /** Length of this distractor's state vector. */
    int stateDim();

    /** Draws a fresh distractor state for a frame of width x height; rng is this distractor's own stream. */
    void reset(SplittableRandom rng, int width, int height);

    /** Advances the distractor by one primitive env step, using the rng given at reset. */
    void step();

    /** Writes the state into dst[off .. off+stateDim). */
    void getState(float[] dst, int off);

    /** Reads the state from src[off .. off+stateDim). */
    void setState(float[] src, int off);

    default void drawBackground(RgbImage img) {}

    default void drawOverlay(RgbImage img) {}

    default void postProcess(RgbImage img) {}
}
