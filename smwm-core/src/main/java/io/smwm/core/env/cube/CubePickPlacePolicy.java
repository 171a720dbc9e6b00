package io.smwm.core.env.cube;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.Environment;
import java.util.SplittableRandom;

/**
 * Data policy "pick-place" for {@link Cube}: back-to-back pick-and-place cycles, each carrying the cube 8-16 cm to
 * a new random place on the table, so that in most stretches of 25 env steps (the evaluation's goal offset) the
 * cube moves by more than the 4 cm success distance.
 *
 * <p>One cycle: APPROACH to {@value #HOVER} m above the cube's centre with the fingers open and the yaw aligned to a
 * cube face (mod π/2); DESCEND around it; CLOSE; CARRY: lift straight up by 2.5 cm, then (one cycle in five by way of
 * a random waypoint over the table at 5-17 cm height) toward the place target at the cycle's carry height; LOWER,
 * from 5 cm before the target on (a diagonal descent), until the cube's bottom reaches the table (one cycle in eight
 * only 1-5 cm above it: a low drop); RELEASE. Then one time in ten, with the fingers still around the cube, close on
 * it again at once; otherwise RISE straight up until the fingertips clear the cube (so that leaving does not knock
 * it), and then either (four times in nine) start the next cycle, or (five in nine) first make an EXCURSION: the
 * gripper moves for 2-5 steps toward a random point 3-8 cm from the cube, up to 6 cm above the clearing height,
 * opening or closing its fingers at random.
 *
 * <p>Each cycle draws: the place target at a uniform distance in [{@value #MIN_PLACE_DISTANCE},
 * {@value #MAX_PLACE_DISTANCE}] m in a uniform direction from the cube, clamped to [-{@value #PLACE_HALF},
 * {@value #PLACE_HALF}]² m (redrawn up to 20 times while the clamp brings it nearer than
 * {@value #MIN_PLACE_DISTANCE} m; then the farthest draw); the gripper's carry height in [0.045, 0.145] m (the held
 * cube's centre about 6 mm lower); a grasp offset of 0-4 mm (one cycle in ten 1-2.5 cm: a sloppy grasp that may miss
 * or push the cube); one cycle in four a yaw offset within ±0.3 rad. A missed grasp or a cube lost while carried
 * starts a new cycle from where the cube is; a phase that takes longer than its limit moves on (see {@link #act}).
 * Movement actions are proportional to the distance to the phase's target ({@link Cube#MOVE_SCALE} per unit,
 * saturating at 1). Gaussian noise σ = {@value #NOISE} is added to the movement and yaw components every step, and
 * 0.5 % of steps start a 2-4 step burst of uniform random movement and yaw (the finger command is kept, so a burst
 * never drops a held cube). Reads the privileged state.
 *
 * <p>The variant {@value #EXPLORE_NAME} ({@link #exploring()}) does the same cycles with wider actions, for data
 * that show the model what actions a planner's samples look like: movement and yaw noise σ
 * {@value #EXPLORE_NOISE}, Gaussian noise σ {@value #EXPLORE_FINGER_NOISE} on the finger command (so partial
 * openings and closings occur, and now and then a held cube is let go), and {@value #EXPLORE_BURST_RATE} of steps
 * start a burst whose random actions include the finger command in half of the bursts.
 *
 * <p>The variant {@value #MISS_NAME} ({@link #missing()}) makes {@value #MISS_RATE} of its cycles grasp attempts
 * that miss, for data that show the model what a badly set-up grasp does: half of them close the fingers
 * 2.5-6 cm higher than a grasp (above the cube), the other half with the gripper 3.5-6 cm off the cube's centre
 * (a finger lands on or beside it); after the fingers close on nothing the gripper makes a FAKE_CARRY, 5-15 steps
 * toward the cycle's place target with the fingers closed, before the next cycle (the cube stays behind). The
 * plain policy's grasps virtually never miss, so without these a model learns that closing the fingers near the cube
 * always takes it along. The other cycles, the noise and the bursts are {@value #NAME}'s.
 *
 * <p>The variant {@value #RUSH_NAME} ({@link #rushing()}) makes {@value #RUSH_RATE} of its cycles grasps begun in a
 * rush, for data that show the model what a planner's hurried plans do: from the hover point above the cube, instead
 * of descending straight down and closing, the gripper spends 4-8 steps closing its fingers (at full speed) while it
 * descends slowly (0.1-0.5 of the full speed) and already moves toward the place target (0.2-0.8 of the full speed),
 * so the fingers mostly shut above and beside the cube,
 * and then makes a FAKE_CARRY of 3-8 steps toward the target with the fingers closed, before the next cycle (the cube
 * stays behind, unless the fingers caught it after all: then it is carried as in any cycle). In {@value #NAME}'s data
 * the fingers close while the gripper descends and moves only when they hold the cube (its excursions close them
 * while moving level or rising). The other cycles, the noise and the bursts are {@value #NAME}'s.
 *
 * <p>The policy does not know the episode length, so an episode ends at any point of a cycle: about half of the
 * time with the cube released on the table. Every action is within [-1, 1]; the same env states and policy stream
 * give the same actions.
 */
public final class CubePickPlacePolicy implements BehaviourPolicy {
    /** Registry name. */
    public static final String NAME = "pick-place";
    /** Registry name of {@link #exploring()}. */
    public static final String EXPLORE_NAME = "pick-place-explore";
    /** Registry name of {@link #missing()}. */
    public static final String MISS_NAME = "pick-place-miss";
    /** Registry name of {@link #rushing()}. */
    public static final String RUSH_NAME = "pick-place-rush";

    private enum Phase { APPROACH, DESCEND, CLOSE, CARRY, LOWER, RELEASE, RISE, EXCURSION, FAKE_CARRY, RUSH }

    /** {@link #missing()}'s share of cycles that are grasp attempts set up to miss. */
    static final double MISS_RATE = 0.3;

    /** {@link #rushing()}'s share of cycles whose grasp is begun in a rush. */
    static final double RUSH_RATE = 0.2;

    /** Gaussian action noise (std) of the movement and yaw components. */
    static final double NOISE = 0.1;
    /** Chance per step that a burst of 2-4 uniform random steps starts. */
    static final double BURST_RATE = 0.005;
    /** {@link #exploring()}'s movement and yaw noise (std). */
    static final double EXPLORE_NOISE = 0.3;
    /** {@link #exploring()}'s finger-command noise (std). */
    static final double EXPLORE_FINGER_NOISE = 0.4;
    /** {@link #exploring()}'s chance per step that a burst starts. */
    static final double EXPLORE_BURST_RATE = 0.02;

    /**
     * What sets a variant apart: its name, movement/yaw and finger noise (std), burst rate and whether bursts move the
     * fingers, and the shares of cycles set up to miss and begun in a rush.
     */
    private record Variant(String name, double noise, double fingerNoise, double burstRate, boolean burstFingers,
                           double missRate, double rushRate) {}

    private final Variant v;
    /** Least horizontal distance (m) from the cube to a cycle's place target. */
    static final double MIN_PLACE_DISTANCE = 0.08;
    /** Most horizontal distance (m) from the cube to a cycle's place target, before clamping to the table. */
    static final double MAX_PLACE_DISTANCE = 0.16;
    /** Half side (m) of the square of place targets, centred on the table's origin. */
    static final double PLACE_HALF = 0.15;
    /** Height (m) of the gripper above the cube's centre from which it descends to grasp. */
    static final double HOVER = 0.065;
    /** Height (m) of the gripper above the cube's centre at which the fingers' tips clear the cube's top. */
    static final double CLEAR = CubePhysics.FINGER_H / 2 + Cube.HALF_SIZE + 0.005;
    /**
     * How far (m) below where it should stop a descent aims, so that it does not slow down on the way: the table,
     * the cube and the workspace's floor stop the gripper, and the phase ends on its height.
     */
    static final double OVERSHOOT = 0.01;

    private SplittableRandom rng;
    private Phase phase;
    private int phaseSteps;
    private int burst;
    private double grip;
    // per cycle
    private double offX;
    private double offY;
    private double yawOff;
    private double carryZ;
    private double px;
    private double py;
    private boolean waypoint;
    private double wx;
    private double wy;
    private double wz;
    private double dropHeight;
    private double graspZ;
    /** Whether this cycle is a grasp attempt set up to miss ({@link #missing()} only). */
    private boolean missCycle;
    /** How far (m) above the grasp height this cycle closes the fingers: 0 but for a miss from above. */
    private double missHigh;
    private int fakeSteps;
    /** Whether this cycle's grasp is begun in a rush ({@link #rushing()} only), and the rush's length and speed. */
    private boolean rushCycle;
    private int rushSteps;
    private double rushSpeed;
    private double rushDescent;
    // per excursion
    private double ex;
    private double ey;
    private double ez;
    private double exGrip;
    private int exSteps;
    private boolean excursion;
    private boolean burstGrip;

    /** The {@value #NAME} policy. */
    public CubePickPlacePolicy() {
        this(new Variant(NAME, NOISE, 0, BURST_RATE, false, 0, 0));
    }

    private CubePickPlacePolicy(Variant v) {
        this.v = v;
    }

    /** The {@value #EXPLORE_NAME} variant: the same cycles with wider actions (see the class comment). */
    public static CubePickPlacePolicy exploring() {
        return new CubePickPlacePolicy(new Variant(EXPLORE_NAME, EXPLORE_NOISE, EXPLORE_FINGER_NOISE,
                EXPLORE_BURST_RATE, true, 0, 0));
    }

    /** The {@value #MISS_NAME} variant: {@value #NAME} with grasp attempts that miss (see the class comment). */
    public static CubePickPlacePolicy missing() {
        return new CubePickPlacePolicy(new Variant(MISS_NAME, NOISE, 0, BURST_RATE, false, MISS_RATE, 0));
    }

    /** The {@value #RUSH_NAME} variant: {@value #NAME} with grasps begun in a rush (see the class comment). */
    public static CubePickPlacePolicy rushing() {
        return new CubePickPlacePolicy(new Variant(RUSH_NAME, NOISE, 0, BURST_RATE, false, 0, RUSH_RATE));
    }

    @Override
    public String name() {
        return v.name();
    }

    @Override
    public void reset(Environment env, SplittableRandom rng) {
        this.rng = rng;
        burst = 0;
        grip = 1;
        float[] s = env.state();
        newCycle(s[8], s[9]);
    }

    /** Draws a new cycle's grasp, carry and place for a cube at (cx, cy) and starts it with APPROACH. */
    private void newCycle(double cx, double cy) {
        boolean sloppy = rng.nextInt(10) == 0;
        double r = sloppy ? 0.01 + 0.015 * rng.nextDouble() : 0.004 * rng.nextDouble();
        double ang = rng.nextDouble() * 2 * Math.PI;
        offX = r * Math.cos(ang);
        offY = r * Math.sin(ang);
        yawOff = rng.nextInt(4) == 0 ? (rng.nextDouble() - 0.5) * 0.6 : 0;
        carryZ = 0.045 + 0.1 * rng.nextDouble();
        double best = -1;
        for (int i = 0; i < 20 && best < MIN_PLACE_DISTANCE; i++) {
            double d = MIN_PLACE_DISTANCE + (MAX_PLACE_DISTANCE - MIN_PLACE_DISTANCE) * rng.nextDouble();
            double dir = rng.nextDouble() * 2 * Math.PI;
            double x = clamp(cx + d * Math.cos(dir), PLACE_HALF), y = clamp(cy + d * Math.sin(dir), PLACE_HALF);
            double got = Math.hypot(x - cx, y - cy);
            if (got > best) {
                best = got;
                px = x;
                py = y;
            }
        }
        waypoint = rng.nextInt(5) == 0;
        wx = (rng.nextDouble() * 2 - 1) * PLACE_HALF;
        wy = (rng.nextDouble() * 2 - 1) * PLACE_HALF;
        wz = 0.05 + 0.12 * rng.nextDouble();
        dropHeight = rng.nextInt(8) == 0 ? 0.01 + 0.04 * rng.nextDouble() : 0;
        missCycle = false;
        missHigh = 0;
        // the plain policy draws nothing more here or below, so its data stay the same
        if (v.missRate() > 0 && rng.nextDouble() < v.missRate()) {
            missCycle = true;
            if (rng.nextBoolean()) {
                missHigh = 0.025 + 0.035 * rng.nextDouble();
            } else {
                double mr = 0.035 + 0.025 * rng.nextDouble(), ma = rng.nextDouble() * 2 * Math.PI;
                offX = mr * Math.cos(ma);
                offY = mr * Math.sin(ma);
            }
        }
        rushCycle = false;
        if (v.rushRate() > 0 && rng.nextDouble() < v.rushRate()) {
            rushCycle = true;
            rushSteps = 4 + rng.nextInt(5);
            rushSpeed = 0.2 + 0.6 * rng.nextDouble();
            rushDescent = 0.1 + 0.4 * rng.nextDouble();
        }
        go(Phase.APPROACH);
    }

    private void go(Phase p) {
        phase = p;
        phaseSteps = 0;
    }

    /**
     * The next action, within [-1, 1]. Phase limits (steps): APPROACH 30 and CLOSE 10 (then a new cycle), DESCEND 15
     * (then CLOSE), RUSH its drawn 4-8 (then FAKE_CARRY), CARRY 40 (then LOWER where it is), LOWER 20 (then
     * RELEASE), RELEASE 10 (then as after a release), RISE 8 (then on as if clear).
     */
    @Override
    public float[] act(Environment env) {
        float[] s = env.state();
        double gx = s[0], gy = s[1], gz = s[2], yaw = s[3], gap = s[4];
        double cx = s[8], cy = s[9], cz = s[10];
        boolean grasped = s[21] > 0.5f;
        double[][] rot = CubePhysics.rotation(s[11], s[12], s[13], s[14]);
        double cubeYaw = Math.atan2(rot[1][0], rot[0][0]);
        double tx = gx, ty = gy, tz = gz, dyaw = 0;
        phaseSteps++;
        switch (phase) {
            case APPROACH -> {
                tx = cx + offX;
                ty = cy + offY;
                tz = cz + HOVER;
                grip = 1;
                dyaw = quarterWrap(cubeYaw + yawOff - yaw);
                if (Math.hypot(tx - gx, ty - gy) < 0.012 && Math.abs(tz - gz) < 0.025 && Math.abs(dyaw) < 0.08
                        && gap > 0.06) {
                    go(rushCycle ? Phase.RUSH : Phase.DESCEND);
                } else if (phaseSteps > 30) {
                    newCycle(cx, cy);
                }
            }
            case DESCEND -> {
                tx = cx + offX;
                ty = cy + offY;
                double low = Math.max(Cube.WORK_ZMIN, cz + 0.002) + missHigh;
                tz = missHigh > 0 ? low : low - OVERSHOOT;
                grip = 1;
                dyaw = quarterWrap(cubeYaw + yawOff - yaw);
                if (gz - low < 0.008 || phaseSteps > 15) {
                    go(Phase.CLOSE);
                }
            }
            case CLOSE -> {
                grip = -1;
                if (grasped) {
                    graspZ = gz;
                    go(Phase.CARRY);
                } else if (gap < 0.005 || phaseSteps > 10) {
                    if (missCycle) {
                        fakeSteps = 5 + rng.nextInt(11);
                        go(Phase.FAKE_CARRY); // move off as if it held the cube
                    } else {
                        newCycle(cx, cy); // missed: approach again
                    }
                }
            }
            case CARRY -> {
                grip = -1;
                if (!grasped) {
                    newCycle(cx, cy); // lost it
                } else if (gz < graspZ + 0.025 && gz < carryZ - 0.005) {
                    tz = carryZ; // clear the table first
                } else if (waypoint) {
                    tx = wx;
                    ty = wy;
                    tz = wz;
                    if (Math.hypot(wx - gx, wy - gy) < 0.02 && Math.abs(wz - gz) < 0.02) {
                        waypoint = false;
                    }
                } else {
                    tx = px;
                    ty = py;
                    tz = carryZ;
                    if (Math.hypot(px - gx, py - gy) < 0.05) {
                        go(Phase.LOWER); // lowering starts before the target: a diagonal descent
                    }
                }
                if (phase == Phase.CARRY && phaseSteps > 40) {
                    go(Phase.LOWER);
                }
            }
            case LOWER -> {
                grip = -1;
                tx = px;
                ty = py;
                double bottom = cz - Cube.HALF_SIZE;
                tz = gz - bottom + dropHeight - OVERSHOOT; // the cube's bottom to the table (or to drop height)
                if (!grasped || bottom < dropHeight + 0.006 || phaseSteps > 20) {
                    go(Phase.RELEASE);
                }
            }
            case RELEASE -> {
                grip = 1;
                if (!grasped && gap > 0.065 || phaseSteps > 10) {
                    afterRelease(cx, cy, cz, gz);
                }
            }
            case RISE -> {
                tz = cz + CLEAR + OVERSHOOT;
                grip = 1;
                if (gz > cz + CLEAR || phaseSteps > 8) {
                    if (excursion) {
                        go(Phase.EXCURSION);
                    } else {
                        newCycle(cx, cy);
                    }
                }
            }
            case RUSH -> {
                grip = -1;
                double dx = px - gx, dy = py - gy, d = Math.max(1e-9, Math.hypot(dx, dy));
                double step = Math.min(d, rushSpeed * Cube.MOVE_SCALE); // a move of rushSpeed · MOVE_SCALE per step
                tx = gx + step * dx / d;
                ty = gy + step * dy / d;
                tz = Math.max(Math.max(Cube.WORK_ZMIN, cz + 0.002), gz - rushDescent * Cube.MOVE_SCALE); // slowly
                if (grasped) {
                    graspZ = gz;
                    go(Phase.CARRY); // the fingers caught the cube after all
                } else if (phaseSteps >= rushSteps) {
                    fakeSteps = 3 + rng.nextInt(6);
                    go(Phase.FAKE_CARRY);
                }
            }
            case FAKE_CARRY -> {
                grip = -1;
                tx = px;
                ty = py;
                tz = carryZ;
                if (grasped) {
                    graspZ = gz;
                    go(Phase.CARRY); // it caught the cube after all
                } else if (--fakeSteps <= 0) {
                    newCycle(cx, cy);
                }
            }
            case EXCURSION -> {
                tx = ex;
                ty = ey;
                tz = ez;
                grip = exGrip;
                if (--exSteps <= 0) {
                    newCycle(cx, cy);
                }
            }
        }
        float[] a = new float[5];
        if (burst == 0 && rng.nextDouble() < v.burstRate()) {
            burst = 2 + rng.nextInt(3);
            burstGrip = v.burstFingers() && rng.nextBoolean();
        }
        a[4] = (float) grip;
        if (burst > 0) {
            burst--;
            for (int i = 0; i < (burstGrip ? 5 : 4); i++) {
                a[i] = (float) (rng.nextDouble() * 2 - 1);
            }
        } else {
            a[0] = (float) ((tx - gx) / Cube.MOVE_SCALE + v.noise() * gaussian());
            a[1] = (float) ((ty - gy) / Cube.MOVE_SCALE + v.noise() * gaussian());
            a[2] = (float) ((tz - gz) / Cube.MOVE_SCALE + v.noise() * gaussian());
            a[3] = (float) (dyaw / Cube.YAW_SCALE + v.noise() * gaussian());
            if (v.fingerNoise() > 0) {
                a[4] = (float) (grip + v.fingerNoise() * gaussian());
            }
        }
        for (int i = 0; i < 5; i++) {
            a[i] = Math.max(-1f, Math.min(1f, a[i]));
        }
        return a;
    }

    /**
     * After a release: grasp the released cube again (a new cycle) at once where the fingers still straddle it, or
     * after rising straight up until the fingers clear it, or rise and make an excursion first.
     */
    private void afterRelease(double cx, double cy, double cz, double gz) {
        int k = rng.nextInt(10);
        if (k < 1 && gz < cz + CLEAR) {
            newCycle(cx, cy);
            go(Phase.DESCEND); // the fingers are around the cube: close again from here
            return;
        }
        excursion = k >= 5;
        double r = 0.03 + 0.05 * rng.nextDouble(), ang = rng.nextDouble() * 2 * Math.PI;
        ex = Math.max(-Cube.WORK_XY, Math.min(Cube.WORK_XY, cx + r * Math.cos(ang)));
        ey = Math.max(-Cube.WORK_XY, Math.min(Cube.WORK_XY, cy + r * Math.sin(ang)));
        ez = cz + CLEAR + 0.06 * rng.nextDouble();
        exGrip = rng.nextDouble() * 2 - 1;
        exSteps = 2 + rng.nextInt(4);
        go(Phase.RISE);
    }

    private static double clamp(double v, double half) {
        return Math.max(-half, Math.min(half, v));
    }

    /** Wraps an angle difference to [-π/4, π/4) (the cube looks the same every quarter turn). */
    private static double quarterWrap(double d) {
        double q = Math.PI / 2;
        return d - q * Math.floor((d + q / 2) / q);
    }

    private double gaussian() {
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
