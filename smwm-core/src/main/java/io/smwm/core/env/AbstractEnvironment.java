package io.smwm.core.env;

import io.smwm.core.env.distractor.Distractor;
import io.smwm.core.render.RgbImage;
import io.smwm.core.env.distractor.Distractors;
import io.smwm.core.util.Seeds;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Template every task extends: seeding, action clipping, distractor plumbing and the render order.
 *
 * <p>Subclasses implement the task: {@link #resetTask}, {@link #stepTask}, {@link #drawScene}, the task state
 * get/set, {@link #goalErrorSpec} and {@link #goalError}; {@link #isSuccess} is final, the goal error under its
 * thresholds, so the two cannot disagree. The render order is: fill with {@link #backgroundColor()}, distractor
 * backgrounds, the scene, distractor overlays, distractor post-processing.
 */
public abstract class AbstractEnvironment implements Environment {
    protected final EnvConfig config;
    protected final List<Distractor> distractors;
    /** The task's own random stream (re-seeded by every reset). */
    protected SplittableRandom rng = new SplittableRandom(0);
    private EnvSpec spec;

    protected AbstractEnvironment(EnvConfig config) {
        this.config = config;
        this.distractors = Distractors.create(config.distractors());
    }

    /** Builds the spec once (called lazily, after subclass construction). */
    protected abstract EnvSpec buildSpec();

    /** Draws a start state from {@link #rng}. */
    protected abstract void resetTask();

    /** Applies a clipped primitive action; returns true if the episode terminates. */
    protected abstract boolean stepTask(float[] clippedAction);

    /** Draws the task's scene over the background. */
    protected abstract void drawScene(RgbImage img);

    /** Background colour (0xRRGGBB) the frame is cleared with. */
    protected int backgroundColor() {
        return 0xffffff;
    }

    protected int distractorStateDim() {
        int n = 0;
        for (Distractor d : distractors) {
            n += d.stateDim();
        }
        return n;
    }

    @Override
    public final EnvSpec spec() {
        if (spec == null) {
            spec = buildSpec();
        }
        return spec;
    }

    @Override
    public final void reset(long seed) {
        rng = new SplittableRandom(Seeds.derive(seed, "task"));
        resetTask();
        for (int i = 0; i < distractors.size(); i++) {
            Distractor d = distractors.get(i);
            d.reset(new SplittableRandom(Seeds.derive(seed, "distractor:" + d.name(), i)),
                    config.imageSize(), config.imageSize());
        }
    }

    @Override
    public final StepResult step(float[] action) {
        EnvSpec s = spec();
        if (action.length != s.actionDim()) {
            throw new IllegalArgumentException(s.id() + ": action must have length " + s.actionDim()
                    + ", got " + action.length);
        }
        float[] lo = s.actionLow(), hi = s.actionHigh();
        float[] a = new float[action.length];
        for (int i = 0; i < a.length; i++) {
            float v = action[i];
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException(s.id() + ": action[" + i + "] is NaN");
            }
            a[i] = Math.max(lo[i], Math.min(hi[i], v));
        }
        boolean terminal = stepTask(a);
        for (Distractor d : distractors) {
            d.step();
        }
        return new StepResult(render(), terminal);
    }

    @Override
    public final RgbImage render() {
        RgbImage img = new RgbImage(config.imageSize(), config.imageSize());
        img.fill(backgroundColor());
        for (Distractor d : distractors) {
            d.drawBackground(img);
        }
        drawScene(img);
        for (Distractor d : distractors) {
            d.drawOverlay(img);
        }
        for (Distractor d : distractors) {
            d.postProcess(img);
        }
        return img;
    }

    @Override
    public final float[] distractorState() {
        float[] out = new float[distractorStateDim()];
        int off = 0;
        for (Distractor d : distractors) {
            d.getState(out, off);
            off += d.stateDim();
        }
        return out;
    }

    @Override
    public final void setDistractorState(float[] state) {
        if (state.length != distractorStateDim()) {
            throw new IllegalArgumentException(spec().id() + ": distractor state must have length "
                    + distractorStateDim() + " (distractors " + config.distractors() + "), got " + state.length);
        }
        int off = 0;
        for (Distractor d : distractors) {
            d.setState(state, off);
            off += d.stateDim();
        }
    }

    /** The goal error under every threshold: {@code goalErrorSpec().isMet(goalError(goalState))}. */
    @Override
    public final boolean isSuccess(float[] goalState) {
        return goalErrorSpec().isMet(goalError(goalState));
    }

    /**
     * Rejects config params the task does not take, naming each unknown key and the valid ones; subclasses call
     * this in their constructor.
     */
    protected final void checkParams(String id, java.util.Set<String> valid) {
        for (String k : config.params().keySet()) {
            if (!valid.contains(k)) {
                throw new IllegalArgumentException(id + ": unknown parameter '" + k + "'; valid: "
                        + new java.util.TreeSet<>(valid));
            }
        }
    }

    /**
     * A numeric config param in (0, {@code max}]: its value, or {@code dflt} when the config does not set it.
     *
     * @throws IllegalArgumentException naming the task and the key when the value is not such a number
     */
    protected final double positiveParam(String id, String key, double dflt, double max) {
        String text = config.params().get(key);
        if (text == null) {
            return dflt;
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v > 0 && v <= max)) {
            throw new IllegalArgumentException(id + ": " + key + " must be a number > 0 and <= " + max + ", got '"
                    + text + "'");
        }
        return v;
    }

    /**
     * Checks a task state (to restore, or a goal) against the spec: its length, and that every component is
     * finite. Subclasses call this in setState and goalError.
     */
    protected final void checkState(float[] state) {
        if (state.length != spec().stateDim()) {
            throw new IllegalArgumentException(spec().id() + ": state must have length " + spec().stateDim()
                    + " " + spec().stateNames() + ", got " + state.length + ": " + Arrays.toString(state));
        }
        for (int i = 0; i < state.length; i++) {
            if (!Float.isFinite(state[i])) {
                throw new IllegalArgumentException(spec().id() + ": state[" + i + "] ("
                        + spec().stateNames().get(i) + ") must be finite, got " + state[i]);
            }
        }
    }
}
