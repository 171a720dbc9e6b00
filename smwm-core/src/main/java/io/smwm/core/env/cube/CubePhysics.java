package io.smwm.core.env.cube;

import org.ode4j.math.DQuaternion;
import org.ode4j.math.DQuaternionC;
import org.ode4j.math.DVector3;
import org.ode4j.math.DVector3C;
import org.ode4j.ode.DBody;
import org.ode4j.ode.DBox;
import org.ode4j.ode.DContact;
import org.ode4j.ode.DContactBuffer;
import org.ode4j.ode.DGeom;
import org.ode4j.ode.DJointGroup;
import org.ode4j.ode.DMass;
import org.ode4j.ode.DPlane;
import org.ode4j.ode.DWorld;
import org.ode4j.ode.OdeConstants;
import org.ode4j.ode.OdeHelper;

/**
 * Cube-task physics on ode4j (Java port of ODE): a cube on a table plane z = 0 under gravity, and a two-finger
 * gripper. Metres, seconds, kg; z up.
 *
 * <p>The gripper is one dynamic body without gravity, driven toward a target point by a force-limited PD law
 * (so it cannot crush the cube through the table and stops on contact, like a compliant mocap weld), with its
 * yaw set kinematically. Its two finger boxes are geoms on that body, placed ±(gap/2 + finger thickness/2)
 * along the gripper's local x axis. The gripper reference point is midway between the fingers at their mid
 * height.
 *
 * <p>Grasp simplification (documented): when the fingers close on a cube that lies between them (the gap
 * reaches the cube's width along the closing axis), the cube is attached: its body is disabled and a box geom
 * with the cube's relative pose is carried by the gripper body (so a held cube still collides with the table).
 * Opening past the cube's width detaches it: the cube body gets the held pose and the gripper's velocity, and
 * falls under gravity. The finger gap is kinematic, so closing fingers that would press into a free cube from both
 * sides stall there (force-limited fingers cannot crush it), and grasp it if it lies across the finger faces.
 * The yaw is kinematic too; during a sub-step the gripper body carries the commanded yaw rate so that contacts
 * see the fingers turning, and any tilt contacts give it is undone before the state is read out.
 *
 * <p>Determinism: every env step first writes the whole (float) state into the ODE objects; contacts are
 * collided pair by pair in a fixed order (no collision space) and stepped with the exact LCP stepper
 * {@code dWorldStep}, which uses no random numbers (quickstep reorders constraints randomly). A step is thus a
 * pure function of (state, action), and a restored state steps exactly like the original.
 */
final class CubePhysics {
    static final double HALF = 0.025;
    static final double CUBE_MASS = 0.1;
    static final double FINGER_T = 0.012;
    static final double FINGER_W = 0.03;
    static final double FINGER_H = 0.06;
    static final double GAP_MAX = 0.08;
    static final double GRIPPER_MASS = 1.0;
    static final double KP = 1600;
    static final double KD = 80;
    static final double MAX_FORCE = 60;
    static final double SUB_DT = 0.0025;
    static final int SUB_STEPS = 20;
    static final double MU = 1.0;
    /** Finger-into-cube depth (m) at which closing fingers stall on a free cube (both fingers touching). */
    static final double PINCH_DEPTH = 0.0002;

    static {
        OdeHelper.initODE2(0);
    }

    private final DWorld world;
    private final DJointGroup contacts = OdeHelper.createJointGroup();
    private static final int MAX_CONTACTS = 8;
    private final DContactBuffer buf = new DContactBuffer(MAX_CONTACTS);
    private final DPlane table;
    final DBody cube;
    private final DBox cubeGeom;
    final DBody gripper;
    private final DBox[] fingers = new DBox[2];
    private final DBox heldGeom;

    /** Mutable simulation variables mirrored from/to the float state by {@link Cube}. */
    double yaw;
    double gap;
    boolean grasped;

    CubePhysics() {
        world = OdeHelper.createWorld();
        world.setGravity(0, 0, -9.81);
        world.setERP(0.2);
        world.setCFM(1e-6);
        world.setContactSurfaceLayer(0.0005);
        world.setContactMaxCorrectingVel(1.0);
        table = OdeHelper.createPlane(null, 0, 0, 1, 0);
        cube = OdeHelper.createBody(world);
        DMass m = OdeHelper.createMass();
        m.setBoxTotal(CUBE_MASS, 2 * HALF, 2 * HALF, 2 * HALF);
        cube.setMass(m);
        cubeGeom = OdeHelper.createBox(2 * HALF, 2 * HALF, 2 * HALF);
        cubeGeom.setBody(cube);
        gripper = OdeHelper.createBody(world);
        DMass gm = OdeHelper.createMass();
        gm.setBoxTotal(GRIPPER_MASS, 0.1, 0.05, 0.08);
        gripper.setMass(gm);
        gripper.setGravityMode(false);
        for (int i = 0; i < 2; i++) {
            fingers[i] = OdeHelper.createBox(FINGER_T, FINGER_W, FINGER_H);
            fingers[i].setBody(gripper);
        }
        heldGeom = OdeHelper.createBox(2 * HALF, 2 * HALF, 2 * HALF);
        heldGeom.setBody(gripper);
    }

    /** Places the finger geoms for the current gap. */
    private void placeFingers(double g) {
        double off = g / 2 + FINGER_T / 2;
        fingers[0].setOffsetPosition(-off, 0, 0);
        fingers[1].setOffsetPosition(off, 0, 0);
    }

    static DQuaternion yawQuat(double yaw) {
        return new DQuaternion(Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2));
    }

    /**
     * Writes a state into the ODE objects. When grasped, the cube pose given is its world pose and the held
     * geom's offset is recomputed from it.
     */
    void load(double[] gp, double yaw, double gap, double[] gv, double[] cp, double[] cq, double[] cv,
              double[] cw, boolean grasped) {
        this.yaw = yaw;
        this.gap = gap;
        this.grasped = grasped;
        gripper.setPosition(gp[0], gp[1], gp[2]);
        gripper.setQuaternion(yawQuat(yaw));
        gripper.setLinearVel(gv[0], gv[1], gv[2]);
        gripper.setAngularVel(0, 0, 0);
        placeFingers(gap);
        cube.setPosition(cp[0], cp[1], cp[2]);
        cube.setQuaternion(new DQuaternion(cq[0], cq[1], cq[2], cq[3]));
        cube.setLinearVel(cv[0], cv[1], cv[2]);
        cube.setAngularVel(cw[0], cw[1], cw[2]);
        if (grasped) {
            cube.disable();
            heldGeom.enable();
            attachHeld(cp[0], cp[1], cp[2], cq[0], cq[1], cq[2], cq[3]);
        } else {
            cube.enable();
            heldGeom.disable();
        }
    }

    /**
     * One env step: PD target (m), yaw change (rad) and gap change (m) spread over the sub-steps; {@code closing}
     * is true when the gripper command closes the fingers (a grasp can only start then).
     */
    void step(double tx, double ty, double tz, double dYaw, double dGap, boolean closing) {
        double yaw0 = yaw, gap0 = gap;
        for (int k = 1; k <= SUB_STEPS; k++) {
            yaw = yaw0 + dYaw * k / SUB_STEPS;
            double want = Math.max(0, Math.min(GAP_MAX, gap0 + dGap * k / SUB_STEPS));
            gripper.setQuaternion(yawQuat(yaw));
            gripper.setAngularVel(0, 0, 0);
            if (grasped) {
                double w = cubeWidthAlongGripperX(heldQuaternion());
                if (want > w + 0.003) {
                    release();
                    gap = want;
                } else {
                    gap = Math.max(want, w);
                }
            } else if (want >= gap || !pinches(want)) {
                gap = want;
            } else if (closing && cubeAcrossFingers()) {
                grasp(); // both fingers press on the cube: it is held
            } // else the fingers stall on the cube (a force-limited finger drive cannot crush it)
            placeFingers(gap);
            DVector3C p = gripper.getPosition(), v = gripper.getLinearVel();
            double fx = GRIPPER_MASS * (KP * (tx - p.get0()) - KD * v.get0());
            double fy = GRIPPER_MASS * (KP * (ty - p.get1()) - KD * v.get1());
            double fz = GRIPPER_MASS * (KP * (tz - p.get2()) - KD * v.get2());
            double f = Math.sqrt(fx * fx + fy * fy + fz * fz);
            if (f > MAX_FORCE) {
                double s = MAX_FORCE / f;
                fx *= s;
                fy *= s;
                fz *= s;
            }
            gripper.addForce(fx, fy, fz);
            // The yaw is kinematic, but the contacts must see the fingers' turning speed: with a zero angular
            // velocity a finger turning on the cube's top face is, to the solver, a body teleported into it.
            gripper.setAngularVel(0, 0, dYaw / (SUB_STEPS * SUB_DT));
            if (grasped) {
                collide(heldGeom, table, gripper, null);
            } else {
                collide(cubeGeom, table, cube, null);
                collide(fingers[0], cubeGeom, gripper, cube);
                collide(fingers[1], cubeGeom, gripper, cube);
            }
            collide(fingers[0], table, gripper, null);
            collide(fingers[1], table, gripper, null);
            world.step(SUB_DT);
            contacts.empty();
            if (!grasped && closing && cubeBetweenFingers()) {
                grasp();
            }
        }
        // Contacts (a held cube on the table, a finger on an edge) can tilt the gripper body within a sub-step.
        // Its yaw is kinematic: undo the tilt before the pose is read out, else the held cube's world pose would
        // carry the tilt and the next step's reload would bake it into the cube's pose relative to the gripper.
        gripper.setQuaternion(yawQuat(yaw));
        gripper.setAngularVel(0, 0, 0);
    }

    /**
     * True if, with the fingers at gap {@code g}, both fingers would press into the free cube deeper than
     * {@link #PINCH_DEPTH}. The finger gap is kinematic, so closing further would drive both fingers into the
     * cube and the contact solver would squeeze it out sideways at metres per second (a wedge when the two
     * contact normals are not exactly opposite, e.g. a cube pinched at a corner).
     */
    private boolean pinches(double g) {
        placeFingers(g);
        boolean both = true;
        for (DBox f : fingers) {
            int n = OdeHelper.collide(f, cubeGeom, MAX_CONTACTS, buf.getGeomBuffer());
            double d = 0;
            for (int i = 0; i < n; i++) {
                d = Math.max(d, buf.get(i).geom.depth);
            }
            both &= d > PINCH_DEPTH;
        }
        return both;
    }

    private void collide(DGeom a, DGeom b, DBody ba, DBody bb) {
        int n = OdeHelper.collide(a, b, MAX_CONTACTS, buf.getGeomBuffer());
        for (int i = 0; i < n; i++) {
            DContact c = buf.get(i);
            c.surface.mode = OdeConstants.dContactApprox1;
            c.surface.mu = MU;
            OdeHelper.createContactJoint(world, contacts, c).attach(ba, bb);
        }
    }

    /** True if the cube lies between the fingers and the gap has closed onto it. */
    private boolean cubeBetweenFingers() {
        DVector3 local = new DVector3();
        gripper.getPosRelPoint(cube.getPosition(), local);
        double w = cubeWidthAlongGripperX(cube.getQuaternion());
        return gap <= w + 0.002 && Math.abs(local.get0()) + w / 2 <= gap / 2 + 0.006 && cubeAcrossFingers();
    }

    /** True if the cube's centre lies across the fingers' faces (along the finger width and height). */
    private boolean cubeAcrossFingers() {
        DVector3 local = new DVector3();
        gripper.getPosRelPoint(cube.getPosition(), local);
        double hy = extentAlong(cube.getQuaternion(), -Math.sin(yaw), Math.cos(yaw), 0);
        double hz = extentAlong(cube.getQuaternion(), 0, 0, 1);
        return Math.abs(local.get1()) < FINGER_W / 2 + hy * 0.5 && Math.abs(local.get2()) < FINGER_H / 2 + hz * 0.5;
    }

    private void grasp() {
        grasped = true;
        gap = Math.max(gap, cubeWidthAlongGripperX(cube.getQuaternion()));
        heldGeom.enable();
        DVector3C p = cube.getPosition();
        DQuaternionC q = cube.getQuaternion();
        attachHeld(p.get0(), p.get1(), p.get2(), q.get0(), q.get1(), q.get2(), q.get3());
        cube.disable();
    }

    /**
     * Sets the held geom's offset so that its world pose is (p, q) for the gripper's current pose (position and
     * yaw {@link #yaw}). The offset is computed here in the gripper frame, not with ode4j's
     * {@code setOffsetWorldRotation}: in ode4j 0.5.3 that call stores the world rotation itself as the offset, so
     * every grasp and every state reload added the gripper's yaw to the held cube's orientation (the held cube
     * spun, its width across the fingers jumped, it was released inside the closing fingers and crushed out).
     */
    private void attachHeld(double px, double py, double pz, double qw, double qx, double qy, double qz) {
        DVector3C g = gripper.getPosition();
        double c = Math.cos(yaw), sn = Math.sin(yaw);
        double dx = px - g.get0(), dy = py - g.get1(), dz = pz - g.get2();
        heldGeom.setOffsetPosition(c * dx + sn * dy, -sn * dx + c * dy, dz);
        // conj(yaw quaternion) * q, normalised: ODE turns an offset quaternion into a matrix assuming unit length,
        // and the float state's quaternion is not exactly unit (an unnormalised offset grows step after step)
        double n = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
        double hc = Math.cos(yaw / 2) / n, hs = Math.sin(yaw / 2) / n;
        heldGeom.setOffsetQuaternion(new DQuaternion(hc * qw + hs * qz, hc * qx + hs * qy, hc * qy - hs * qx,
                hc * qz - hs * qw));
    }

    private void release() {
        grasped = false;
        DVector3C p = heldGeom.getPosition();
        cube.setPosition(p.get0(), p.get1(), p.get2());
        cube.setQuaternion(heldQuaternion());
        cube.setLinearVel(gripper.getLinearVel());
        cube.setAngularVel(0, 0, 0);
        cube.enable();
        heldGeom.disable();
    }

    DQuaternion heldQuaternion() {
        return new DQuaternion(heldGeom.getQuaternion());
    }

    /** World pose of the cube: the held geom's while grasped, else the body's. */
    DVector3C cubePosition() {
        return grasped ? heldGeom.getPosition() : cube.getPosition();
    }

    DQuaternion cubeQuaternion() {
        return grasped ? heldQuaternion() : new DQuaternion(cube.getQuaternion());
    }

    double cubeWidthAlongGripperX(org.ode4j.math.DQuaternionC q) {
        return 2 * extentAlong(q, Math.cos(yaw), Math.sin(yaw), 0);
    }

    /** Half extent of the cube along the world unit direction (ux, uy, uz) for orientation q. */
    static double extentAlong(org.ode4j.math.DQuaternionC q, double ux, double uy, double uz) {
        double[][] r = rotation(q.get0(), q.get1(), q.get2(), q.get3());
        double e = 0;
        for (int j = 0; j < 3; j++) {
            e += Math.abs(r[0][j] * ux + r[1][j] * uy + r[2][j] * uz);
        }
        return HALF * e;
    }

    /** Rotation matrix (row-major, columns = body axes in world) of a unit quaternion (w, x, y, z). */
    static double[][] rotation(double w, double x, double y, double z) {
        double n = Math.sqrt(w * w + x * x + y * y + z * z);
        w /= n;
        x /= n;
        y /= n;
        z /= n;
        return new double[][] {
            {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
            {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
            {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
    }
}
