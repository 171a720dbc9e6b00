package io.smwm.core.env.reacher;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.Environment;
import java.util.SplittableRandom;

/**
 * Data policy "reach" for {@link Reacher}: reaching movements like a trained agent's, with noise.
 *
 * <p>It draws a target configuration uniformly over the joint ranges, drives both joints there with a saturating
 * PD law on the angle error (the shoulder's error wrapped, the wrist's not where the wrist has limits), and on
 * arrival (every joint within {@value #ARRIVED} rad and nearly at rest) holds the target for 0–{@value #MAX_HOLD}
 * steps before drawing the next; a target not reached within {@value #TIMEOUT} steps is replaced. Every action gets
 * independent Gaussian noise of std {@value #NOISE}, clipped to [-1, 1]. So the data hold fast, mostly straight
 * moves through joint space that end at rest, rests at the targets, and the whole joint space; which is what
 * planning to a goal frame 25 steps ahead asks of a model. Reads the privileged state (q1, q2, dq1, dq2).
 */
public final class ReacherReachPolicy implements BehaviourPolicy {
    public static final String NAME = "reach";
    /** PD gains per joint (shoulder, wrist): the light wrist follows its torque within a step, so it needs little
     *  damping from the controller (more makes the sampled loop oscillate). */
    static final double[] KP = {4.0, 3.0};
    static final double[] KD = {0.4, 0.05};
    static final double NOISE = 0.1;
    static final double ARRIVED = 0.05;
    static final double AT_REST = 0.5;
    static final int MAX_HOLD = 40;
    static final int TIMEOUT = 60;

    private SplittableRandom rng;
    private final double[] target = new double[2];
    private double wristRange = Math.PI;
    private boolean limitedWrist;
    private int stepsLeft;
    private int holdLeft = -1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void reset(Environment env, SplittableRandom rng) {
        this.rng = rng;
        double limit = env instanceof Reacher r ? r.wristLimit() : Double.NaN;
        limitedWrist = !Double.isNaN(limit);
        wristRange = limitedWrist ? limit : Math.PI;
        retarget();
    }

    private void retarget() {
        target[0] = (rng.nextDouble() * 2 - 1) * Math.PI;
        target[1] = (rng.nextDouble() * 2 - 1) * wristRange;
        stepsLeft = TIMEOUT;
        holdLeft = -1;
    }

    @Override
    public float[] act(Environment env) {
        float[] s = env.state();
        double e1 = ReacherDynamics.wrap(target[0] - s[0]);
        double e2 = limitedWrist ? target[1] - s[1] : ReacherDynamics.wrap(target[1] - s[1]);
        if (holdLeft < 0 && Math.abs(e1) < ARRIVED && Math.abs(e2) < ARRIVED && Math.abs(s[2]) < AT_REST
                && Math.abs(s[3]) < AT_REST) {
            holdLeft = rng.nextInt(MAX_HOLD + 1);
        }
        if (holdLeft == 0 || --stepsLeft <= 0) {
            retarget();
            e1 = ReacherDynamics.wrap(target[0] - s[0]);
            e2 = limitedWrist ? target[1] - s[1] : ReacherDynamics.wrap(target[1] - s[1]);
        } else if (holdLeft > 0) {
            holdLeft--;
        }
        float[] a = new float[2];
        double[] e = {e1, e2};
        for (int i = 0; i < 2; i++) {
            double u = KP[i] * e[i] - KD[i] * s[2 + i] + NOISE * gaussian();
            a[i] = (float) Math.max(-1, Math.min(1, u));
        }
        return a;
    }

    private double gaussian() {
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
