package io.smwm.core.env.tworoom;

import io.smwm.core.env.AbstractEnvironment;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.EnvSpec;
import io.smwm.core.env.GoalErrorSpec;
import io.smwm.core.render.RgbImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TwoRoom navigation (the paper's navigation task): a point agent (a disc) in the unit square, split into a left and a right
 * room by a vertical wall with one door.
 *
 * <p><b>Geometry</b> (arena units, [0,1] across the frame, x right, y down; pixel = position · imageSize): the
 * wall occupies x ∈ [{@link #WALL_X} − {@link #WALL_HALF_THICKNESS}, WALL_X + WALL_HALF_THICKNESS] = [0.48, 0.52]
 * over the whole height except the door y ∈ [{@link #DOOR_LOW}, {@link #DOOR_HIGH}] = [0.4, 0.6] (fixed, centred).
 * The agent is a disc of radius {@link #AGENT_RADIUS}; the disc never overlaps the wall or leaves the arena, so
 * its centre crosses x = 0.5 only with y ∈ [DOOR_LOW + AGENT_RADIUS, DOOR_HIGH − AGENT_RADIUS].
 *
 * <p><b>Dynamics.</b> a ∈ [-1,1]^2; the centre moves by a · {@link #SPEED} (0.025 of the arena per step, so 25
 * full-speed steps cover 0.625). Collisions are resolved per axis (x then y) over {@link #SUBSTEPS} sub-steps,
 * each axis move swept against the wall pieces inflated by the agent radius (and the arena shrunk by it), so
 * nothing tunnels and the agent slides along walls: pushing into a wall stops the normal component and keeps the
 * tangential one. Positions are kept float-representable, rounded toward the free side.
 *
 * <p><b>Task state</b> [x, y]: the agent's centre in arena units. Velocity-free: the state alone determines the
 * frame and the dynamics. {@link #positionStateIndices()} = {0, 1}.
 *
 * <p><b>Start states</b>: uniform over the free space (either room, or the doorway). <b>Success</b>: centre closer
 * than {@link #SUCCESS_RADIUS} = 16/224 of the arena width to the goal centre; the goal error is that distance,
 * {@value #GOAL_ERROR_NAME} (arena units). Episodes never terminate.
 *
 * <p><b>Render</b>: light grey background, dark grey wall, red agent disc.
 */
public final class TwoRoom extends AbstractEnvironment {
    public static final String ID = "tworoom";
    public static final double WALL_X = 0.5;
    public static final double WALL_HALF_THICKNESS = 0.02;
    public static final double DOOR_LOW = 0.4;
    public static final double DOOR_HIGH = 0.6;
    public static final double AGENT_RADIUS = 0.035;
    public static final double SPEED = 0.025;
    public static final int SUBSTEPS = 4;
    public static final double SUCCESS_RADIUS = 16.0 / 224.0;
    /** The goal error's one component: the Euclidean distance of the agent's centre to the goal's (arena units). */
    public static final String GOAL_ERROR_NAME = "agent_distance";
    private static final GoalErrorSpec GOAL_ERROR = GoalErrorSpec.of(GOAL_ERROR_NAME, SUCCESS_RADIUS);
    public static final int BACKGROUND = 0xf2f2f2;
    public static final int WALL_COLOUR = 0x404040;
    public static final int AGENT_COLOUR = 0xd62728;

    /** Centre x-range blocked by the inflated wall: (BLOCK_X0, BLOCK_X1), open. */
    static final double BLOCK_X0 = WALL_X - WALL_HALF_THICKNESS - AGENT_RADIUS;
    static final double BLOCK_X1 = WALL_X + WALL_HALF_THICKNESS + AGENT_RADIUS;
    /** Centre y-range of the door passage: [DOOR_Y0, DOOR_Y1]; outside it (open) the inflated wall blocks. */
    public static final double DOOR_Y0 = DOOR_LOW + AGENT_RADIUS;
    public static final double DOOR_Y1 = DOOR_HIGH - AGENT_RADIUS;
    static final double MIN = AGENT_RADIUS;
    static final double MAX = 1 - AGENT_RADIUS;

    private float x;
    private float y;

    public TwoRoom(EnvConfig config) {
        super(config);
        checkParams(ID, java.util.Set.of());
        if (!"default".equals(config.variant())) {
            throw new IllegalArgumentException("unknown variant '" + config.variant() + "' for " + ID
                    + "; valid: [default]");
        }
    }

    /** True if a centre at (cx, cy) is a legal agent position (inside the arena, disc not overlapping the wall). */
    public static boolean isFree(double cx, double cy) {
        if (cx < MIN || cx > MAX || cy < MIN || cy > MAX) {
            return false;
        }
        return !(cx > BLOCK_X0 && cx < BLOCK_X1 && (cy < DOOR_Y0 || cy > DOOR_Y1));
    }

    /** Room of a centre x: -1 left, +1 right, 0 inside the doorway's x-range. */
    public static int room(double cx) {
        return cx <= BLOCK_X0 ? -1 : cx >= BLOCK_X1 ? 1 : 0;
    }

    @Override
    protected EnvSpec buildSpec() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("wallX", Double.toString(WALL_X));
        p.put("wallHalfThickness", Double.toString(WALL_HALF_THICKNESS));
        p.put("doorLow", Double.toString(DOOR_LOW));
        p.put("doorHigh", Double.toString(DOOR_HIGH));
        p.put("agentRadius", Double.toString(AGENT_RADIUS));
        p.put("speed", Double.toString(SPEED));
        p.put("successRadius", Double.toString(SUCCESS_RADIUS));
        return new EnvSpec(ID, "default", 2, new float[] {-1f, -1f}, new float[] {1f, 1f}, 2,
                List.of("agent_x", "agent_y"), distractorStateDim(), config.imageSize(), config.imageSize(),
                config.distractors(), p);
    }

    @Override
    protected void resetTask() {
        double cx, cy;
        do {
            cx = MIN + (MAX - MIN) * rng.nextDouble();
            cy = MIN + (MAX - MIN) * rng.nextDouble();
        } while (!isFree((float) cx, (float) cy));
        x = (float) cx;
        y = (float) cy;
    }

    @Override
    protected boolean stepTask(float[] a) {
        double dx = a[0] * SPEED / SUBSTEPS, dy = a[1] * SPEED / SUBSTEPS;
        for (int s = 0; s < SUBSTEPS; s++) {
            x = moveX(x, y, dx);
            y = moveY(x, y, dy);
        }
        return false;
    }

    /** Sweeps the centre from x0 by dx at height y0; stops at the arena border or the inflated wall. */
    static float moveX(float x0, float y0, double dx) {
        if (dx == 0) {
            return x0;
        }
        double t = x0 + dx;
        boolean wallRow = y0 < DOOR_Y0 || y0 > DOOR_Y1;
        if (dx > 0) {
            t = Math.min(t, MAX);
            if (wallRow && x0 <= BLOCK_X0 && t > BLOCK_X0) {
                t = BLOCK_X0;
            }
            return roundDown(t);
        }
        t = Math.max(t, MIN);
        if (wallRow && x0 >= BLOCK_X1 && t < BLOCK_X1) {
            t = BLOCK_X1;
        }
        return roundUp(t);
    }

    /** Sweeps the centre from y0 by dy at x0; stops at the arena border or the door jambs. */
    static float moveY(float x0, float y0, double dy) {
        if (dy == 0) {
            return y0;
        }
        double t = y0 + dy;
        boolean wallColumn = x0 > BLOCK_X0 && x0 < BLOCK_X1;
        if (dy > 0) {
            t = Math.min(t, MAX);
            if (wallColumn) {
                t = Math.min(t, DOOR_Y1);
            }
            return roundDown(t);
        }
        t = Math.max(t, MIN);
        if (wallColumn) {
            t = Math.max(t, DOOR_Y0);
        }
        return roundUp(t);
    }

    private static float roundDown(double v) {
        float f = (float) v;
        return f > v ? Math.nextDown(f) : f;
    }

    private static float roundUp(double v) {
        float f = (float) v;
        return f < v ? Math.nextUp(f) : f;
    }

    @Override
    protected int backgroundColor() {
        return BACKGROUND;
    }

    @Override
    protected void drawScene(RgbImage img) {
        double s = config.imageSize();
        double x0 = (WALL_X - WALL_HALF_THICKNESS) * s, x1 = (WALL_X + WALL_HALF_THICKNESS) * s;
        img.fillRect(x0, 0, x1, DOOR_LOW * s, WALL_COLOUR);
        img.fillRect(x0, DOOR_HIGH * s, x1, s, WALL_COLOUR);
        img.fillCircle(x * s, y * s, AGENT_RADIUS * s, AGENT_COLOUR);
    }

    @Override
    public float[] state() {
        return new float[] {x, y};
    }

    /** Sets the agent centre; it must be a free position ({@link #isFree}). */
    @Override
    public void setState(float[] state) {
        checkState(state);
        if (!isFree(state[0], state[1])) {
            throw new IllegalArgumentException(ID + ": state (" + state[0] + ", " + state[1] + ") is not a free "
                    + "agent position (inside [" + MIN + ", " + MAX + "]^2 and not overlapping the wall x in ("
                    + BLOCK_X0 + ", " + BLOCK_X1 + ") outside the door y in [" + DOOR_Y0 + ", " + DOOR_Y1 + "])");
        }
        x = state[0];
        y = state[1];
    }

    @Override
    public GoalErrorSpec goalErrorSpec() {
        return GOAL_ERROR;
    }

    /** [the agent centre's Euclidean distance to the goal centre], arena units; success below SUCCESS_RADIUS. */
    @Override
    public double[] goalError(float[] goalState) {
        checkState(goalState);
        double dx = (double) x - goalState[0], dy = (double) y - goalState[1];
        return new double[] {Math.sqrt(dx * dx + dy * dy)};
    }

    @Override
    public int[] positionStateIndices() {
        return new int[] {0, 1};
    }
}
