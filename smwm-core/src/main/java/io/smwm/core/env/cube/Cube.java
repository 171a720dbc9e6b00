package io.smwm.core.env.cube;

import io.smwm.core.env.AbstractEnvironment;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.EnvSpec;
import io.smwm.core.env.GoalErrorSpec;
import io.smwm.core.render.RgbImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ode4j.math.DQuaternion;
import org.ode4j.math.DVector3C;

/**
 * Cube: 3-D tabletop pick-and-place of one 5 cm cube with a two-finger gripper (physics on ode4j, see
 * {@link CubePhysics}; own software renderer, see {@link CubeRenderer}).
 *
 * <p>Units: metres, seconds, radians; world z up, table top at z = 0, the gripper's workspace is
 * x, y in [-{@value #WORK_XY}, {@value #WORK_XY}] and z in [0.03, {@value #WORK_ZMAX}] (its reference point is
 * midway between the fingers at mid height, 3 cm above the fingertips).
 *
 * <p>Action a [5] in [-1, 1] = (dx, dy, dz, dyaw, gripper): PD target = gripper + a[0..2] ·
 * {@value #MOVE_SCALE} m; yaw += a[3] · {@value #YAW_SCALE} rad; finger gap += a[4] · {@value #GAP_SCALE} m
 * (a[4] < 0 closes and may grasp). One env step is 0.05 s (20 ODE steps of 2.5 ms).
 *
 * <p>State [22]: 0-2 gripper position (m); 3 gripper yaw (rad, wrapped to (-π, π]); 4 finger gap (m, 0 to
 * 0.08); 5-7 gripper linear velocity (m/s); 8-10 cube centre (m); 11-14 cube orientation quaternion (w, x, y, z);
 * 15-17 cube linear velocity (m/s); 18-20 cube angular velocity (rad/s, world frame); 21 grasped flag (1 while
 * the cube is attached to the gripper, else 0; while grasped the cube velocity is the gripper's and the
 * relative pose is recomputed from the two poses). The state is float-quantised and written back into the
 * simulator at the start of every step, so a restored state reproduces the frame and the future exactly.
 * {@link #positionStateIndices()} is empty: the gripper position is in metres, not [0,1] arena units.
 *
 * <p>Success: cube centre closer than {@value #SUCCESS_DIST} m to the goal state's cube centre; the goal error is
 * that distance, {@value #GOAL_ERROR_NAME}.
 *
 * <p>Param: {@value #PARAM_CAMERA_ZOOM} (see {@link #PARAM_CAMERA_ZOOM}); the physics is the same at every zoom.
 */
public final class Cube extends AbstractEnvironment {
    public static final String ID = "cube";
    public static final double MOVE_SCALE = 0.03;
    public static final double YAW_SCALE = 0.2;
    public static final double GAP_SCALE = 0.016;
    public static final double WORK_XY = 0.2;
    public static final double WORK_ZMIN = CubePhysics.FINGER_H / 2;
    public static final double WORK_ZMAX = 0.22;
    public static final double SUCCESS_DIST = 0.04;
    /** The goal error's one component: the cube centre's distance to the goal's (m). */
    public static final String GOAL_ERROR_NAME = "cube_distance_m";
    private static final GoalErrorSpec GOAL_ERROR = GoalErrorSpec.of(GOAL_ERROR_NAME, SUCCESS_DIST);
    public static final double HALF_SIZE = CubePhysics.HALF;
    public static final int STATE_DIM = 22;

    /**
     * Config param: how much nearer the camera is than the default's, a number in (0, {@value #MAX_ZOOM}] (default 1):
     * the eye moves toward the point it looks at by this factor, with the same direction and field of view, so the
     * cube, the fingers and the shadows cover zoom² times the pixels. At 1 the 5 cm cube is about 5 px wide in a 64-px
     * frame; at 1.4 about 7 px, and the square where the cube starts and is placed (±0.15 m, up to 12 cm high) just
     * fills the frame's width, while the gripper's wider workspace (±{@value #WORK_XY} m) leaves it at its near corners.
     */
    public static final String PARAM_CAMERA_ZOOM = "camera_zoom";
    static final double MAX_ZOOM = 4;

    private final float[] s = new float[STATE_DIM];
    private final CubePhysics physics = new CubePhysics();
    private final double cameraZoom;
    private CubeRenderer renderer;

    public Cube(EnvConfig config) {
        super(config);
        checkParams(ID, java.util.Set.of(PARAM_CAMERA_ZOOM));
        cameraZoom = positiveParam(ID, PARAM_CAMERA_ZOOM, 1, MAX_ZOOM);
    }

    @Override
    protected EnvSpec buildSpec() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("cube_size_m", Double.toString(2 * CubePhysics.HALF));
        p.put("move_scale_m", Double.toString(MOVE_SCALE));
        p.put("yaw_scale_rad", Double.toString(YAW_SCALE));
        p.put("gap_scale_m", Double.toString(GAP_SCALE));
        p.put("dt_s", Double.toString(CubePhysics.SUB_DT * CubePhysics.SUB_STEPS));
        p.put("success_dist_m", Double.toString(SUCCESS_DIST));
        p.put("engine", "ode4j 0.5.3 (dWorldStep)");
        p.put(PARAM_CAMERA_ZOOM, Double.toString(cameraZoom));
        float[] lo = {-1, -1, -1, -1, -1}, hi = {1, 1, 1, 1, 1};
        return new EnvSpec(ID, config.variant(), 5, lo, hi, STATE_DIM,
                List.of("grip_x", "grip_y", "grip_z", "grip_yaw", "grip_gap", "grip_vx", "grip_vy", "grip_vz",
                        "cube_x", "cube_y", "cube_z", "cube_qw", "cube_qx", "cube_qy", "cube_qz", "cube_vx",
                        "cube_vy", "cube_vz", "cube_wx", "cube_wy", "cube_wz", "grasped"),
                distractorStateDim(), config.imageSize(), config.imageSize(), config.distractors(), p);
    }

    @Override
    protected void resetTask() {
        java.util.Arrays.fill(s, 0f);
        s[0] = (float) (-0.18 + 0.36 * rng.nextDouble());
        s[1] = (float) (-0.18 + 0.36 * rng.nextDouble());
        s[2] = (float) (0.1 + 0.1 * rng.nextDouble());
        s[3] = (float) ((rng.nextDouble() - 0.5) * Math.PI);
        s[4] = (float) CubePhysics.GAP_MAX;
        s[8] = (float) (-0.15 + 0.3 * rng.nextDouble());
        s[9] = (float) (-0.15 + 0.3 * rng.nextDouble());
        s[10] = (float) CubePhysics.HALF;
        double psi = (rng.nextDouble() * 2 - 1) * Math.PI;
        s[11] = (float) Math.cos(psi / 2);
        s[14] = (float) Math.sin(psi / 2);
    }

    private void load() {
        physics.load(new double[] {s[0], s[1], s[2]}, s[3], s[4], new double[] {s[5], s[6], s[7]},
                new double[] {s[8], s[9], s[10]}, new double[] {s[11], s[12], s[13], s[14]},
                new double[] {s[15], s[16], s[17]}, new double[] {s[18], s[19], s[20]}, s[21] > 0.5f);
    }

    @Override
    protected boolean stepTask(float[] a) {
        load();
        double tx = clamp(s[0] + a[0] * MOVE_SCALE, -WORK_XY, WORK_XY);
        double ty = clamp(s[1] + a[1] * MOVE_SCALE, -WORK_XY, WORK_XY);
        double tz = clamp(s[2] + a[2] * MOVE_SCALE, WORK_ZMIN, WORK_ZMAX);
        physics.step(tx, ty, tz, a[3] * YAW_SCALE, a[4] * GAP_SCALE, a[4] < 0);
        DVector3C gp = physics.gripper.getPosition(), gv = physics.gripper.getLinearVel();
        s[0] = (float) gp.get0();
        s[1] = (float) gp.get1();
        s[2] = (float) gp.get2();
        s[3] = (float) wrap(physics.yaw);
        s[4] = (float) physics.gap;
        s[5] = (float) gv.get0();
        s[6] = (float) gv.get1();
        s[7] = (float) gv.get2();
        DVector3C cp = physics.cubePosition();
        DQuaternion q = physics.cubeQuaternion();
        s[8] = (float) cp.get0();
        s[9] = (float) cp.get1();
        s[10] = (float) cp.get2();
        s[11] = (float) q.get0();
        s[12] = (float) q.get1();
        s[13] = (float) q.get2();
        s[14] = (float) q.get3();
        DVector3C cv = physics.grasped ? gv : physics.cube.getLinearVel();
        s[15] = (float) cv.get0();
        s[16] = (float) cv.get1();
        s[17] = (float) cv.get2();
        DVector3C cw = physics.cube.getAngularVel();
        for (int i = 0; i < 3; i++) {
            s[18 + i] = physics.grasped ? 0f : (float) cw.get(i);
        }
        s[21] = physics.grasped ? 1f : 0f;
        return false;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static double wrap(double a) {
        double r = a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
        return r <= -Math.PI ? r + 2 * Math.PI : r;
    }

    @Override
    protected int backgroundColor() {
        return CubeRenderer.BACKGROUND;
    }

    @Override
    protected void drawScene(RgbImage img) {
        if (renderer == null) {
            renderer = new CubeRenderer(img.width(), cameraZoom);
        }
        renderer.render(img, new double[] {s[0], s[1], s[2]}, s[3], s[4], new double[] {s[8], s[9], s[10]},
                CubePhysics.rotation(s[11], s[12], s[13], s[14]));
    }

    @Override
    public float[] state() {
        return s.clone();
    }

    /**
     * The state after {@code actions} from {@code state}, without rendering (what {@link #step} does to the state,
     * each action clipped to [-1, 1]); this env is left in the final state. For planning with the true dynamics.
     *
     * @param state   a full state [22]
     * @param actions primitive actions [T][5]
     * @return the state after the T steps [22]
     */
    public float[] simulate(float[] state, float[][] actions) {
        setState(state);
        float[] a = new float[5];
        for (float[] act : actions) {
            for (int i = 0; i < 5; i++) {
                a[i] = Math.max(-1f, Math.min(1f, act[i]));
            }
            stepTask(a);
        }
        return s.clone();
    }

    @Override
    public void setState(float[] state) {
        checkState(state);
        if (state[11] == 0 && state[12] == 0 && state[13] == 0 && state[14] == 0) {
            throw new IllegalArgumentException(ID + ": cube quaternion (state[11..14]) must be non-zero");
        }
        System.arraycopy(state, 0, s, 0, STATE_DIM);
    }

    @Override
    public GoalErrorSpec goalErrorSpec() {
        return GOAL_ERROR;
    }

    /** [Euclidean distance of the cube centre to the goal's cube centre] in m; success below SUCCESS_DIST. */
    @Override
    public double[] goalError(float[] goalState) {
        checkState(goalState);
        double dx = (double) s[8] - goalState[8], dy = (double) s[9] - goalState[9];
        double dz = (double) s[10] - goalState[10];
        return new double[] {Math.sqrt(dx * dx + dy * dy + dz * dz)};
    }

    /**
     * The probe features' names: the gripper's pose, the cube's position and yaw, the grasp flag (see
     * {@link #probeFeatures}).
     */
    @Override
    public List<String> probeFeatureNames() {
        return List.of("grip_x", "grip_y", "grip_z", "cos_2grip_yaw", "sin_2grip_yaw", "grip_gap", "cube_x", "cube_y",
                "cube_z", "cos_4cube_yaw", "sin_4cube_yaw", "grasped");
    }

    /**
     * The state [22] as 12 features a frame shows: gripper position, yaw as (cos 2φ, sin 2φ) (the two fingers look the same turned by half
     * a turn) and finger gap; cube centre;
     * the cube's yaw about the vertical as (cos 4ψ, sin 4ψ), since a cube turned by a quarter turn looks the same;
     * the grasp flag. Left out: velocities (a single frame does not show them, and they spike at contacts) and the
     * quaternion's components (q and −q are one orientation, so they flip sign with no change in the frame). Diagnostic
     * fits on all 22 raw numbers had more polynomial terms than held-out rows could support.
     */
    @Override
    public double[] probeFeatures(float[] state) {
        checkState(state);
        double w = state[11], x = state[12], y = state[13], z = state[14];
        double yaw = Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
        return new double[] {state[0], state[1], state[2], Math.cos(2 * state[3]), Math.sin(2 * state[3]), state[4],
                state[8], state[9], state[10], Math.cos(4 * yaw), Math.sin(4 * yaw), state[21]};
    }

    /** Height (m) of the cube's lowest corner above the table, for the current state. */
    public double cubeLowestCorner() {
        double[][] r = CubePhysics.rotation(s[11], s[12], s[13], s[14]);
        double ext = CubePhysics.HALF * (Math.abs(r[2][0]) + Math.abs(r[2][1]) + Math.abs(r[2][2]));
        return s[10] - ext;
    }
}
