package io.smwm.core.env.cube;

import io.smwm.core.render.RgbImage;
import java.util.Arrays;

/**
 * A tiny software rasteriser: perspective pinhole camera, z-buffered flat-coloured triangles, rendered at
 * {@value #SS}x{@value #SS} supersampling and composited onto an {@link RgbImage} with coverage as alpha (so the
 * background and distractor backgrounds stay visible where nothing is drawn, and sub-pixel motion changes
 * pixels).
 *
 * <p>World frame: metres, z up. Camera frame: x right, y up, looking along +forward; screen y grows downward.
 */
final class Rasterizer {
    static final int SS = 2;
    private final int size;
    private final int n;
    private final int[] color;
    private final float[] depth; // 1/w of the nearest surface, 0 = empty
    private final double[] eye = new double[3];
    private final double[] right = new double[3];
    private final double[] up = new double[3];
    private final double[] fwd = new double[3];
    private final double focal;
    private final double[] sx = new double[3];
    private final double[] sy = new double[3];
    private final double[] sw = new double[3];

    /**
     * @param imageSize output side in pixels
     * @param eye       camera position (m)
     * @param target    point looked at (m)
     * @param fovDeg    vertical field of view in degrees
     */
    Rasterizer(int imageSize, double[] eye, double[] target, double fovDeg) {
        this.size = imageSize;
        this.n = imageSize * SS;
        this.color = new int[n * n];
        this.depth = new float[n * n];
        System.arraycopy(eye, 0, this.eye, 0, 3);
        for (int i = 0; i < 3; i++) {
            fwd[i] = target[i] - eye[i];
        }
        normalize(fwd);
        double[] worldUp = {0, 0, 1};
        cross(fwd, worldUp, right);
        normalize(right);
        cross(right, fwd, up);
        focal = (n / 2.0) / Math.tan(Math.toRadians(fovDeg) / 2);
    }

    void clear() {
        Arrays.fill(depth, 0f);
    }

    /** Projects a world point to supersampled screen coordinates {x, y, 1/w}; w <= 0 gives invW <= 0. */
    void project(double x, double y, double z, double[] out) {
        double dx = x - eye[0], dy = y - eye[1], dz = z - eye[2];
        double cx = dx * right[0] + dy * right[1] + dz * right[2];
        double cy = dx * up[0] + dy * up[1] + dz * up[2];
        double cw = dx * fwd[0] + dy * fwd[1] + dz * fwd[2];
        out[0] = n / 2.0 + focal * cx / cw;
        out[1] = n / 2.0 - focal * cy / cw;
        out[2] = 1.0 / cw;
    }

    /** Rasterises a convex planar polygon given as projected vertices {x, y, invW} (fan triangulation). */
    void polygon(double[][] v, int rgb) {
        for (double[] p : v) {
            if (p[2] <= 0) {
                return; // behind the camera: never happens in this scene, skip rather than clip
            }
        }
        for (int i = 1; i + 1 < v.length; i++) {
            triangle(v[0], v[i], v[i + 1], rgb);
        }
    }

    private void triangle(double[] a, double[] b, double[] c, int rgb) {
        double area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
        if (Math.abs(area) < 1e-12) {
            return;
        }
        int x0 = Math.max(0, (int) Math.floor(Math.min(a[0], Math.min(b[0], c[0]))));
        int x1 = Math.min(n - 1, (int) Math.ceil(Math.max(a[0], Math.max(b[0], c[0]))));
        int y0 = Math.max(0, (int) Math.floor(Math.min(a[1], Math.min(b[1], c[1]))));
        int y1 = Math.min(n - 1, (int) Math.ceil(Math.max(a[1], Math.max(b[1], c[1]))));
        double inv = 1.0 / area;
        for (int y = y0; y <= y1; y++) {
            double py = y + 0.5;
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5;
                double w0 = ((b[0] - px) * (c[1] - py) - (b[1] - py) * (c[0] - px)) * inv;
                double w1 = ((c[0] - px) * (a[1] - py) - (c[1] - py) * (a[0] - px)) * inv;
                double w2 = 1 - w0 - w1;
                if (w0 < 0 || w1 < 0 || w2 < 0) {
                    continue;
                }
                float d = (float) (w0 * a[2] + w1 * b[2] + w2 * c[2]);
                int i = y * n + x;
                if (d > depth[i]) {
                    depth[i] = d;
                    color[i] = rgb;
                }
            }
        }
    }

    /** Averages the supersamples and blends them over img with their coverage as opacity. */
    void composite(RgbImage img) {
        byte[] out = img.data();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int r = 0, g = 0, b = 0, k = 0;
                for (int sy2 = 0; sy2 < SS; sy2++) {
                    int row = (y * SS + sy2) * n + x * SS;
                    for (int sx2 = 0; sx2 < SS; sx2++) {
                        if (depth[row + sx2] > 0) {
                            int c = color[row + sx2];
                            r += (c >> 16) & 0xff;
                            g += (c >> 8) & 0xff;
                            b += c & 0xff;
                            k++;
                        }
                    }
                }
                if (k == 0) {
                    continue;
                }
                int o = (y * size + x) * 3;
                int total = SS * SS;
                out[o] = (byte) ((r + (out[o] & 0xff) * (total - k) + total / 2) / total);
                out[o + 1] = (byte) ((g + (out[o + 1] & 0xff) * (total - k) + total / 2) / total);
                out[o + 2] = (byte) ((b + (out[o + 2] & 0xff) * (total - k) + total / 2) / total);
            }
        }
    }

    /** Lambert shading of a base colour for a face with unit normal nrm under the unit light direction. */
    static int shade(int rgb, double[] nrm, double[] light, double ambient) {
        double l = Math.max(0, nrm[0] * light[0] + nrm[1] * light[1] + nrm[2] * light[2]);
        double f = ambient + (1 - ambient) * l;
        int r = (int) Math.min(255, Math.round(((rgb >> 16) & 0xff) * f));
        int g = (int) Math.min(255, Math.round(((rgb >> 8) & 0xff) * f));
        int b = (int) Math.min(255, Math.round((rgb & 0xff) * f));
        return (r << 16) | (g << 8) | b;
    }

    private static void cross(double[] a, double[] b, double[] o) {
        o[0] = a[1] * b[2] - a[2] * b[1];
        o[1] = a[2] * b[0] - a[0] * b[2];
        o[2] = a[0] * b[1] - a[1] * b[0];
    }

    private static void normalize(double[] v) {
        double l = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        v[0] /= l;
        v[1] /= l;
        v[2] /= l;
    }
}
