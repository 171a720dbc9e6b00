package io.smwm.core.env.cube;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.Environment;
import java.util.SplittableRandom;

/**
 * Data policy "scripted" for {@link Cube}: reach, grasp, lift, carry, place (or drop), retreat, repeat, with
 * noise and deliberate failures.
 *
 * <p>Phases: REACH above the cube with the fingers open and the yaw aligned to a cube face (mod π/2);
 * DESCEND around it; CLOSE; LIFT to a random carry height; CARRY above a random place target; LOWER and OPEN
 * (one time in five it opens at carry height: a drop); RETREAT upward, then a new cycle. Failures: one grasp in
 * five aims 1.5–4 cm off the cube (usually a miss or a push), a random yaw offset sometimes, and 1 % per step of
 * a short random-action burst. Gaussian action noise σ = 0.1. A phase that takes too long restarts the cycle.
 * Reads the privileged state.
 */
public final class CubeScriptedPolicy implements BehaviourPolicy {
    private enum Phase { REACH, DESCEND, CLOSE, LIFT, CARRY, LOWER, OPEN, RETREAT }

    private SplittableRandom rng;
    private Phase phase;
    private int phaseSteps;
    private double offX;
    private double offY;
    private double yawOff;
    private double carryZ;
    private double px;
    private double py;
    private boolean drop;
    private int burst;

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public void reset(Environment env, SplittableRandom rng) {
        this.rng = rng;
        burst = 0;
        newCycle();
    }

    private void newCycle() {
        phase = Phase.REACH;
        phaseSteps = 0;
        boolean sloppy = rng.nextInt(5) == 0;
        double r = sloppy ? 0.015 + 0.025 * rng.nextDouble() : 0.004 * rng.nextDouble();
        double ang = rng.nextDouble() * 2 * Math.PI;
        offX = r * Math.cos(ang);
        offY = r * Math.sin(ang);
        yawOff = rng.nextInt(4) == 0 ? (rng.nextDouble() - 0.5) * 0.6 : 0;
        carryZ = 0.08 + 0.12 * rng.nextDouble();
        px = -0.15 + 0.3 * rng.nextDouble();
        py = -0.15 + 0.3 * rng.nextDouble();
        drop = rng.nextInt(5) == 0;
    }

    private void go(Phase p) {
        phase = p;
        phaseSteps = 0;
    }

    @Override
    public float[] act(Environment env) {
        float[] s = env.state();
        if (burst == 0 && rng.nextDouble() < 0.01) {
            burst = 2 + rng.nextInt(5);
        }
        if (burst > 0) {
            burst--;
            float[] a = new float[5];
            for (int i = 0; i < 5; i++) {
                a[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            return a;
        }
        double gx = s[0], gy = s[1], gz = s[2], yaw = s[3], gap = s[4];
        double cx = s[8], cy = s[9], cz = s[10];
        boolean grasped = s[21] > 0.5f;
        double[][] r = CubePhysics.rotation(s[11], s[12], s[13], s[14]);
        double cubeYaw = Math.atan2(r[1][0], r[0][0]);
        double tx = gx, ty = gy, tz = gz, grip = 0, dyaw = 0;
        phaseSteps++;
        if (phaseSteps > 40) {
            newCycle();
        }
        switch (phase) {
            case REACH -> {
                tx = cx + offX;
                ty = cy + offY;
                tz = cz + 0.09;
                grip = 1;
                dyaw = quarterWrap(cubeYaw + yawOff - yaw);
                if (Math.hypot(tx - gx, ty - gy) < 0.01 && Math.abs(tz - gz) < 0.02 && Math.abs(dyaw) < 0.05) {
                    go(Phase.DESCEND);
                }
            }
            case DESCEND -> {
                tx = cx + offX;
                ty = cy + offY;
                tz = Math.max(Cube.WORK_ZMIN, cz + 0.002);
                grip = 1;
                dyaw = quarterWrap(cubeYaw + yawOff - yaw);
                if (gz - tz < 0.008 || phaseSteps > 20) {
                    go(Phase.CLOSE);
                }
            }
            case CLOSE -> {
                grip = -1;
                if (grasped || gap < 0.005) {
                    go(grasped ? Phase.LIFT : Phase.RETREAT);
                }
            }
            case LIFT -> {
                grip = -1;
                tz = carryZ;
                if (!grasped) {
                    go(Phase.RETREAT);
                } else if (gz > carryZ - 0.01) {
                    go(Phase.CARRY);
                }
            }
            case CARRY -> {
                grip = -1;
                tx = px;
                ty = py;
                tz = carryZ;
                if (!grasped) {
                    go(Phase.RETREAT);
                } else if (Math.hypot(px - gx, py - gy) < 0.015) {
                    go(drop ? Phase.OPEN : Phase.LOWER);
                }
            }
            case LOWER -> {
                grip = -1;
                tx = px;
                ty = py;
                tz = gz - (cz - Cube.HALF_SIZE) + 0.003; // bring the cube's bottom to the table
                if (cz - Cube.HALF_SIZE < 0.006 || phaseSteps > 25) {
                    go(Phase.OPEN);
                }
            }
            case OPEN -> {
                grip = 1;
                if (!grasped && gap > 0.07) {
                    go(Phase.RETREAT);
                }
            }
            case RETREAT -> {
                grip = 1;
                tz = 0.16;
                if (gz > 0.13) {
                    newCycle();
                }
            }
        }
        float[] a = new float[5];
        a[0] = (float) ((tx - gx) / Cube.MOVE_SCALE + 0.1 * gaussian());
        a[1] = (float) ((ty - gy) / Cube.MOVE_SCALE + 0.1 * gaussian());
        a[2] = (float) ((tz - gz) / Cube.MOVE_SCALE + 0.1 * gaussian());
        a[3] = (float) (dyaw / Cube.YAW_SCALE + 0.1 * gaussian());
        a[4] = (float) grip;
        for (int i = 0; i < 5; i++) {
            a[i] = Math.max(-1f, Math.min(1f, a[i]));
        }
        return a;
    }

    /** Wraps an angle difference to (-π/4, π/4] (the cube looks the same every quarter turn). */
    private static double quarterWrap(double d) {
        double q = Math.PI / 2;
        double r = d - q * Math.floor((d + q / 2) / q);
        return r;
    }

    private double gaussian() {
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
