package io.smwm.core.env.pusht;

import static io.smwm.core.env.pusht.PushTBlockPose.cosine;
import static io.smwm.core.env.pusht.PushTBlockPose.norm;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.Environment;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Data policy "pusher" for {@link PushT}: a noisy expert that pushes the T block toward random target poses,
 * turning it as well as moving it.
 *
 * <p>Contract: {@link #reset} starts an episode with the given stream, the policy's only source of randomness,
 * and forgets everything of earlier episodes, so an episode's actions are a function of the env's start state and
 * that stream (whatever the instance did before); {@link #act} reads the privileged state {@code env.state()} and
 * returns a 2-D action within [-1, 1]. Geometry is worked in metres (arena units × {@value PushTPhysics#WORLD_M}).
 *
 * <p>Targets: every target turns the block by {@value #MIN_TURN_DEG}°–180° either way from its angle when the
 * target is drawn; with probability {@value #P_TURN_IN_PLACE} it keeps the block's position (a turn in place),
 * otherwise its position is uniform in [{@value #TARGET_LO}, {@value #TARGET_HI}]² (arena units) at least
 * {@value #MIN_TARGET_DIST} from the block. A target is replaced when the block is within half of both success
 * tolerances of it (after a rest of 0–{@value #MAX_REST} steps) or after {@value #TARGET_TIMEOUT} steps.
 *
 * <p>Contact choice: the pose error is e = (Δx, Δy, ANGLE_LENGTH·Δθ) in metres, ANGLE_LENGTH being the success
 * position tolerance over the success angle tolerance, so both tolerances weigh the same. The candidate contacts
 * are points every {@value #CONTACT_SPACING} m along the T's outline where the agent disc fits (not in the two
 * concave corners), each pushed along its inward normal or turned by ±{@value #CONE_OFFSET} rad within the
 * friction cone. A push of direction u at lever r from the centre of mass moves the free, equally damped block
 * with twist (u, ANGLE_LENGTH·(r × u)/k²) in that metric (k² = I/m of the T; {@link PushTBlockPose} holds this
 * geometry): through the centre of mass it only
 * moves it, off-centre it also turns it. A contact's score is the cosine between twist and error times
 * PUSH_LENGTH / (PUSH_LENGTH + the agent's way to it) (progress per metre the agent moves, {@value #PUSH_LENGTH}
 * m being a typical push), plus Gaussian noise of std {@value #SCORE_NOISE} so that equally good contacts
 * alternate. Pushes that would bring the block closer than {@value #WALL_GAP} m to a wall (where it already is
 * farther) and contacts the agent cannot reach are never chosen.
 *
 * <p>Approach and push: the agent goes to a stand-off point {@value #STANDOFF} m off the contact along its outward
 * normal, straight when that keeps it clear of the block, else along the shortest way around the block that keeps
 * {@value PushTRoutes#MARGIN} m off it ({@link PushTRoutes}; backing away first when it touches the block), so it
 * never pushes the block on the way. The push moves the agent along the push direction at a speed drawn per
 * contact in [{@value #PUSH_SPEED_MIN}, {@value #PUSH_SPEED_MAX}] of full speed, slower when one step is predicted
 * to remove more than {@value #SETTLE_SHARE} of the error (at a demonstrator's pace, never more than
 * {@value #DEMO_PACE} m of it), steering sideways to stay on the contact as the block turns. The contact is
 * re-planned when its cosine falls below {@value #CONTINUE_COS}, when the push stalls (over its last
 * {@value #STALL_STEPS} steps the error fell by less than {@value #STALL_SHARE} of what the twist model predicted) or
 * the approach takes over {@value #APPROACH_TIMEOUT} steps (that contact is then avoided for {@value #AVOID_STEPS}
 * steps); the approach resumes when the agent slips off the contact.
 *
 * <p>Variety: Gaussian noise of std {@value #NOISE} on every action; with probability {@value #P_PAUSE} per step a
 * pause of {@value #PAUSE_MIN}–{@value #PAUSE_MAX} steps (noise only), and with probability {@value #P_WANDER} a
 * wander of {@value #WANDER_MIN}–{@value #WANDER_MAX} uniform random actions. Actions are clipped to [-1, 1].
 */
public final class PushTPusherPolicy implements BehaviourPolicy {
    /**
     * Registry names: the pusher toward random targets; the variant toward one fixed pose in every episode
     * ({@link #FIXED_TARGET}), as the classic Push-T demonstrations do, whose actions are then a function of what the
     * frame shows (agent and block pose); that variant at a demonstrator's pace ({@link #atDemonstratorPace}).
     */
    public static final String NAME = "pusher", FIXED_NAME = "pusher-fixed", DEMO_NAME = "pusher-demo";
    /** The demonstrator pace: the most weighted pose error one push step is predicted to remove, m. */
    static final double DEMO_PACE = 0.02;
    /** The fixed variant's target: the table's centre (arena units) with the T turned by π/4 (rad). */
    static final double[] FIXED_TARGET = {0.5, 0.5, Math.PI / 4};

    /** Lower bound of a target position coordinate, arena units (the block then stays off the walls). */
    static final double TARGET_LO = 0.25;
    /** Upper bound of a target position coordinate, arena units. */
    static final double TARGET_HI = 0.75;
    /** Least distance of a moving target's position from the block, arena units. */
    static final double MIN_TARGET_DIST = 0.25;
    /** Probability that a target keeps the block's position and only turns it. */
    static final double P_TURN_IN_PLACE = 0.2;
    /** Least turn of a target, degrees (uniform up to 180 either way). */
    static final double MIN_TURN_DEG = 45;
    /** Steps after which an unreached target is replaced. */
    static final int TARGET_TIMEOUT = 80;
    /** A target counts as reached within this share of both success tolerances. */
    static final double REACHED_SHARE = 0.5;
    /** Most steps of rest after reaching a target. */
    static final int MAX_REST = 10;

    /** Spacing of the candidate contact points along the outline, m. */
    static final double CONTACT_SPACING = 0.1;
    /** Push direction offsets from the inward normal, rad: inside the friction cone atan(0.3) ≈ 0.29. */
    static final double CONE_OFFSET = 0.2;
    /** Typical length of one push, m (see the contact score). */
    static final double PUSH_LENGTH = 0.5;
    /** Std of the Gaussian noise on contact scores. */
    static final double SCORE_NOISE = 0.05;
    /** Score lost by a contact whose approach timed out or whose push stalled, while it is avoided. */
    static final double AVOID_COST = 1.0;
    /** How long a failed contact is avoided, steps. */
    static final int AVOID_STEPS = 30;
    /** Least gap between the block and the walls that a push may create, m. */
    static final double WALL_GAP = 0.5;
    /** Push length over which a push's effect on the wall gap is predicted, m. */
    static final double WALL_PREVIEW = 0.3;

    /** Gap between the agent disc and the contact at the stand-off point, m. */
    static final double STANDOFF = 0.08;
    /** The agent is at the stand-off point within this distance, m. */
    static final double ARRIVE_TOL = 0.1;
    /** Spacing of the clearance checks along a straight way, m. */
    static final double PATH_SAMPLE = 0.05;
    /** Distance backed away from the block in one step when no way is known, m. */
    static final double RETREAT_DIST = 0.15;
    /** Steps allowed to reach the stand-off point before the contact is re-planned. */
    static final int APPROACH_TIMEOUT = 30;

    /** Push speed range, action units (1 = {@value PushT#ACTION_SCALE} arena units per step). */
    static final double PUSH_SPEED_MIN = 0.4;
    static final double PUSH_SPEED_MAX = 1.0;
    /** Largest share of the pose error one push step is predicted to remove (the block slides on after a step). */
    static final double SETTLE_SHARE = 0.3;
    /** Slowest push, action units. */
    static final double PUSH_SPEED_FLOOR = 0.15;
    /** Sideways distance from the contact line at which the agent has slipped off, m. */
    static final double SLIP_TOL = 0.15;
    /** The push goes on while the contact's cosine stays above this. */
    static final double CONTINUE_COS = 0.3;
    /** Pushing steps over which progress is judged. */
    static final int STALL_STEPS = 3;
    /**
     * A push stalls when, over its last STALL_STEPS steps, the pose error fell by less than this share of what the
     * twist model predicted for the agent's strides (contacts slide, the block meets a wall, the model is off).
     */
    static final double STALL_SHARE = 0.15;

    /** Std of the Gaussian action noise. */
    static final double NOISE = 0.1;
    /** Per-step probability of starting a pause. */
    static final double P_PAUSE = 0.015;
    static final int PAUSE_MIN = 2;
    static final int PAUSE_MAX = 8;
    /** Per-step probability of starting a random wander. */
    static final double P_WANDER = 0.015;
    static final int WANDER_MIN = 3;
    static final int WANDER_MAX = 10;

    private static final double M = PushTPhysics.WORLD_M;
    private static final double R = PushTPhysics.AGENT_R;
    /** Agent centre limits inside the walls, m. */
    private static final double LO = R;
    private static final double HI = M - R;
    /** One step of full action, m. */
    private static final double FULL_STEP = PushT.ACTION_SCALE * M;
    /** Metres of weighted error per radian of angle error. */
    static final double ANGLE_LENGTH = PushT.SUCCESS_POS * M / PushT.SUCCESS_ANGLE;

    private enum Phase { APPROACH, PUSH, REST }

    private final boolean fixedTarget;
    private final double paceCap;
    private final PushTRoutes routes = new PushTRoutes();
    private final double[] target = new double[3];
    private final int[] avoidUntil = new int[PushTBlockPose.contactCount()];
    private SplittableRandom rng;
    private int step;
    private int targetSteps;
    /** Null until the first plan of a target. */
    private Phase phase;
    private int contact;
    private int offset;
    private double pushSpeed;
    private int phaseSteps;
    /** Pose error and predicted error decrease at each of the last STALL_STEPS push steps (ring buffers). */
    private final double[] pushErrors = new double[STALL_STEPS];
    private final double[] pushGains = new double[STALL_STEPS];
    private int restLeft;
    private int pauseLeft;
    private int wanderLeft;

    /** The pusher toward random target poses ({@value #NAME}). */
    public PushTPusherPolicy() {
        this(false, Double.POSITIVE_INFINITY);
    }

    /** @param paceCap the most weighted pose error one push step is predicted to remove, m (infinite: no cap) */
    PushTPusherPolicy(boolean fixedTarget, double paceCap) {
        this.fixedTarget = fixedTarget;
        this.paceCap = paceCap;
    }

    /**
     * The variant ({@value #FIXED_NAME}) whose every target is {@link #FIXED_TARGET}: it pushes the block there, rests
     * once it is within half of both success tolerances and stays (idle with noise) unless the block is moved away
     * again; noise, pauses and wanders as in the random-target pusher.
     */
    public static PushTPusherPolicy towardFixedTarget() {
        return new PushTPusherPolicy(true, Double.POSITIVE_INFINITY);
    }

    /**
     * The fixed-target variant ({@value #DEMO_NAME}) at a demonstrator's pace: each push step removes at most
     * {@value #DEMO_PACE} m of weighted pose error by the twist model, so the block moves about a third as fast as
     * {@value #FIXED_NAME}'s (25-step windows: about 30 px and 0.3 rad on average against 85 px and 0.8 rad).
     */
    public static PushTPusherPolicy atDemonstratorPace() {
        return new PushTPusherPolicy(true, DEMO_PACE);
    }

    /** The current target pose (x, y in arena units, angle in rad). */
    double[] targetPose() {
        return new double[] {target[0] / M, target[1] / M, target[2]};
    }

    @Override
    public String name() {
        return !fixedTarget ? NAME : Double.isInfinite(paceCap) ? FIXED_NAME : DEMO_NAME;
    }

    @Override
    public void reset(Environment env, SplittableRandom rng) {
        this.rng = rng;
        step = 0;
        pauseLeft = 0;
        wanderLeft = 0;
        Arrays.fill(avoidUntil, 0);
        routes.forget();
        retarget(env.state());
    }

    private void retarget(float[] s) {
        if (fixedTarget) {
            target[0] = FIXED_TARGET[0] * M;
            target[1] = FIXED_TARGET[1] * M;
            target[2] = FIXED_TARGET[2];
            targetSteps = 0;
            phase = null;
            return;
        }
        if (rng.nextDouble() < P_TURN_IN_PLACE) {
            target[0] = Math.max(TARGET_LO, Math.min(TARGET_HI, s[4])) * M;
            target[1] = Math.max(TARGET_LO, Math.min(TARGET_HI, s[5])) * M;
        } else {
            double x, y;
            do {
                x = TARGET_LO + (TARGET_HI - TARGET_LO) * rng.nextDouble();
                y = TARGET_LO + (TARGET_HI - TARGET_LO) * rng.nextDouble();
            } while (Math.hypot(x - s[4], y - s[5]) < MIN_TARGET_DIST);
            target[0] = x * M;
            target[1] = y * M;
        }
        double turn = Math.toRadians(MIN_TURN_DEG + (180 - MIN_TURN_DEG) * rng.nextDouble());
        target[2] = PushTPhysics.wrap(s[6] + (rng.nextBoolean() ? turn : -turn));
        targetSteps = 0;
        phase = null;
    }

    @Override
    public float[] act(Environment env) {
        float[] s = env.state();
        PushTBlockPose b = new PushTBlockPose(s[4] * M, s[5] * M, s[6]);
        double px = s[0] * M, py = s[1] * M;
        step++;
        if (pauseLeft > 0) {
            pauseLeft--;
            return noisy(0, 0);
        }
        if (wanderLeft > 0) {
            wanderLeft--;
            return uniform();
        }
        if (rng.nextDouble() < P_PAUSE) {
            pauseLeft = PAUSE_MIN + rng.nextInt(PAUSE_MAX - PAUSE_MIN + 1) - 1;
            return noisy(0, 0);
        }
        if (rng.nextDouble() < P_WANDER) {
            wanderLeft = WANDER_MIN + rng.nextInt(WANDER_MAX - WANDER_MIN + 1) - 1;
            return uniform();
        }
        if (phase != Phase.REST && ++targetSteps > TARGET_TIMEOUT) {
            retarget(s);
        }
        double[] e = error(b);
        if (phase != Phase.REST && Math.hypot(e[0], e[1]) < REACHED_SHARE * PushT.SUCCESS_POS * M
                && Math.abs(e[2]) < REACHED_SHARE * ANGLE_LENGTH * PushT.SUCCESS_ANGLE) {
            phase = Phase.REST;
            restLeft = rng.nextInt(MAX_REST + 1);
        }
        if (phase == Phase.REST) {
            if (restLeft-- > 0) {
                return noisy(0, 0);
            }
            retarget(s);
            e = error(b);
        }
        if (phase == null) {
            plan(b, px, py, e);
        }
        double err = norm(e);
        if (phase == Phase.PUSH) {
            if (phaseSteps >= STALL_STEPS) {
                int k = phaseSteps % STALL_STEPS; // the entry of STALL_STEPS steps ago
                double predicted = 0;
                for (double g : pushGains) {
                    predicted += g;
                }
                if (pushErrors[k] - err < STALL_SHARE * predicted) {
                    avoidUntil[contact] = step + AVOID_STEPS;
                    plan(b, px, py, e);
                }
            }
            if (phase == Phase.PUSH && cosine(b.twist(contact, offset, ANGLE_LENGTH), e) < CONTINUE_COS) {
                plan(b, px, py, e);
            }
        } else if (++phaseSteps > APPROACH_TIMEOUT) {
            avoidUntil[contact] = step + AVOID_STEPS;
            plan(b, px, py, e);
        }
        double[] c = b.contact(contact);
        double sx = c[0] + c[2] * (R + STANDOFF), sy = c[1] + c[3] * (R + STANDOFF);
        if (phase == Phase.APPROACH && Math.hypot(sx - px, sy - py) < ARRIVE_TOL) {
            phase = Phase.PUSH;
            phaseSteps = 0;
        }
        if (phase == Phase.PUSH) {
            double[] u = PushTBlockPose.pushDirection(c, offset);
            double ix = c[0] + c[2] * R - px, iy = c[1] + c[3] * R - py; // to where the agent touches the contact
            double along = ix * u[0] + iy * u[1];
            double lx = ix - along * u[0], ly = iy - along * u[1];
            if (Math.hypot(lx, ly) < SLIP_TOL && along > -SLIP_TOL) {
                double[] t = b.twist(contact, offset, ANGLE_LENGTH);
                double rate = cosine(t, e) * norm(t); // error removed per metre pushed
                double stride = pushSpeed * FULL_STEP;
                if (rate > 0) { // slower near the target (down to the floor), and at most paceCap of error per step
                    stride = Math.min(Math.max(Math.min(stride, SETTLE_SHARE * err / rate), PUSH_SPEED_FLOOR * FULL_STEP),
                            paceCap / rate);
                }
                int k = phaseSteps % STALL_STEPS;
                pushErrors[k] = err;
                pushGains[k] = Math.max(0, rate) * stride;
                phaseSteps++;
                return toward(u[0] * stride + lx, u[1] * stride + ly);
            }
            phase = Phase.APPROACH; // slipped off: back to the stand-off point of the same contact
            phaseSteps = 0;
        }
        double[] w = approach(b, px, py, sx, sy);
        return toward(w[0] - px, w[1] - py);
    }

    /** Weighted pose error toward the target: (Δx, Δy, ANGLE_LENGTH·wrap(Δθ)), m. */
    private double[] error(PushTBlockPose b) {
        return new double[] {target[0] - b.x(), target[1] - b.y(),
            ANGLE_LENGTH * PushTPhysics.wrap(target[2] - b.theta())};
    }

    /** Picks the contact and push direction with the best score and starts approaching it. */
    private void plan(PushTBlockPose b, double px, double py, double[] e) {
        double[][] standoffs = new double[PushTBlockPose.contactCount()][];
        for (int i = 0; i < PushTBlockPose.contactCount(); i++) {
            double[] c = b.contact(i);
            double sx = c[0] + c[2] * (R + STANDOFF), sy = c[1] + c[3] * (R + STANDOFF);
            standoffs[i] = sx < LO || sx > HI || sy < LO || sy > HI ? null : new double[] {sx, sy};
        }
        routes.setBlock(b.x(), b.y(), b.theta());
        routes.from(px, py, Arrays.stream(standoffs).filter(Objects::nonNull).toArray(double[][]::new));
        double gap = b.wallGap();
        double best = Double.NEGATIVE_INFINITY;
        int bestContact = -1, bestOffset = 0;
        for (int i = 0; i < PushTBlockPose.contactCount(); i++) {
            if (standoffs[i] == null) {
                continue; // the agent cannot stand there
            }
            double travel = routes.length(standoffs[i][0], standoffs[i][1]);
            if (Double.isInfinite(travel)) {
                continue;
            }
            double reach = PUSH_LENGTH / (PUSH_LENGTH + travel), penalty = avoidUntil[i] > step ? AVOID_COST : 0;
            for (int j = -1; j <= 1; j++) {
                double[] t = b.twist(i, j, ANGLE_LENGTH);
                PushTBlockPose ahead = new PushTBlockPose(b.x() + t[0] * WALL_PREVIEW, b.y() + t[1] * WALL_PREVIEW,
                        b.theta() + t[2] / ANGLE_LENGTH * WALL_PREVIEW);
                if (ahead.wallGap() < Math.min(WALL_GAP, gap)) {
                    continue; // would push the block against a wall
                }
                double score = cosine(t, e) * reach - penalty + SCORE_NOISE * gaussian();
                if (score > best) {
                    best = score;
                    bestContact = i;
                    bestOffset = j;
                }
            }
        }
        if (bestContact < 0) { // nothing reachable and safe: the nearest stand-off point, pushed straight
            double nearest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < PushTBlockPose.contactCount(); i++) {
                double[] c = b.contact(i);
                double d = Math.hypot(c[0] - px, c[1] - py);
                if (d < nearest) {
                    nearest = d;
                    bestContact = i;
                }
            }
        }
        contact = bestContact;
        offset = bestOffset;
        pushSpeed = PUSH_SPEED_MIN + (PUSH_SPEED_MAX - PUSH_SPEED_MIN) * rng.nextDouble();
        phase = Phase.APPROACH;
        phaseSteps = 0;
    }

    /** The next waypoint toward the stand-off point (sx, sy) that keeps the agent clear of the block. */
    private double[] approach(PushTBlockPose b, double px, double py, double sx, double sy) {
        if (b.clear(px, py, sx, sy, PATH_SAMPLE)) {
            return new double[] {sx, sy};
        }
        routes.setBlock(b.x(), b.y(), b.theta());
        routes.to(sx, sy);
        double[] w = routes.next(px, py, FULL_STEP);
        if (w != null) {
            return w;
        }
        phaseSteps = APPROACH_TIMEOUT; // no way there now: re-plan on the next step
        double[] g = b.awayFrom(px, py);
        return new double[] {px + g[0] * RETREAT_DIST, py + g[1] * RETREAT_DIST};
    }

    /** The action that moves the agent by (dx, dy) m, at most one full step, plus noise. */
    private float[] toward(double dx, double dy) {
        double ax = dx / FULL_STEP, ay = dy / FULL_STEP, n = Math.hypot(ax, ay);
        if (n > 1) {
            ax /= n;
            ay /= n;
        }
        return noisy(ax, ay);
    }

    private float[] noisy(double ax, double ay) {
        return new float[] {clip(ax + NOISE * gaussian()), clip(ay + NOISE * gaussian())};
    }

    private float[] uniform() {
        return new float[] {(float) (rng.nextDouble() * 2 - 1), (float) (rng.nextDouble() * 2 - 1)};
    }

    private static float clip(double v) {
        return (float) Math.max(-1, Math.min(1, v));
    }

    private double gaussian() {
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
