package io.smwm.core.env.reacher;

/**
 * Rigid-body dynamics of a planar two-link arm lying on a table (no gravity in the plane), one instance per arm
 * ({@link #DMC}, {@link #HEAVY}).
 *
 * <p>Joint 1 (shoulder) is fixed at the origin, joint 2 (elbow/wrist) at the end of link 1. Equations of motion
 * (q = (q1, q2) joint angles in rad, q2 relative to link 1; τ joint torques in N·m; D viscous joint damping):
 * <pre>
 *   M(q) q̈ + c(q, q̇) + D q̇ = τ
 *   M11 = I1 + I2 + m1 lc1² + m2 (l1² + lc2² + 2 l1 lc2 cos q2)
 *   M12 = M21 = I2 + m2 (lc2² + l1 lc2 cos q2)
 *   M22 = I2 + m2 lc2²
 *   c1  = -m2 l1 lc2 sin q2 (2 q̇1 q̇2 + q̇2²),   c2 = m2 l1 lc2 sin q2 q̇1²
 * </pre>
 * (m, lc, I: each link's mass, distance of its centre of mass from its joint, inertia about its centre of mass.)
 * The model is small enough that an engine buys nothing, and a closed form is exactly reproducible from a float
 * state (no hidden solver caches).
 *
 * <p>{@link #DMC} has the constants of the DeepMind Control Suite reacher (the arm the paper evaluates on): capsule
 * links of radius 0.01 m and density 1000 kg/m³, 0.12 m upper arm, 0.10 m hand with a 0.01 m finger sphere at
 * 0.12 m, joint damping 0.01 N·m·s/rad, motor gear 0.05 (max torque 0.05 N·m), a 0.02 s control step and the wrist
 * limited to ±160°. The arm is light against its damping: the wrist's velocity follows its torque within about
 * one step, the shoulder's within about eight (time constant I/D ≈ 0.15 s), so a frame says most of what decides
 * the next ones. Damping is integrated implicitly (as MuJoCo's Euler integrator does), which keeps the stiff
 * wrist stable at 5 sub-steps of 4 ms.
 *
 * <p>{@link #HEAVY} is this project's first arm (two 1 kg uniform rods of 0.12 m, damping 0.05, max torque 0.2 N·m,
 * 0.05 s step, explicit damping, free wrist): its velocities persist for about 0.6 s (12 steps), so a single frame
 * leaves much of the future open. Kept as the variant {@code heavy}, bit for bit as before.
 */
final class ReacherDynamics {
    /** DMC reacher: link 1 capsule 0.12 m, hand capsule 0.10 m, finger sphere at 0.12 m, all radius 0.01 m. */
    static final ReacherDynamics DMC = dmc();
    /** The project's first arm (variant "heavy"). */
    static final ReacherDynamics HEAVY = new ReacherDynamics(0.12, 0.12, 0.12, 1.0, 0.06, 1.0 * 0.12 * 0.12 / 12,
            1.0, 0.06, 1.0 * 0.12 * 0.12 / 12, 0.05, 0.2, 0.01, 5, Double.NaN, false);

    /** Link 1 length (shoulder to wrist), m. */
    final double l1;
    /** Drawn length of the hand (link 2's rod), m. */
    final double handLength;
    /** Distance of the fingertip from the wrist, m. */
    final double fingerAt;
    final double m1, lc1, i1, m2, lc2, i2;
    /** Viscous damping per joint, N·m·s/rad. */
    final double damping;
    /** Torque at |action| = 1, N·m. */
    final double maxTorque;
    /** Integration sub-step, s. */
    final double subDt;
    /** Sub-steps per environment step. */
    final int subSteps;
    /** |q2| limit in rad (a hard stop), or NaN for a free, wrapped wrist. */
    final double wristLimit;
    /** Damping integrated implicitly ((M + dt·D) q̇' = M q̇ + dt (τ − c)) rather than as an explicit force. */
    final boolean implicitDamping;

    @SuppressWarnings("checkstyle:ParameterNumber")
    ReacherDynamics(double l1, double handLength, double fingerAt, double m1, double lc1, double i1, double m2,
                    double lc2, double i2, double damping, double maxTorque, double subDt, int subSteps,
                    double wristLimit, boolean implicitDamping) {
        this.l1 = l1;
        this.handLength = handLength;
        this.fingerAt = fingerAt;
        this.m1 = m1;
        this.lc1 = lc1;
        this.i1 = i1;
        this.m2 = m2;
        this.lc2 = lc2;
        this.i2 = i2;
        this.damping = damping;
        this.maxTorque = maxTorque;
        this.subDt = subDt;
        this.subSteps = subSteps;
        this.wristLimit = wristLimit;
        this.implicitDamping = implicitDamping;
    }

    private static ReacherDynamics dmc() {
        double rho = 1000, r = 0.01;
        double[] arm = capsule(0.12, r, rho); // {mass, centre, inertia about centre}
        double[] hand = capsule(0.10, r, rho);
        double mf = rho * 4.0 / 3 * Math.PI * r * r * r, xf = 0.12, inf = 0.4 * mf * r * r;
        double m2 = hand[0] + mf;
        double c2 = (hand[0] * hand[1] + mf * xf) / m2;
        double i2 = hand[2] + hand[0] * sq(hand[1] - c2) + inf + mf * sq(xf - c2);
        return new ReacherDynamics(0.12, 0.10, xf, arm[0], arm[1], arm[2], m2, c2, i2, 0.01, 0.05, 0.004, 5,
                Math.toRadians(160), true);
    }

    /**
     * A capsule along x from 0 to {@code len} with radius r: {mass, centre of mass, inertia about the centre for
     * rotation in the plane} (a cylinder plus two hemispherical caps, each cap's inertia taken about its own
     * centre of mass 3r/8 beyond the cylinder's end).
     */
    static double[] capsule(double len, double r, double rho) {
        double mc = rho * Math.PI * r * r * len;
        double mh = rho * 2.0 / 3 * Math.PI * r * r * r; // one hemisphere
        double ic = mc * (len * len / 12 + r * r / 4);
        double d = len / 2 + 3 * r / 8;
        double ih = 2 * (mh * (83.0 / 320) * r * r + mh * d * d);
        return new double[] {mc + 2 * mh, len / 2, ic + ih};
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Arm reach (shoulder to fingertip), m. */
    double reach() {
        return l1 + fingerAt;
    }

    /** Environment step, s. */
    double dt() {
        return subDt * subSteps;
    }

    /**
     * Advances s = (q1, q2, dq1, dq2) in place by one environment step under constant torques.
     *
     * @param s  state, angles in rad (q1 wrapped to (-π, π] on return; q2 wrapped too on a free wrist, clamped to
     *           ±{@link #wristLimit} otherwise), angular velocities in rad/s
     * @param a1 shoulder action in [-1, 1] (torque a1 · {@link #maxTorque})
     * @param a2 wrist action in [-1, 1]
     */
    void step(double[] s, double a1, double a2) {
        double tau1 = a1 * maxTorque, tau2 = a2 * maxTorque;
        double q1 = s[0], q2 = s[1], w1 = s[2], w2 = s[3];
        double dt = subDt;
        for (int k = 0; k < subSteps; k++) {
            double c = Math.cos(q2), sn = Math.sin(q2);
            double m11 = i1 + i2 + m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * c);
            double m12 = i2 + m2 * (lc2 * lc2 + l1 * lc2 * c);
            double m22 = i2 + m2 * lc2 * lc2;
            double h = m2 * l1 * lc2 * sn;
            if (implicitDamping) {
                double r1 = tau1 + h * (2 * w1 * w2 + w2 * w2);
                double r2 = tau2 - h * w1 * w1;
                double a11 = m11 + dt * damping, a22 = m22 + dt * damping;
                double b1 = m11 * w1 + m12 * w2 + dt * r1, b2 = m12 * w1 + m22 * w2 + dt * r2;
                double det = a11 * a22 - m12 * m12;
                w1 = (a22 * b1 - m12 * b2) / det;
                w2 = (a11 * b2 - m12 * b1) / det;
            } else {
                double r1 = tau1 + h * (2 * w1 * w2 + w2 * w2) - damping * w1;
                double r2 = tau2 - h * w1 * w1 - damping * w2;
                double det = m11 * m22 - m12 * m12;
                double acc1 = (m22 * r1 - m12 * r2) / det;
                double acc2 = (m11 * r2 - m12 * r1) / det;
                w1 += dt * acc1;
                w2 += dt * acc2;
            }
            q1 += dt * w1;
            q2 += dt * w2;
            if (!Double.isNaN(wristLimit)) {
                if (q2 > wristLimit) {
                    q2 = wristLimit;
                    w2 = Math.min(w2, 0);
                } else if (q2 < -wristLimit) {
                    q2 = -wristLimit;
                    w2 = Math.max(w2, 0);
                }
            }
        }
        s[0] = wrap(q1);
        s[1] = Double.isNaN(wristLimit) ? wrap(q2) : q2;
        s[2] = w1;
        s[3] = w2;
    }

    /** Wraps an angle to (-π, π]. */
    static double wrap(double a) {
        double r = a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI)); // [-π, π)
        return r <= -Math.PI ? r + 2 * Math.PI : r;
    }
}
