package io.smwm.core.env.reacher;

/**
 * Analytic rigid-body dynamics of a planar two-link arm lying on a table (no gravity in the plane), integrated
 * with semi-implicit Euler.
 *
 * <p>Both links are uniform rods (mass m, length l, centre of mass at l/2, inertia m l²/12 about the centre).
 * Joint 1 (shoulder) is fixed at the origin, joint 2 (elbow) at the end of link 1. Equations of motion
 * (q = (q1, q2) joint angles in rad, q2 relative to link 1; τ joint torques in N·m; D viscous joint damping):
 * <pre>
 *   M(q) q̈ + c(q, q̇) + D q̇ = τ
 *   M11 = I1 + I2 + m1 lc1² + m2 (l1² + lc2² + 2 l1 lc2 cos q2)
 *   M12 = M21 = I2 + m2 (lc2² + l1 lc2 cos q2)
 *   M22 = I2 + m2 lc2²
 *   c1  = -m2 l1 lc2 sin q2 (2 q̇1 q̇2 + q̇2²),   c2 = m2 l1 lc2 sin q2 q̇1²
 * </pre>
 * The model is small enough that an engine buys nothing, and a closed form is exactly reproducible from a float
 * state (no hidden solver caches).
 */
final class ReacherDynamics {
    static final double L1 = 0.12;
    static final double L2 = 0.12;
    static final double M1 = 1.0;
    static final double M2 = 1.0;
    static final double LC1 = L1 / 2;
    static final double LC2 = L2 / 2;
    static final double I1 = M1 * L1 * L1 / 12;
    static final double I2 = M2 * L2 * L2 / 12;
    /** Viscous damping per joint, N·m·s/rad. */
    static final double DAMPING = 0.05;
    /** Torque at |action| = 1, N·m. */
    static final double MAX_TORQUE = 0.2;
    /** Integration sub-step, s. */
    static final double SUB_DT = 0.01;
    /** Sub-steps per environment step (env step = 0.05 s). */
    static final int SUB_STEPS = 5;

    private ReacherDynamics() {}

    /**
     * Advances s = (q1, q2, dq1, dq2) in place by one environment step under constant torques.
     *
     * @param s   state, angles in rad (wrapped to (-π, π] on return), angular velocities in rad/s
     * @param tau1 shoulder torque, N·m
     * @param tau2 elbow torque, N·m
     */
    static void step(double[] s, double tau1, double tau2) {
        double q1 = s[0], q2 = s[1], w1 = s[2], w2 = s[3];
        for (int k = 0; k < SUB_STEPS; k++) {
            double c = Math.cos(q2), sn = Math.sin(q2);
            double m11 = I1 + I2 + M1 * LC1 * LC1 + M2 * (L1 * L1 + LC2 * LC2 + 2 * L1 * LC2 * c);
            double m12 = I2 + M2 * (LC2 * LC2 + L1 * LC2 * c);
            double m22 = I2 + M2 * LC2 * LC2;
            double h = M2 * L1 * LC2 * sn;
            double r1 = tau1 + h * (2 * w1 * w2 + w2 * w2) - DAMPING * w1;
            double r2 = tau2 - h * w1 * w1 - DAMPING * w2;
            double det = m11 * m22 - m12 * m12;
            double a1 = (m22 * r1 - m12 * r2) / det;
            double a2 = (m11 * r2 - m12 * r1) / det;
            w1 += SUB_DT * a1;
            w2 += SUB_DT * a2;
            q1 += SUB_DT * w1;
            q2 += SUB_DT * w2;
        }
        s[0] = wrap(q1);
        s[1] = wrap(q2);
        s[2] = w1;
        s[3] = w2;
    }

    /** Wraps an angle to (-π, π]. */
    static double wrap(double a) {
        double r = a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI)); // [-π, π)
        return r <= -Math.PI ? r + 2 * Math.PI : r;
    }
}
