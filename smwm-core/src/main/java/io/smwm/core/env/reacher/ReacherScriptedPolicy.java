package io.smwm.core.env.reacher;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.Environment;
import java.util.SplittableRandom;

/**
 * Data policy "scripted" for {@link Reacher}: a noisy reaching controller with temporally correlated torques.
 *
 * <p>It picks a random target configuration (uniform over the joint ranges), drives the arm there with
 * a PD law on the wrapped angle error, and adds Ornstein–Uhlenbeck torque noise (θ = 0.15, σ = 0.35 per step);
 * targets change after 15–45 steps or on arrival, and one target in four is a "wander" phase of pure OU
 * torques. The mix gives reaching motions (like a trained agent's data), rests near goals and free swinging, and
 * visits the whole workspace. Reads the privileged state (q1, q2, dq1, dq2).
 */
public final class ReacherScriptedPolicy implements BehaviourPolicy {
    private static final double KP = 1.6;
    private static final double KD = 0.35;
    private static final double OU_THETA = 0.15;
    private static final double OU_SIGMA = 0.35;

    private SplittableRandom rng;
    private final double[] ou = new double[2];
    private final double[] target = new double[2];
    private boolean wander;
    private int stepsLeft;
    private double wristRange = Math.PI;

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public void reset(Environment env, SplittableRandom rng) {
        this.rng = rng;
        double limit = env instanceof Reacher r ? r.wristLimit() : Double.NaN;
        wristRange = Double.isNaN(limit) ? Math.PI : limit;
        ou[0] = 0;
        ou[1] = 0;
        retarget();
    }

    private void retarget() {
        target[0] = (rng.nextDouble() * 2 - 1) * Math.PI;
        target[1] = (rng.nextDouble() * 2 - 1) * wristRange;
        wander = rng.nextInt(4) == 0;
        stepsLeft = 15 + rng.nextInt(31);
    }

    @Override
    public float[] act(Environment env) {
        float[] s = env.state();
        double e1 = ReacherDynamics.wrap(target[0] - s[0]);
        double e2 = wristRange < Math.PI ? target[1] - s[1] : ReacherDynamics.wrap(target[1] - s[1]);
        if (--stepsLeft <= 0 || (!wander && Math.abs(e1) < 0.05 && Math.abs(e2) < 0.05 && rng.nextInt(4) == 0)) {
            retarget();
        }
        float[] a = new float[2];
        for (int i = 0; i < 2; i++) {
            ou[i] += -OU_THETA * ou[i] + OU_SIGMA * gaussian();
            double e = i == 0 ? e1 : e2;
            double pd = wander ? 0 : KP * e - KD * s[2 + i];
            a[i] = (float) Math.max(-1, Math.min(1, pd + (wander ? 2.0 : 0.6) * ou[i]));
        }
        return a;
    }

    private double gaussian() {
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
