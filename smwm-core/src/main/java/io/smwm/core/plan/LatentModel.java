package io.smwm.core.plan;

import io.smwm.core.env.RgbImage;
import java.util.List;

/**
 * What planning and evaluation need from a world model (encoder f and forward model g), and nothing more.
 *
 * <p>All tensors are flat {@code float[]} in row-major order with the shape stated in each method, so that an
 * adapter can wrap them in one ND4J array without copies per row, and the planner can reuse its buffers between
 * calls. Symbols: D = {@link #latentDim()}, m = {@link #primitiveActionDim()}, k = {@link #frameskip()},
 * A = k·m = {@link #modelActionDim()} (the k primitive actions of one model step concatenated, primitive step
 * j of the model step at {@code [j·m, (j+1)·m)}).
 *
 * <p>Model actions seen by {@link #rolloutTerminal} are <em>normalised</em> (z-scored with the training set's
 * statistics); {@link #unnormalise} and {@link #normalise} convert one model action between the two spaces. Both
 * must be per-dimension increasing maps (a z-score with std &gt; 0 is).
 *
 * <p>Implementations must treat every row independently (row b's output depends only on row b's inputs): that
 * is what makes planning many episodes in one batch equal to planning them one at a time. Implementations need
 * not be thread-safe; the planner calls them from one thread.
 */
public interface LatentModel {

    /** D, the latent dimension. */
    int latentDim();

    /** m, the env's primitive action dimension. */
    int primitiveActionDim();

    /** k, primitive env steps per model step (5 in the paper). */
    int frameskip();

    /** A = k·m, the model action dimension. */
    default int modelActionDim() {
        return frameskip() * primitiveActionDim();
    }

    /**
     * h, the frames per observation the encoder sees (o_t and the h − 1 frames before it); 1 for a single frame.
     */
    default int history() {
        return 1;
    }

    /**
     * z = f(o) for a batch of observations.
     *
     * @param frames B·h frames (HWC uint8 RGB, the env's render size), h = {@link #history()}: observation b is
     *               frames [b·h, (b+1)·h), oldest first
     * @return z, flat [B, D]
     */
    float[] encode(List<RgbImage> frames);

    /**
     * The terminal latents of open-loop rollouts: ẑ_0 = z0[g], ẑ_{h+1} = g(ẑ_h, a_h) for h = 0..H-1, returning
     * ẑ_H. Rows are grouped: candidates {@code [g·perGroup, (g+1)·perGroup)} all start from group g's latent
     * (a group is one episode, its rows the planner's candidates).
     *
     * @param z0       start latents, flat [groups, D]
     * @param groups   number of groups G (episodes)
     * @param perGroup rows per group N (candidates)
     * @param actions  normalised model actions, flat [G·N, H, A]: row b, step h, component j at
     *                 {@code (b·H + h)·A + j}
     * @param horizon  H, model steps
     * @param out      receives ẑ_H, flat [G·N, D] (the caller owns and reuses it; must have at least G·N·D)
     */
    void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out);

    /** The env-space model action [A] for a normalised model action [A] (inverse of the dataset z-score). */
    float[] unnormalise(float[] normalisedModelAction);

    /** The normalised model action [A] for an env-space model action [A]. */
    float[] normalise(float[] modelAction);
}
