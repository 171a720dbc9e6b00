package io.smwm.core.plan;

import io.smwm.core.render.RgbImage;
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
     * c, the latents the forward model sees: z_t and those of the c − 1 frames before o_t spaced one model step (k
     * env steps) apart; 1 (the paper's model) means z_t alone.
     */
    default int context() {
        return 1;
    }

    /** c·D, the length of a planning state s_t = [z_{t−(c−1)k}, …, z_t] (what rollouts start from). */
    default int stateDim() {
        return context() * latentDim();
    }

    /**
     * z = f(o) for a batch of single frames.
     *
     * @param frames B frames (HWC uint8 RGB, the env's render size)
     * @return z, flat [B, D]
     */
    float[] encode(List<RgbImage> frames);

    /**
     * The terminal latents of open-loop rollouts: ŝ_0 = z0[g], ẑ_{h+1} = g(ŝ_h, a_h) with ŝ_{h+1} the context
     * shifted by ẑ_{h+1}, for h = 0..H-1, returning ẑ_H (for c = 1: ẑ_0 = z0[g], ẑ_{h+1} = g(ẑ_h, a_h)). Rows are
     * grouped: candidates {@code [g·perGroup, (g+1)·perGroup)} all start from group g's state (a group is one
     * episode, its rows the planner's candidates).
     *
     * @param z0       start states, flat [groups, c·D] (each the context latents, oldest first)
     * @param groups   number of groups G (episodes)
     * @param perGroup rows per group N (candidates)
     * @param actions  normalised model actions, flat [G·N, H, A]: row b, step h, component j at
     *                 {@code (b·H + h)·A + j}
     * @param horizon  H, model steps
     * @param out      receives ẑ_H, flat [G·N, D] (the caller owns and reuses it; must have at least G·N·D)
     */
    void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out);

    /**
     * Whether this model has an inverse model h and implements
     * {@link #rolloutTerminal(float[], int, int, float[], int, float[], float[])}. False by default.
     */
    default boolean scoresInverseConsistency() {
        return false;
    }

    /**
     * {@link #rolloutTerminal(float[], int, int, float[], int, float[])}, and for each row the mean squared residual
     * of the inverse model along its rollout: r_b = (1/(H·A)) Σ_{h<H} ‖h(ŝ_h, ẑ_{h+1}) − a_h‖², with ŝ_h the
     * rollout's state before step h (ŝ_0 the group's start), ẑ_{h+1} the latent g predicted from it and a_h the
     * row's normalised action at step h. Rows stay independent.
     *
     * @param inverseResidual receives r, [G·N] (the caller owns and reuses it; must have at least G·N)
     * @throws UnsupportedOperationException when {@link #scoresInverseConsistency()} is false
     */
    default void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out,
                                 float[] inverseResidual) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no inverse model");
    }

    /** The env-space model action [A] for a normalised model action [A] (inverse of the dataset z-score). */
    float[] unnormalise(float[] normalisedModelAction);

    /** The normalised model action [A] for an env-space model action [A]. */
    float[] normalise(float[] modelAction);
}
