package io.smwm.core.env;

import io.smwm.core.render.RgbImage;

/**
 * A simulated task that renders RGB observations. One instance is single-threaded and stateful.
 *
 * <p>Contract, shared by every task:
 * <ul>
 *   <li>{@link #reset(long)} draws a start state from the seed alone: the same seed gives the same episode under
 *       the same action sequence (bit-identical frames).</li>
 *   <li>{@link #step(float[])} applies one primitive (un-frameskipped) action of length {@code spec().actionDim()};
 *       components are clipped to {@code [actionLow, actionHigh]}.</li>
 *   <li>{@link #state()} is the full simulator state of the task (everything needed to reproduce the task's part
 *       of the frame and its future dynamics, velocities included); {@link #distractorState()} is the state of the
 *       visual distractors, which never influences the task state. Setting both with {@link #setState(float[])}
 *       and {@link #setDistractorState(float[])} reproduces the rendered frame bit for bit.</li>
 *   <li>{@link #isSuccess(float[])} tests the task's success criterion of the current state against a goal
 *       task state (as stored in a trajectory table). The criterion is the goal error under its thresholds:
 *       {@code isSuccess(g) == goalErrorSpec().isMet(goalError(g))} for every current state and goal.</li>
 * </ul>
 */
public interface Environment {

    /** What this instance is: ids, dimensions, bounds and image size. */
    EnvSpec spec();

    /** Starts a new episode from a start state drawn with {@code seed}. */
    void reset(long seed);

    /** Applies one primitive action a [actionDim] and returns the new observation. */
    StepResult step(float[] action);

    /** Renders the current state: HWC uint8 RGB, {@code spec().imageWidth() x spec().imageHeight()}. */
    RgbImage render();

    /** A copy of the full task state, length {@code spec().stateDim()}. */
    float[] state();

    /** Restores a task state previously returned by {@link #state()}. */
    void setState(float[] state);

    /** A copy of the distractors' state, length {@code spec().distractorStateDim()} (0 without distractors). */
    float[] distractorState();

    /** Restores a distractor state previously returned by {@link #distractorState()}. */
    void setDistractorState(float[] state);

    /**
     * True if the current task state meets the success criterion for the goal task state; exactly when
     * {@code goalErrorSpec().isMet(goalError(goalState))}.
     */
    boolean isSuccess(float[] goalState);

    /** The names and thresholds of {@link #goalError}'s components; the same on every call of one instance. */
    GoalErrorSpec goalErrorSpec();

    /**
     * The current task state's error to the goal task state in the task's own success metric: one finite value
     * &gt;= 0 per {@code goalErrorSpec().names()}, in that order (e.g. TwoRoom: the agent's distance to the goal
     * position). The success criterion holds exactly when every value is below its threshold.
     *
     * @throws IllegalArgumentException if the goal is not a task state of this env (wrong length, non-finite)
     */
    double[] goalError(float[] goalState);

    /**
     * Indices into {@link #state()} of the agent's position (x, y), in [0,1] arena units, or an empty array where
     * the task has no such thing. Used by diagnostics for position probes and colouring plots.
     */
    default int[] positionStateIndices() {
        return new int[0];
    }

    /**
     * Indices into {@link #state()} of what the agent's actions can change (diagnostics probe these: an
     * action-aligned latent should predict them linearly). Default: the whole state.
     */
    default int[] controllableStateIndices() {
        int[] all = new int[spec().stateDim()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    /**
     * Indices into {@link #state()} of scene objects that move but are not controlled (in-scene distractors such
     * as dotworld's random dots). Diagnostics check the latent ignores them. Default: none.
     */
    default int[] uncontrolledStateIndices() {
        return new int[0];
    }

    /**
     * Names of {@link #probeFeatures}, one per feature. Default: the state's names ({@code spec().stateNames()}).
     */
    default java.util.List<String> probeFeatureNames() {
        return spec().stateNames();
    }

    /**
     * The task-state features diagnostics probe the latent for, each of which a latent that keeps what the agent
     * controls should carry near-linearly: the state itself by default; tasks with angles give them as (cos, sin)
     * pairs, so that a wrap from π to −π is no jump. Length {@code probeFeatureNames().size()}.
     */
    default double[] probeFeatures(float[] state) {
        double[] out = new double[state.length];
        for (int i = 0; i < state.length; i++) {
            out[i] = state[i];
        }
        return out;
    }
}
