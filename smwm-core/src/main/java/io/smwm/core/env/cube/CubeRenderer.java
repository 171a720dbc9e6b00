package io.smwm.core.env.cube;

import io.smwm.core.render.RgbImage;

/**
 * Draws the cube scene with {@link Rasterizer}: a perspective camera in front of and above the table looking
 * down at about 40°, a wooden table quad, vertical-light shadows of the cube and the gripper on the table (so
 * height is visible), the cube with one colour per face and the gripper (two dark fingers, palm, wrist), all
 * flat/Lambert shaded. Back faces are culled; the wall behind the table is the frame's background colour.
 */
final class CubeRenderer {
    static final int BACKGROUND = 0xdfe4ea;
    static final int TABLE = 0xc9a77c;
    static final int SHADOW = 0x8a7152;
    static final double TABLE_HALF = 0.35;
    static final int[] CUBE_FACES = {0xd9473f, 0x4caf50, 0x3f6fd9, 0xe0c03a, 0xe8833a, 0x8e5bd0};
    private static final int FINGER = 0x3a3f47;
    private static final int PALM = 0x6b7280;
    private static final int WRIST = 0x9aa1ab;
    private static final double[] LIGHT = unit(0.3, -0.5, 1.0);
    private static final double AMBIENT = 0.45;
    private static final int[][] FACE_VERTS = {{1, 3, 7, 5}, {0, 4, 6, 2}, {2, 6, 7, 3}, {0, 1, 5, 4},
        {4, 5, 7, 6}, {0, 2, 3, 1}};
    private static final double[][] FACE_AXES = {{0, 1}, {0, -1}, {1, 1}, {1, -1}, {2, 1}, {2, -1}};

    private static final double[] EYE = {0, -0.6, 0.6};
    private static final double[] LOOK_AT = {0, 0, 0.06};
    private final Rasterizer r;
    private final double[][] proj = new double[8][3];
    private final double[][] world = new double[8][3];

    /** A renderer of {@code imageSize}² frames whose eye is {@code zoom} times nearer to the point it looks at. */
    CubeRenderer(int imageSize, double zoom) {
        double[] eye = EYE.clone(); // zoom 1 keeps the default eye bit for bit
        for (int i = 0; i < 3 && zoom != 1; i++) {
            eye[i] = LOOK_AT[i] + (EYE[i] - LOOK_AT[i]) / zoom;
        }
        r = new Rasterizer(imageSize, eye, LOOK_AT, 40);
    }

    /**
     * Renders the scene over img.
     *
     * @param g    gripper reference point (m)
     * @param yaw  gripper yaw (rad)
     * @param gap  finger gap (m)
     * @param c    cube centre (m)
     * @param rot  cube rotation matrix (row-major, columns = cube axes in world)
     */
    void render(RgbImage img, double[] g, double yaw, double gap, double[] c, double[][] rot) {
        r.clear();
        double[][] quad = new double[4][3];
        double[][] corners = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
        for (int i = 0; i < 4; i++) {
            r.project(corners[i][0] * TABLE_HALF, corners[i][1] * TABLE_HALF, 0, quad[i]);
        }
        r.polygon(quad, Rasterizer.shade(TABLE, new double[] {0, 0, 1}, LIGHT, AMBIENT));
        double cy = Math.cos(yaw), sy = Math.sin(yaw);
        double[][] gr = {{cy, -sy, 0}, {sy, cy, 0}, {0, 0, 1}};
        double fo = gap / 2 + CubePhysics.FINGER_T / 2;
        double[][] fingerC = {local(g, gr, -fo, 0, 0), local(g, gr, fo, 0, 0)};
        double[] fingerH = {CubePhysics.FINGER_T / 2, CubePhysics.FINGER_W / 2, CubePhysics.FINGER_H / 2};
        double palmZ = CubePhysics.FINGER_H / 2 + 0.01;
        double[] palmC = local(g, gr, 0, 0, palmZ);
        double[] palmH = {gap / 2 + CubePhysics.FINGER_T, CubePhysics.FINGER_W / 2, 0.01};
        double[] wristC = local(g, gr, 0, 0, palmZ + 0.01 + 0.1);
        double[] wristH = {0.008, 0.008, 0.1};
        double[] cubeH = {CubePhysics.HALF, CubePhysics.HALF, CubePhysics.HALF};
        // shadows first, slightly above the table
        shadow(c, rot, cubeH);
        shadow(fingerC[0], gr, fingerH);
        shadow(fingerC[1], gr, fingerH);
        shadow(palmC, gr, palmH);
        box(c, rot, cubeH, CUBE_FACES);
        int[] fc = {FINGER, FINGER, FINGER, FINGER, FINGER, FINGER};
        box(fingerC[0], gr, fingerH, fc);
        box(fingerC[1], gr, fingerH, fc);
        box(palmC, gr, palmH, new int[] {PALM, PALM, PALM, PALM, PALM, PALM});
        box(wristC, gr, wristH, new int[] {WRIST, WRIST, WRIST, WRIST, WRIST, WRIST});
        r.composite(img);
    }

    private static double[] local(double[] o, double[][] rot, double x, double y, double z) {
        return new double[] {o[0] + rot[0][0] * x + rot[0][1] * y + rot[0][2] * z,
            o[1] + rot[1][0] * x + rot[1][1] * y + rot[1][2] * z,
            o[2] + rot[2][0] * x + rot[2][1] * y + rot[2][2] * z};
    }

    private void corners(double[] c, double[][] rot, double[] h) {
        for (int i = 0; i < 8; i++) {
            double lx = (i & 1) != 0 ? h[0] : -h[0];
            double ly = (i & 2) != 0 ? h[1] : -h[1];
            double lz = (i & 4) != 0 ? h[2] : -h[2];
            double[] w = local(c, rot, lx, ly, lz);
            System.arraycopy(w, 0, world[i], 0, 3);
        }
    }

    private void shadow(double[] c, double[][] rot, double[] h) {
        corners(c, rot, h);
        for (int i = 0; i < 8; i++) {
            if (Math.abs(world[i][0]) > TABLE_HALF || Math.abs(world[i][1]) > TABLE_HALF) {
                return; // off the table: no shadow rather than one floating in the air
            }
            r.project(world[i][0], world[i][1], 0.0008, proj[i]);
        }
        double[][] q = new double[4][];
        for (int[] f : FACE_VERTS) {
            for (int k = 0; k < 4; k++) {
                q[k] = proj[f[k]];
            }
            r.polygon(q, SHADOW);
        }
    }

    private void box(double[] c, double[][] rot, double[] h, int[] colors) {
        corners(c, rot, h);
        for (int i = 0; i < 8; i++) {
            r.project(world[i][0], world[i][1], world[i][2], proj[i]);
        }
        double[][] q = new double[4][];
        double[] nrm = new double[3];
        for (int f = 0; f < 6; f++) {
            int ax = (int) FACE_AXES[f][0];
            double sgn = FACE_AXES[f][1];
            for (int k = 0; k < 3; k++) {
                nrm[k] = rot[k][ax] * sgn;
            }
            double fx = c[0] + nrm[0] * h[ax], fy = c[1] + nrm[1] * h[ax], fz = c[2] + nrm[2] * h[ax];
            if ((fx - EYE[0]) * nrm[0] + (fy - EYE[1]) * nrm[1] + (fz - EYE[2]) * nrm[2] >= 0) {
                continue; // back face
            }
            for (int k = 0; k < 4; k++) {
                q[k] = proj[FACE_VERTS[f][k]];
            }
            r.polygon(q, Rasterizer.shade(colors[f], nrm, LIGHT, AMBIENT));
        }
    }

    private static double[] unit(double x, double y, double z) {
        double l = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / l, y / l, z / l};
    }
}
