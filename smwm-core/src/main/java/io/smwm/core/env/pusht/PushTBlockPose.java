package io.smwm.core.env.pusht;

import java.util.ArrayList;
import java.util.List;

/**
 * The T block's pose in metres and radians (with the angle's cosine and sine), and the geometry the
 * {@link PushTPusherPolicy} works with: the candidate contacts on the outline, the twist a push there gives the block,
 * the block's gap to the walls, and whether a straight way of the agent disc keeps clear of it.
 *
 * <p>Contacts: points every {@value PushTPusherPolicy#CONTACT_SPACING} m along the outline (block frame: origin at
 * the centre of mass, bar on top) where the agent disc touching the block does not overlap it, which leaves out the
 * two concave corners; each with its outward unit normal.
 */
record PushTBlockPose(double x, double y, double theta, double cos, double sin) {
    private static final double M = PushTPhysics.WORLD_M;
    private static final double R = PushTPhysics.AGENT_R;
    /** I/m of the T about its centre of mass, m² (two uniform rectangles of equal density). */
    static final double GYRATION_SQ;
    /** Candidate contacts in the block frame: {x, y, nx, ny}. */
    private static final double[][] CONTACTS;

    static {
        double bw = PushTPhysics.BAR_W, bh = PushTPhysics.BAR_H, sw = PushTPhysics.STEM_W, sh = PushTPhysics.STEM_H;
        double barArea = bw * bh, stemArea = sw * sh;
        double barI = barArea * ((bw * bw + bh * bh) / 12 + PushTPhysics.BAR_Y * PushTPhysics.BAR_Y);
        double stemI = stemArea * ((sw * sw + sh * sh) / 12 + PushTPhysics.STEM_Y * PushTPhysics.STEM_Y);
        GYRATION_SQ = (barI + stemI) / (barArea + stemArea);
        double[][] o = PushTPhysics.outline(0, 0, 0, 1);
        List<double[]> contacts = new ArrayList<>();
        for (int i = 0; i < o[0].length; i++) {
            int j = (i + 1) % o[0].length;
            double dx = o[0][j] - o[0][i], dy = o[1][j] - o[1][i], len = Math.hypot(dx, dy);
            double nx = dy / len, ny = -dx / len; // outward: the outline runs counter-clockwise
            int n = Math.max(1, (int) Math.round(len / PushTPusherPolicy.CONTACT_SPACING));
            for (int k = 0; k < n; k++) {
                double f = (k + 0.5) / n, px = o[0][i] + f * dx, py = o[1][i] + f * dy;
                // the agent disc touching there must not overlap the block (excludes the concave corners)
                if (PushTPhysics.distanceToBlock(px + nx * R, py + ny * R, 0, 0, 0) >= R - 1e-9) {
                    contacts.add(new double[] {px, py, nx, ny});
                }
            }
        }
        CONTACTS = contacts.toArray(new double[0][]);
    }

    PushTBlockPose(double x, double y, double theta) {
        this(x, y, theta, Math.cos(theta), Math.sin(theta));
    }

    /** Number of candidate contact points on the outline. */
    static int contactCount() {
        return CONTACTS.length;
    }

    /** Distance from (px, py) to the block, m. */
    double distance(double px, double py) {
        return PushTPhysics.distanceToBlock(px, py, x, y, cos, sin);
    }

    /** Contact i in the world: point (x, y) and outward normal (nx, ny). */
    double[] contact(int i) {
        double[] k = CONTACTS[i];
        return new double[] {x + cos * k[0] - sin * k[1], y + sin * k[0] + cos * k[1],
            cos * k[2] - sin * k[3], sin * k[2] + cos * k[3]};
    }

    /** Push direction at contact c (world): the inward normal turned by offset·CONE_OFFSET. */
    static double[] pushDirection(double[] c, int offset) {
        double a = offset * PushTPusherPolicy.CONE_OFFSET, cs = Math.cos(a), sn = Math.sin(a);
        return new double[] {-(cs * c[2] - sn * c[3]), -(sn * c[2] + cs * c[3])};
    }

    /**
     * The block's twist per metre pushed at contact i in direction offset, in the policy's weighted metric:
     * (u, angleLength·(r × u)/k²).
     */
    double[] twist(int i, int offset, double angleLength) {
        double[] c = contact(i);
        double[] u = pushDirection(c, offset);
        double rx = c[0] - x, ry = c[1] - y;
        return new double[] {u[0], u[1], angleLength * (rx * u[1] - ry * u[0]) / GYRATION_SQ};
    }

    /** Least distance from the block's outline to the walls, m (negative when a corner is beyond one). */
    double wallGap() {
        double[][] o = PushTPhysics.outline(x, y, theta, 1);
        double gap = Double.POSITIVE_INFINITY;
        for (int i = 0; i < o[0].length; i++) {
            gap = Math.min(gap, Math.min(Math.min(o[0][i], M - o[0][i]), Math.min(o[1][i], M - o[1][i])));
        }
        return gap;
    }

    /**
     * Whether the agent disc keeps {@value PushTRoutes#MARGIN} m off the block along the segment (its start
     * excluded), checked every {@code sample} m.
     */
    boolean clear(double x0, double y0, double x1, double y1, double sample) {
        double len = Math.hypot(x1 - x0, y1 - y0);
        int n = Math.max(1, (int) Math.ceil(len / sample));
        for (int k = 1; k <= n; k++) {
            double f = k / (double) n;
            if (distance(x0 + f * (x1 - x0), y0 + f * (y1 - y0)) < R + PushTRoutes.MARGIN) {
                return false;
            }
        }
        return true;
    }

    /** Unit direction in which the distance to the block grows fastest at (px, py). */
    double[] awayFrom(double px, double py) {
        double h = 0.01;
        double gx = distance(px + h, py) - distance(px - h, py);
        double gy = distance(px, py + h) - distance(px, py - h);
        double n = Math.hypot(gx, gy);
        if (n < 1e-12) {
            gx = px - x;
            gy = py - y;
            n = Math.max(Math.hypot(gx, gy), 1e-12);
        }
        return new double[] {gx / n, gy / n};
    }

    /** Cosine between two 3-vectors (twists and pose errors in the weighted metric); 0 when either is zero. */
    static double cosine(double[] a, double[] b) {
        double na = norm(a), nb = norm(b);
        return na < 1e-12 || nb < 1e-12 ? 0 : (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (na * nb);
    }

    /** Euclidean norm of a 3-vector. */
    static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }
}
