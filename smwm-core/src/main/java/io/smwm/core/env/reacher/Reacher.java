package io.smwm.core.env.reacher;

import io.smwm.core.env.AbstractEnvironment;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.EnvSpec;
import io.smwm.core.env.GoalErrorSpec;
import io.smwm.core.render.RgbImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reacher: a planar two-link arm seen from above, torque-controlled, dynamics in {@link ReacherDynamics}.
 *
 * <p>Variants (the arm's constants): {@code dmc} (the default) has the DeepMind Control Suite reacher's masses,
 * damping, motor gear, 0.02 s control step and ±160° wrist limit; {@code heavy} is this project's first, heavier
 * and slower-damped arm (0.05 s step, free wrist), kept for comparison. The constants are recorded in the spec's
 * params (and so in every table's metadata).
 *
 * <p>Action a [2] in [-1, 1]: shoulder and wrist torque, τ = a · max torque, held for one env step.
 *
 * <p>State [4] = (q1, q2, dq1, dq2): shoulder angle (rad, from the +x axis, counter-clockwise, wrapped to
 * (-π, π]), wrist angle (rad, relative to link 1: within ±160° for {@code dmc}, wrapped for {@code heavy}), and
 * their angular velocities (rad/s). The state is kept in float precision after every step, so {@link #setState}
 * followed by stepping reproduces the original run exactly. There is no agent position in the state:
 * {@link #positionStateIndices()} is empty.
 *
 * <p>Success: both joints within {@value #SUCCESS_TOL} rad (wrapped difference, strictly below) of the goal
 * configuration; velocities are ignored. The goal error is the larger of the two wrapped joint-angle errors,
 * {@value #GOAL_ERROR_NAME} (rad).
 *
 * <p>Render: top-down, arm base at the frame centre, the frame spans ±{@value #VIEW_HALF} m; link 1 orange,
 * the hand teal, red fingertip. No config params.
 */
public final class Reacher extends AbstractEnvironment {
    public static final String ID = "reacher";
    /** The variants, the default first. */
    public static final java.util.List<String> VARIANTS = java.util.List.of("dmc", "heavy");
    public static final double SUCCESS_TOL = 0.05;
    /** The goal error's one component: the largest wrapped joint-angle error (rad). */
    public static final String GOAL_ERROR_NAME = "max_joint_error_rad";
    private static final GoalErrorSpec GOAL_ERROR = GoalErrorSpec.of(GOAL_ERROR_NAME, SUCCESS_TOL);
    /** Half the side of the rendered square, m: the frame spans ±VIEW_HALF around the arm's base. */
    public static final double VIEW_HALF = 0.28;
    static final int BACKGROUND = 0xeeeee4;
    static final int BASE_COLOR = 0x404040;
    /** Colour of the upper arm (link 1), 0xRRGGBB. */
    public static final int LINK1_COLOR = 0xe07b24;
    static final int LINK2_COLOR = 0x2a9d8f;
    /** Colour of the fingertip, 0xRRGGBB. */
    public static final int TIP_COLOR = 0xd62828;

    private final float[] s = new float[4];
    private final ReacherDynamics dyn;

    public Reacher(EnvConfig config) {
        super(config);
        checkParams(ID, java.util.Set.of());
        String v = "default".equals(config.variant()) ? VARIANTS.get(0) : config.variant();
        if (!VARIANTS.contains(v)) {
            throw new IllegalArgumentException("unknown variant '" + config.variant() + "' for " + ID + "; valid: "
                    + VARIANTS);
        }
        this.variant = v;
        this.dyn = "heavy".equals(v) ? ReacherDynamics.HEAVY : ReacherDynamics.DMC;
    }

    private final String variant;

    @Override
    protected EnvSpec buildSpec() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("link_lengths_m", dyn.l1 + "," + dyn.handLength);
        p.put("max_torque_nm", Double.toString(dyn.maxTorque));
        p.put("damping_nms", Double.toString(dyn.damping));
        p.put("dt_s", Double.toString(dyn.dt()));
        p.put("success_tol_rad", Double.toString(SUCCESS_TOL));
        if ("dmc".equals(variant)) {
            p.put("finger_at_m", Double.toString(dyn.fingerAt));
            p.put("masses_kg", String.format(java.util.Locale.ROOT, "%.5f,%.5f", dyn.m1, dyn.m2));
            p.put("wrist_limit_rad", String.format(java.util.Locale.ROOT, "%.5f", dyn.wristLimit));
        }
        return new EnvSpec(ID, variant, 2, new float[] {-1, -1}, new float[] {1, 1}, 4,
                List.of("q1", "q2", "dq1", "dq2"), distractorStateDim(), config.imageSize(), config.imageSize(),
                config.distractors(), p);
    }

    @Override
    protected void resetTask() {
        s[0] = (float) ReacherDynamics.wrap((rng.nextDouble() * 2 - 1) * Math.PI);
        double wrist = Double.isNaN(dyn.wristLimit) ? Math.PI : dyn.wristLimit;
        s[1] = (float) ReacherDynamics.wrap((rng.nextDouble() * 2 - 1) * wrist);
        s[2] = 0f;
        s[3] = 0f;
    }

    @Override
    protected boolean stepTask(float[] a) {
        double[] d = {s[0], s[1], s[2], s[3]};
        dyn.step(d, a[0], a[1]);
        for (int i = 0; i < 4; i++) {
            s[i] = (float) d[i];
        }
        return false;
    }

    @Override
    protected int backgroundColor() {
        return BACKGROUND;
    }

    @Override
    protected void drawScene(RgbImage img) {
        double scale = img.width() / (2 * VIEW_HALF);
        double cx = img.width() / 2.0, cy = img.height() / 2.0;
        double[] p = jointPositions(s[0], s[1]);
        double ex = cx + p[0] * scale, ey = cy - p[1] * scale;
        double tx = cx + p[2] * scale, ty = cy - p[3] * scale;
        double f = dyn.handLength / dyn.fingerAt; // the hand's drawn end, as a fraction of the way to the tip
        double hx = ex + (tx - ex) * f, hy = ey + (ty - ey) * f;
        double thick = 0.022 * scale;
        img.fillCircle(cx, cy, 0.018 * scale, BASE_COLOR);
        img.drawLine(cx, cy, ex, ey, thick, LINK1_COLOR);
        img.drawLine(ex, ey, hx, hy, thick, LINK2_COLOR);
        img.fillCircle(tx, ty, 0.016 * scale, TIP_COLOR);
    }

    /** (wrist x, wrist y, fingertip x, fingertip y) in metres, base at the origin, y up. */
    double[] jointPositions(double q1, double q2) {
        double ex = dyn.l1 * Math.cos(q1), ey = dyn.l1 * Math.sin(q1);
        return new double[] {ex, ey, ex + dyn.fingerAt * Math.cos(q1 + q2), ey + dyn.fingerAt * Math.sin(q1 + q2)};
    }

    @Override
    public float[] state() {
        return s.clone();
    }

    @Override
    public void setState(float[] state) {
        checkState(state);
        System.arraycopy(state, 0, s, 0, 4);
    }

    /** cos and sin of both joint angles, then the two joint velocities (rad/s). */
    @Override
    public java.util.List<String> probeFeatureNames() {
        return java.util.List.of("cos_q1", "sin_q1", "cos_q2", "sin_q2", "dq1", "dq2");
    }

    @Override
    public double[] probeFeatures(float[] state) {
        checkState(state);
        return new double[] {Math.cos(state[0]), Math.sin(state[0]), Math.cos(state[1]), Math.sin(state[1]),
                state[2], state[3]};
    }

    /**
     * Steps a copy of {@code state} through {@code actions} [T][2] with this variant's dynamics (the env's own state
     * is untouched) and returns the final state [4]. Actions are clipped to [-1, 1], as {@link #step} does.
     */
    public float[] simulate(float[] state, float[][] actions) {
        checkState(state);
        double[] d = {state[0], state[1], state[2], state[3]};
        for (float[] a : actions) {
            dyn.step(d, Math.max(-1f, Math.min(1f, a[0])), Math.max(-1f, Math.min(1f, a[1])));
            for (int i = 0; i < 4; i++) {
                d[i] = (float) d[i];
            }
        }
        return new float[] {(float) d[0], (float) d[1], (float) d[2], (float) d[3]};
    }

    /** Length of the upper arm (shoulder to wrist), m. */
    public double upperArmLength() {
        return dyn.l1;
    }

    /** Duration of one env step, s. */
    public double stepSeconds() {
        return dyn.dt();
    }

    /** The wrist's joint limit |q2| ≤ limit in rad, or NaN where the wrist turns freely. */
    public double wristLimit() {
        return dyn.wristLimit;
    }

    @Override
    public GoalErrorSpec goalErrorSpec() {
        return GOAL_ERROR;
    }

    /** [max over both joints of |wrap(q - q_goal)|] in rad; success below SUCCESS_TOL. */
    @Override
    public double[] goalError(float[] goalState) {
        checkState(goalState);
        return new double[] {Math.max(Math.abs(ReacherDynamics.wrap((double) s[0] - goalState[0])),
                Math.abs(ReacherDynamics.wrap((double) s[1] - goalState[1])))};
    }
}
