package io.smwm.core.env.pusht;

import io.smwm.core.env.AbstractEnvironment;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.EnvSpec;
import io.smwm.core.env.GoalErrorSpec;
import io.smwm.core.render.RgbImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Push-T: a round agent pushes a T-shaped block on a table (2-D contact dynamics on dyn4j, see
 * {@link PushTPhysics}).
 *
 * <p>Units: arena units, the world is the unit square [0,1]² (1 = 512 px of the reference world = 5.12 m), y up,
 * origin at the bottom-left corner; velocities in arena units per second; angles in rad, counter-clockwise.
 *
 * <p>Action a [2] in [-1, 1]: PD target offset from the current agent position, target = agent + a ·
 * {@value #ACTION_SCALE} (clamped inside the walls); the PD force acts for one env step of 0.1 s (10 physics
 * sub-steps of 0.01 s).
 *
 * <p>State [10] = (agent_x, agent_y, agent_vx, agent_vy, block_x, block_y, block_angle, block_vx, block_vy,
 * block_omega). The block position is its centre of mass (the stem's axis, {@code 0.257} m below the bar
 * centre); block_angle 0 means the bar on top, wrapped to (-π, π]. The state is float-quantised after every
 * step, so a restored state steps exactly like the original. {@link #positionStateIndices()} = {0, 1}.
 *
 * <p>Success: block position error below {@value #SUCCESS_POS} (20 px of 512) and wrapped angle error below
 * π/9 against the goal state, the agent ignored (the paper's text). The goal error has these two components:
 * {@value #GOAL_ERROR_POSITION} (the block centre's distance in px of the {@value #WORLD_PX}-px reference world,
 * below 20) and {@value #GOAL_ERROR_ANGLE} (rad, below π/9); with {@value #PARAM_SUCCESS_AGENT}{@code =true} a
 * third, {@value #GOAL_ERROR_AGENT} (the agent centre's distance in px, below 20), as the benchmark's code checks.
 *
 * <p>Render: light table, grey T block, blue agent disc; the goal is never drawn (goals are images). Params:
 * {@value #PARAM_BLOCK_MASS} and {@value #PARAM_SUCCESS_AGENT} (see each).
 */
public final class PushT extends AbstractEnvironment {
    public static final String ID = "pusht";
    public static final double ACTION_SCALE = 0.08;
    public static final double SUCCESS_POS = 20.0 / 512.0;
    public static final double SUCCESS_ANGLE = Math.PI / 9;
    /** Pixels of the reference world per arena unit: goal position errors are reported in these px. */
    public static final double WORLD_PX = 512;
    /** The goal error's block position component (px of the reference world). */
    public static final String GOAL_ERROR_POSITION = "block_position_error_px";
    /** The goal error's block angle component (rad, wrapped). */
    public static final String GOAL_ERROR_ANGLE = "block_angle_error_rad";
    /** The goal error's agent position component with {@value #PARAM_SUCCESS_AGENT} (px of the reference world). */
    public static final String GOAL_ERROR_AGENT = "agent_position_error_px";
    private static final GoalErrorSpec GOAL_ERROR = new GoalErrorSpec(List.of(GOAL_ERROR_POSITION,
            GOAL_ERROR_ANGLE), new double[] {SUCCESS_POS * WORLD_PX, SUCCESS_ANGLE});
    private static final GoalErrorSpec GOAL_ERROR_WITH_AGENT = new GoalErrorSpec(List.of(GOAL_ERROR_POSITION,
            GOAL_ERROR_ANGLE, GOAL_ERROR_AGENT), new double[] {SUCCESS_POS * WORLD_PX, SUCCESS_ANGLE,
            SUCCESS_POS * WORLD_PX});
    /** Agent radius in arena units. */
    public static final double AGENT_R = PushTPhysics.AGENT_R / PushTPhysics.WORLD_M;
    /** Width of the block's bar (its widest extent) in arena units. */
    public static final double BLOCK_WIDTH = PushTPhysics.BAR_W / PushTPhysics.WORLD_M;
    static final int TABLE_COLOR = 0xece7da;
    static final int BLOCK_COLOR = 0x7a8288;
    static final int AGENT_COLOR = 0x2f62d0;

    /**
     * Config param: the block's mass as a multiple of the default (1.26 kg; its damping rates stay), a number &gt; 0
     * (default 1). Heavier blocks slow the force-limited agent while it pushes, by an amount that depends on where
     * it touches the T.
     */
    public static final String PARAM_BLOCK_MASS = "block_mass";
    /**
     * Config param of the success test only, {@code true} or {@code false} (default): whether success also wants the
     * agent within 20 px of the goal frame's agent, as the benchmark's code checks Push-T (the paper's text names the
     * block's pose only). Dynamics and frames are the same either way, so an evaluation may set it on any table.
     */
    public static final String PARAM_SUCCESS_AGENT = "success_agent";

    private final float[] s = new float[10];
    private final double blockMass;
    private final boolean successAgent;

    public PushT(EnvConfig config) {
        super(config);
        checkParams(ID, java.util.Set.of(PARAM_BLOCK_MASS, PARAM_SUCCESS_AGENT));
        blockMass = positiveParam(ID, PARAM_BLOCK_MASS, 1, 1e6);
        String agent = config.params().getOrDefault(PARAM_SUCCESS_AGENT, "false");
        if (!agent.equals("true") && !agent.equals("false")) {
            throw new IllegalArgumentException(ID + ": " + PARAM_SUCCESS_AGENT + " must be true or false, got '"
                    + agent + "'");
        }
        successAgent = agent.equals("true");
    }

    @Override
    protected EnvSpec buildSpec() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("world_m", Double.toString(PushTPhysics.WORLD_M));
        p.put("action_scale", Double.toString(ACTION_SCALE));
        p.put("dt_s", Double.toString(PushTPhysics.SUB_DT * PushTPhysics.SUB_STEPS));
        p.put("success_pos", Double.toString(SUCCESS_POS));
        p.put("success_angle_rad", Double.toString(SUCCESS_ANGLE));
        p.put("engine", "dyn4j 5.0.2");
        p.put(PARAM_BLOCK_MASS, Double.toString(blockMass));
        if (successAgent) { // only when set, so tables of the default check keep their metadata
            p.put(PARAM_SUCCESS_AGENT, "true");
        }
        return new EnvSpec(ID, config.variant(), 2, new float[] {-1, -1}, new float[] {1, 1}, 10,
                List.of("agent_x", "agent_y", "agent_vx", "agent_vy", "block_x", "block_y", "block_angle",
                        "block_vx", "block_vy", "block_omega"),
                distractorStateDim(), config.imageSize(), config.imageSize(), config.distractors(), p);
    }

    @Override
    protected void resetTask() {
        java.util.Arrays.fill(s, 0f);
        s[4] = (float) (0.3 + 0.4 * rng.nextDouble());
        s[5] = (float) (0.3 + 0.4 * rng.nextDouble());
        s[6] = (float) PushTPhysics.wrap((rng.nextDouble() * 2 - 1) * Math.PI);
        double clearance = (PushTPhysics.AGENT_R + 0.05) / PushTPhysics.WORLD_M;
        do {
            s[0] = (float) (0.08 + 0.84 * rng.nextDouble());
            s[1] = (float) (0.08 + 0.84 * rng.nextDouble());
        } while (agentClearance() < clearance);
    }

    /** Distance (arena units) from the agent's centre to the block outline (0 inside). */
    public double agentClearance() {
        double m = PushTPhysics.WORLD_M;
        return PushTPhysics.distanceToBlock(s[0] * m, s[1] * m, s[4] * m, s[5] * m, s[6]) / m;
    }

    @Override
    protected boolean stepTask(float[] a) {
        double m = PushTPhysics.WORLD_M, lo = AGENT_R, hi = 1 - AGENT_R;
        double tx = Math.max(lo, Math.min(hi, s[0] + a[0] * ACTION_SCALE));
        double ty = Math.max(lo, Math.min(hi, s[1] + a[1] * ACTION_SCALE));
        double[] d = new double[10];
        for (int i = 0; i < 10; i++) {
            d[i] = i == 6 || i == 9 ? s[i] : s[i] * m;
        }
        PushTPhysics.step(d, tx * m, ty * m, blockMass);
        for (int i = 0; i < 10; i++) {
            s[i] = (float) (i == 6 || i == 9 ? d[i] : d[i] / m);
        }
        return false;
    }

    @Override
    protected int backgroundColor() {
        return TABLE_COLOR;
    }

    @Override
    protected void drawScene(RgbImage img) {
        double w = img.width(), h = img.height();
        double[][] o = PushTPhysics.outline(s[4], s[5], s[6], 1 / PushTPhysics.WORLD_M);
        double[] xs = new double[8], ys = new double[8];
        for (int i = 0; i < 8; i++) {
            xs[i] = o[0][i] * w;
            ys[i] = (1 - o[1][i]) * h;
        }
        img.fillPolygon(xs, ys, BLOCK_COLOR);
        img.fillCircle(s[0] * w, (1 - s[1]) * h, AGENT_R * w, AGENT_COLOR);
    }

    @Override
    public float[] state() {
        return s.clone();
    }

    /**
     * The state after {@code actions} from {@code state}, without rendering (what {@link #step} does to the state,
     * each action clipped to [-1, 1]); this env is left in the final state. For planning with the true dynamics.
     *
     * @param state   a full state [10]
     * @param actions primitive actions [T][2]
     * @return the state after the T steps [10]
     */
    public float[] simulate(float[] state, float[][] actions) {
        setState(state);
        float[] a = new float[2];
        for (float[] act : actions) {
            for (int i = 0; i < 2; i++) {
                a[i] = Math.max(-1f, Math.min(1f, act[i]));
            }
            stepTask(a);
        }
        return s.clone();
    }

    @Override
    public void setState(float[] state) {
        checkState(state);
        System.arraycopy(state, 0, s, 0, s.length);
    }

    @Override
    public GoalErrorSpec goalErrorSpec() {
        return successAgent ? GOAL_ERROR_WITH_AGENT : GOAL_ERROR;
    }

    /**
     * [block centre distance · WORLD_PX, |wrap(block angle − goal angle)|] and, with {@value #PARAM_SUCCESS_AGENT},
     * the agent centre's distance · WORLD_PX; success when below 20 px, π/9 (and 20 px) (the scaling by 512 is exact,
     * so this is the same test as distance &lt; SUCCESS_POS).
     */
    @Override
    public double[] goalError(float[] goalState) {
        checkState(goalState);
        double dx = (double) s[4] - goalState[4], dy = (double) s[5] - goalState[5];
        double block = Math.hypot(dx, dy) * WORLD_PX, angle = Math.abs(PushTPhysics.wrap((double) s[6] - goalState[6]));
        return successAgent ? new double[] {block, angle,
                Math.hypot((double) s[0] - goalState[0], (double) s[1] - goalState[1]) * WORLD_PX}
                : new double[] {block, angle};
    }

    @Override
    public int[] positionStateIndices() {
        return new int[] {0, 1};
    }

    /** The state's names with the block angle as its (cos, sin): see {@link #probeFeatures}. */
    @Override
    public List<String> probeFeatureNames() {
        return List.of("agent_x", "agent_y", "agent_vx", "agent_vy", "block_x", "block_y", "cos_block_angle",
                "sin_block_angle", "block_vx", "block_vy", "block_omega");
    }

    /**
     * The state [10] as 11 features, the block angle as (cos, sin): the angle is wrapped to (-π, π] and the T has
     * no symmetry, so a block turned through ±π would be a jump of 2π in the raw angle that no linear probe can
     * follow although the pose hardly changed.
     */
    @Override
    public double[] probeFeatures(float[] state) {
        checkState(state);
        return new double[] {state[0], state[1], state[2], state[3], state[4], state[5], Math.cos(state[6]),
                Math.sin(state[6]), state[7], state[8], state[9]};
    }
}
