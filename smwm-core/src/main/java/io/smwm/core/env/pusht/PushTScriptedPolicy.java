package io.smwm.core.env.pusht;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.Environment;
import java.util.SplittableRandom;

/**
 * Data policy "scripted" for {@link PushT}: a noisy pusher that moves the block toward random target points.
 *
 * <p>For a target g it takes the push direction d = (g − block)/|g − block|, goes to a contact point behind the
 * block (the block's support distance along −d plus the agent radius), walking around the block via a side
 * waypoint when the block is in the way, then pushes along d through the centre of mass while it stays lined
 * up. Gaussian action noise (σ 0.15), random re-targeting (1 % per step, and on arrival) and occasional short
 * random-wander phases vary the data. Reads the privileged state; all in arena units.
 */
public final class PushTScriptedPolicy implements BehaviourPolicy {
    private static final double NOISE = 0.15;
    private static final double R = PushT.AGENT_R;
    private static final double M = PushTPhysics.WORLD_M;

    private SplittableRandom rng;
    private double gx;
    private double gy;
    private int wander;

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public void reset(Environment env, SplittableRandom rng) {
        this.rng = rng;
        retarget();
        wander = 0;
    }

    private void retarget() {
        gx = 0.22 + 0.56 * rng.nextDouble();
        gy = 0.22 + 0.56 * rng.nextDouble();
    }

    @Override
    public float[] act(Environment env) {
        float[] s = env.state();
        double px = s[0], py = s[1], cx = s[4], cy = s[5], th = s[6];
        double ex = gx - cx, ey = gy - cy, dist = Math.hypot(ex, ey);
        if (dist < 0.03 || rng.nextDouble() < 0.01) {
            retarget();
            ex = gx - cx;
            ey = gy - cy;
            dist = Math.hypot(ex, ey);
        }
        if (wander == 0 && rng.nextDouble() < 0.01) {
            wander = 3 + rng.nextInt(8);
        }
        double ax, ay;
        if (wander > 0) {
            wander--;
            ax = rng.nextDouble() * 2 - 1;
            ay = rng.nextDouble() * 2 - 1;
        } else {
            double dx = ex / Math.max(dist, 1e-9), dy = ey / Math.max(dist, 1e-9);
            double[][] o = PushTPhysics.outline(cx, cy, th, 1 / M);
            double support = 0, radius = 0;
            for (int i = 0; i < 8; i++) {
                double vx = o[0][i] - cx, vy = o[1][i] - cy;
                support = Math.max(support, -(vx * dx + vy * dy));
                radius = Math.max(radius, Math.hypot(vx, vy));
            }
            double rx = px - cx, ry = py - cy;
            double behind = -(rx * dx + ry * dy); // > 0: agent is on the far side from the target
            double lateral = rx * dy - ry * dx; // signed offset from the push line
            double tx, ty;
            if (behind > 0.5 * support && Math.abs(lateral) < 0.03) {
                // lined up: push through the centre of mass, correcting the lateral offset
                tx = px + dx * 0.08 - dy * lateral * 0.5;
                ty = py + dy * 0.08 + dx * lateral * 0.5;
            } else if (behind < support * 0.5 + R && Math.abs(lateral) < radius + R) {
                // block in the way: go around on the agent's side
                double side = lateral >= 0 ? 1 : -1;
                double off = radius + R + 0.03;
                tx = cx + side * dy * off - dx * support * 0.5;
                ty = cy - side * dx * off - dy * support * 0.5;
            } else {
                double back = support + R + 0.02;
                tx = cx - dx * back;
                ty = cy - dy * back;
            }
            ax = (tx - px) / PushT.ACTION_SCALE;
            ay = (ty - py) / PushT.ACTION_SCALE;
            double n = Math.hypot(ax, ay);
            if (n > 1) {
                ax /= n;
                ay /= n;
            }
            ax += NOISE * gaussian();
            ay += NOISE * gaussian();
        }
        return new float[] {(float) Math.max(-1, Math.min(1, ax)), (float) Math.max(-1, Math.min(1, ay))};
    }

    private double gaussian() {
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
