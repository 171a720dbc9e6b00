package io.smwm.core.env.pusht;

import org.dyn4j.dynamics.Body;
import org.dyn4j.dynamics.BodyFixture;
import org.dyn4j.dynamics.ContinuousDetectionMode;
import org.dyn4j.dynamics.Settings;
import org.dyn4j.geometry.Geometry;
import org.dyn4j.geometry.MassType;
import org.dyn4j.geometry.Rectangle;
import org.dyn4j.geometry.Vector2;
import org.dyn4j.world.World;

/**
 * Push-T physics on dyn4j: a round agent (dynamic disc driven by a PD force toward a target point) and a T-shaped
 * block (one dynamic body with two rectangle fixtures), seen from above with no gravity, inside four walls.
 *
 * <p>Units here are metres (world side {@value #WORLD_M} m, so 1 cm = 1 px of the reference 512-px world); the
 * environment's state is in arena units (world side = 1) and converted at the boundary. Top-down table friction
 * is modelled as dyn4j linear and angular damping on the block, so it stops when it is not pushed.
 *
 * <p>Determinism: the world is rebuilt from the (float) state at the start of every environment step, so no
 * contact cache, warm-start impulse or broad-phase tree survives between env steps: a step is a pure function of
 * (state, target), and a state restored with {@code setState} steps exactly like the original.
 */
final class PushTPhysics {
    static final double WORLD_M = 5.12;
    static final double AGENT_R = 0.15;
    static final double BAR_W = 1.2;
    static final double BAR_H = 0.3;
    static final double STEM_W = 0.3;
    static final double STEM_H = 0.9;
    /** Bar centre y in the block frame whose origin is the centre of mass (areas 0.36 and 0.27 m²). */
    static final double BAR_Y = 0.27 * (BAR_H / 2 + STEM_H / 2) / 0.63;
    static final double STEM_Y = BAR_Y - BAR_H / 2 - STEM_H / 2;
    static final double SUB_DT = 0.01;
    static final int SUB_STEPS = 10;
    static final double KP = 900;
    static final double KD = 60;
    static final double MAX_FORCE = 250;
    static final double AGENT_MASS = 1.0;
    static final double BLOCK_DENSITY = 2.0;
    static final double BLOCK_LINEAR_DAMPING = 5.0;
    static final double BLOCK_ANGULAR_DAMPING = 5.0;
    static final double FRICTION = 0.3;

    private PushTPhysics() {}

    /**
     * Advances one env step in place.
     *
     * @param s      state in metres and radians: agent x, y, vx, vy, block x, y, θ, vx, vy, ω (y up)
     * @param tx     PD target x for the agent, m
     * @param ty     PD target y for the agent, m
     */
    static void step(double[] s, double tx, double ty) {
        step(s, tx, ty, 1);
    }

    /**
     * {@link #step(double[], double, double)} with the block's mass (and moment of inertia) multiplied by
     * {@code blockMass}; its damping rates stay, so pushing it at a given speed takes that much more force and the
     * agent's force limit slows the agent in contact.
     */
    static void step(double[] s, double tx, double ty, double blockMass) {
        World<Body> world = new World<>(6, 0);
        Settings st = world.getSettings();
        st.setStepFrequency(SUB_DT); // dyn4j: seconds per step, despite the name
        st.setAtRestDetectionEnabled(false);
        st.setContinuousDetectionMode(ContinuousDetectionMode.NONE);
        world.setGravity(World.ZERO_GRAVITY);
        addWalls(world);
        Body block = newBlock(blockMass);
        block.getTransform().setTranslation(s[4], s[5]);
        block.getTransform().setRotation(s[6]);
        block.setLinearVelocity(s[7], s[8]);
        block.setAngularVelocity(s[9]);
        world.addBody(block);
        Body agent = new Body();
        BodyFixture af = agent.addFixture(Geometry.createCircle(AGENT_R));
        af.setDensity(AGENT_MASS / (Math.PI * AGENT_R * AGENT_R));
        af.setFriction(FRICTION);
        af.setRestitution(0);
        agent.setMass(MassType.FIXED_ANGULAR_VELOCITY);
        agent.getTransform().setTranslation(s[0], s[1]);
        agent.setLinearVelocity(s[2], s[3]);
        world.addBody(agent);
        for (int k = 0; k < SUB_STEPS; k++) {
            Vector2 p = agent.getTransform().getTranslation();
            Vector2 v = agent.getLinearVelocity();
            double fx = AGENT_MASS * (KP * (tx - p.x) - KD * v.x);
            double fy = AGENT_MASS * (KP * (ty - p.y) - KD * v.y);
            double f = Math.hypot(fx, fy);
            if (f > MAX_FORCE) {
                fx *= MAX_FORCE / f;
                fy *= MAX_FORCE / f;
            }
            agent.applyForce(new Vector2(fx, fy));
            world.step(1);
        }
        Vector2 ap = agent.getTransform().getTranslation(), av = agent.getLinearVelocity();
        Vector2 bp = block.getTransform().getTranslation(), bv = block.getLinearVelocity();
        s[0] = ap.x;
        s[1] = ap.y;
        s[2] = av.x;
        s[3] = av.y;
        s[4] = bp.x;
        s[5] = bp.y;
        s[6] = wrap(block.getTransform().getRotationAngle());
        s[7] = bv.x;
        s[8] = bv.y;
        s[9] = block.getAngularVelocity();
    }

    private static Body newBlock(double massFactor) {
        Body block = new Body();
        Rectangle bar = Geometry.createRectangle(BAR_W, BAR_H);
        bar.translate(0, BAR_Y);
        Rectangle stem = Geometry.createRectangle(STEM_W, STEM_H);
        stem.translate(0, STEM_Y);
        for (Rectangle r : new Rectangle[] {bar, stem}) {
            BodyFixture f = block.addFixture(r);
            f.setDensity(BLOCK_DENSITY * massFactor);
            f.setFriction(FRICTION);
            f.setRestitution(0);
        }
        block.setMass(MassType.NORMAL);
        block.setLinearDamping(BLOCK_LINEAR_DAMPING);
        block.setAngularDamping(BLOCK_ANGULAR_DAMPING);
        return block;
    }

    private static void addWalls(World<Body> world) {
        double t = 1.0, w = WORLD_M;
        double[][] walls = {{-t / 2, w / 2, t, w + 2 * t}, {w + t / 2, w / 2, t, w + 2 * t},
            {w / 2, -t / 2, w + 2 * t, t}, {w / 2, w + t / 2, w + 2 * t, t}};
        for (double[] r : walls) {
            Body wall = new Body();
            BodyFixture f = wall.addFixture(Geometry.createRectangle(r[2], r[3]));
            f.setFriction(FRICTION);
            f.setRestitution(0);
            wall.setMass(MassType.INFINITE);
            wall.getTransform().setTranslation(r[0], r[1]);
            world.addBody(wall);
        }
    }

    /** Wraps an angle to (-π, π]. */
    static double wrap(double a) {
        double r = a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
        return r <= -Math.PI ? r + 2 * Math.PI : r;
    }

    /**
     * The T outline (8 vertices, counter-clockwise) in the given length unit, for a block at (x, y) with angle θ.
     * {@code unit} is the length of one metre in the output unit (1 for metres, 1/{@value #WORLD_M} for arena).
     */
    static double[][] outline(double x, double y, double theta, double unit) {
        double bx = BAR_W / 2, sx = STEM_W / 2, top = BAR_Y + BAR_H / 2, mid = BAR_Y - BAR_H / 2;
        double bot = STEM_Y - STEM_H / 2;
        double[] lx = {-bx, -bx, -sx, -sx, sx, sx, bx, bx};
        double[] ly = {top, mid, mid, bot, bot, mid, mid, top};
        double c = Math.cos(theta), sn = Math.sin(theta);
        double[][] out = new double[2][8];
        for (int i = 0; i < 8; i++) {
            out[0][i] = x + (c * lx[i] - sn * ly[i]) * unit;
            out[1][i] = y + (sn * lx[i] + c * ly[i]) * unit;
        }
        return out;
    }

    /**
     * Distance (m) from point (px, py) to the T block at (x, y, θ), all in metres; 0 inside the block.
     */
    static double distanceToBlock(double px, double py, double x, double y, double theta) {
        return distanceToBlock(px, py, x, y, Math.cos(theta), Math.sin(theta));
    }

    /** {@link #distanceToBlock(double, double, double, double, double)} with the block angle's cosine and sine given. */
    static double distanceToBlock(double px, double py, double x, double y, double c, double sn) {
        double dx = px - x, dy = py - y;
        double lx = c * dx + sn * dy, ly = -sn * dx + c * dy;
        return Math.min(rectDistance(lx, ly - BAR_Y, BAR_W / 2, BAR_H / 2),
                rectDistance(lx, ly - STEM_Y, STEM_W / 2, STEM_H / 2));
    }

    private static double rectDistance(double x, double y, double hw, double hh) {
        double ex = Math.max(0, Math.abs(x) - hw), ey = Math.max(0, Math.abs(y) - hh);
        return Math.hypot(ex, ey);
    }
}
