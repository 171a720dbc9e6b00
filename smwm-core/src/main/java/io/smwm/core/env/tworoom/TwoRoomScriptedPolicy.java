package io.smwm.core.env.tworoom;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.Environment;
import java.util.SplittableRandom;

/**
 * Goal-directed navigation for TwoRoom data collection, in two styles (both read the privileged state (x, y) from
 * {@code env.state()}).
 *
 * <p>Both keep a target position, drawn uniformly over the free space, in the other room with probability
 * {@link #P_OTHER_ROOM}, and draw a new one when the agent comes within {@link #REACHED} of it. When agent and
 * target are in different rooms they steer to a waypoint in front of the door on the agent's side, then to one
 * just past the door on the far side, then to the target.
 *
 * <ul>
 *   <li>{@code "scripted"} ({@link #TwoRoomScriptedPolicy()}, our directed policy): the action is the direction to
 *       the waypoint, scaled to reach it in one step where possible and otherwise to a largest component of 1, plus
 *       Gaussian noise of std {@link #NOISE_STD} per component; with probability {@link #P_RANDOM_SEGMENT} per step
 *       it starts a random segment of 3–12 steps with one uniform random action. The agent moves near full speed,
 *       so goals 25 steps ahead are far (random reaches about 15 % of them, docs/benchmarks.md).</li>
 *   <li>{@code "noisy-expert"} ({@link #noisyExpert()}, the paper's collection recipe): the action is the unit
 *       vector towards the waypoint plus Gaussian noise of std {@link #EXPERT_NOISE_STD} = 3 per component, clipped
 *       to [-1, 1] (the paper's data script runs its TwoRoom expert with action noise 3.0). The noise dominates:
 *       the mean drift towards the waypoint is about a quarter of full speed, so the data is a random walk with a
 *       bias and goals 25 steps ahead are near (random reaches 39–41 % of them; 30 % in the paper, docs/benchmarks.md).</li>
 * </ul>
 */
public final class TwoRoomScriptedPolicy implements BehaviourPolicy {
    public static final double P_OTHER_ROOM = 0.7;
    public static final double NOISE_STD = 0.3;
    public static final double P_RANDOM_SEGMENT = 0.03;
    public static final double REACHED = 0.05;
    /** Per-component Gaussian noise std of the "noisy-expert" style (the paper's data script: 3.0). */
    public static final double EXPERT_NOISE_STD = 3.0;
    /** Registry name of the paper's collection recipe ({@link #noisyExpert()}). */
    public static final String NOISY_EXPERT = "noisy-expert";
    /** Distance of the door waypoints from the wall centre line. */
    static final double DOOR_APPROACH = TwoRoom.BLOCK_X1 - TwoRoom.WALL_X + 0.03;

    private SplittableRandom rng;
    private double tx;
    private double ty;
    private int randomLeft;
    private final float[] randomAction = new float[2];
    private final boolean expert;

    /** The directed "scripted" style (see the class comment). */
    public TwoRoomScriptedPolicy() {
        this(false);
    }

    private TwoRoomScriptedPolicy(boolean expert) {
        this.expert = expert;
    }

    /** The paper's collection recipe, "noisy-expert": unit direction to the waypoint + N(0, 3²) per component. */
    public static TwoRoomScriptedPolicy noisyExpert() {
        return new TwoRoomScriptedPolicy(true);
    }

    @Override
    public String name() {
        return expert ? NOISY_EXPERT : "scripted";
    }

    @Override
    public void reset(Environment env, SplittableRandom rng) {
        this.rng = rng;
        this.randomLeft = 0;
        float[] s = env.state();
        pickTarget(s[0]);
    }

    private void pickTarget(double ax) {
        boolean other = rng.nextDouble() < P_OTHER_ROOM;
        int agentSide = ax < TwoRoom.WALL_X ? -1 : 1;
        int wanted = other ? -agentSide : agentSide;
        do {
            tx = TwoRoom.MIN + (TwoRoom.MAX - TwoRoom.MIN) * rng.nextDouble();
            ty = TwoRoom.MIN + (TwoRoom.MAX - TwoRoom.MIN) * rng.nextDouble();
        } while (!TwoRoom.isFree(tx, ty) || TwoRoom.room(tx) != wanted);
    }

    @Override
    public float[] act(Environment env) {
        float[] s = env.state();
        double x = s[0], y = s[1];
        if (Math.hypot(tx - x, ty - y) < REACHED) {
            pickTarget(x);
        }
        if (!expert && randomLeft == 0 && rng.nextDouble() < P_RANDOM_SEGMENT) {
            randomLeft = 3 + rng.nextInt(10);
            randomAction[0] = (float) (2 * rng.nextDouble() - 1);
            randomAction[1] = (float) (2 * rng.nextDouble() - 1);
        }
        if (randomLeft > 0) {
            randomLeft--;
            return randomAction.clone();
        }
        double wx = tx, wy = ty;
        int agentSide = x < TwoRoom.WALL_X ? -1 : 1;
        int targetSide = tx < TwoRoom.WALL_X ? -1 : 1;
        if (agentSide != targetSide) {
            double doorY = 0.5 * (TwoRoom.DOOR_Y0 + TwoRoom.DOOR_Y1);
            double halfGap = 0.5 * (TwoRoom.DOOR_Y1 - TwoRoom.DOOR_Y0);
            if (Math.abs(y - doorY) < 0.6 * halfGap) {
                wx = TwoRoom.WALL_X + targetSide * DOOR_APPROACH; // aligned with the door: go through
            } else {
                wx = TwoRoom.WALL_X + agentSide * DOOR_APPROACH;  // line up in front of the door first
            }
            wy = doorY;
        }
        if (expert) {
            double dx = wx - x, dy = wy - y, norm = Math.hypot(dx, dy);
            double ux = norm > 1e-8 ? dx / norm : 0, uy = norm > 1e-8 ? dy / norm : 0;
            return new float[] {clip(ux + EXPERT_NOISE_STD * rng.nextGaussian()),
                    clip(uy + EXPERT_NOISE_STD * rng.nextGaussian())};
        }
        double vx = (wx - x) / TwoRoom.SPEED, vy = (wy - y) / TwoRoom.SPEED;
        double scale = Math.max(1, Math.max(Math.abs(vx), Math.abs(vy))); // keep the direction when saturating
        float[] a = new float[2];
        a[0] = clip(vx / scale + NOISE_STD * rng.nextGaussian());
        a[1] = clip(vy / scale + NOISE_STD * rng.nextGaussian());
        return a;
    }

    private static float clip(double v) {
        return (float) Math.max(-1, Math.min(1, v));
    }
}
