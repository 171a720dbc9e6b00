package io.smwm.core.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * An RGB image stored as interleaved uint8 bytes in HWC order: {@code data[(y * width + x) * 3 + c]}, c = 0 red,
 * 1 green, 2 blue. This is exactly the layout of the trajectory table's observation column.
 *
 * <p>Drawing primitives take coordinates in pixels (floating point, pixel centres at x + 0.5) and are
 * anti-aliased by 4x4 supersampling of the coverage at shape edges, so sub-pixel motion changes the pixels.
 */
public final class RgbImage {
    private static final int SS = 4; // supersampling per axis for edge coverage
    private final int width;
    private final int height;
    private final byte[] data;

    public RgbImage(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.data = new byte[width * height * 3];
    }

    /** Wraps (does not copy) HWC bytes of length width*height*3. */
    public RgbImage(int width, int height, byte[] hwc) {
        if (hwc.length != width * height * 3) {
            throw new IllegalArgumentException("HWC byte length must be " + (width * height * 3) + " for "
                    + width + "x" + height + "x3, got " + hwc.length);
        }
        this.width = width;
        this.height = height;
        this.data = hwc;
    }

    public int width() { return width; }
    public int height() { return height; }

    /** The backing HWC bytes (not a copy). */
    public byte[] data() { return data; }

    public RgbImage copy() { return new RgbImage(width, height, data.clone()); }

    /** Packed 0xRRGGBB of pixel (x, y). */
    public int get(int x, int y) {
        int i = (y * width + x) * 3;
        return ((data[i] & 0xff) << 16) | ((data[i + 1] & 0xff) << 8) | (data[i + 2] & 0xff);
    }

    public void set(int x, int y, int rgb) {
        int i = (y * width + x) * 3;
        data[i] = (byte) (rgb >> 16);
        data[i + 1] = (byte) (rgb >> 8);
        data[i + 2] = (byte) rgb;
    }

    /** Blends colour rgb over pixel (x, y) with opacity alpha in [0,1]. */
    public void blend(int x, int y, int rgb, float alpha) {
        if (x < 0 || y < 0 || x >= width || y >= height || alpha <= 0f) {
            return;
        }
        if (alpha >= 1f) {
            set(x, y, rgb);
            return;
        }
        int i = (y * width + x) * 3;
        for (int c = 0; c < 3; c++) {
            int src = (rgb >> (16 - 8 * c)) & 0xff;
            int dst = data[i + c] & 0xff;
            data[i + c] = (byte) Math.round(dst + (src - dst) * alpha);
        }
    }

    public void fill(int rgb) {
        for (int p = 0; p < width * height; p++) {
            data[3 * p] = (byte) (rgb >> 16);
            data[3 * p + 1] = (byte) (rgb >> 8);
            data[3 * p + 2] = (byte) rgb;
        }
    }

    /** A point-in-shape test in pixel coordinates. */
    @FunctionalInterface
    public interface Shape {
        boolean contains(double x, double y);
    }

    /**
     * Fills a shape inside the pixel bounding box [x0,x1]x[y0,y1] with anti-aliased coverage: pixels whose four
     * corners and centre are inside are filled directly; the rest get 4x4 supersampled coverage.
     */
    public void fillShape(Shape s, double x0, double y0, double x1, double y1, int rgb) {
        int ix0 = Math.max(0, (int) Math.floor(x0));
        int iy0 = Math.max(0, (int) Math.floor(y0));
        int ix1 = Math.min(width - 1, (int) Math.ceil(x1));
        int iy1 = Math.min(height - 1, (int) Math.ceil(y1));
        for (int y = iy0; y <= iy1; y++) {
            for (int x = ix0; x <= ix1; x++) {
                boolean c00 = s.contains(x, y), c10 = s.contains(x + 1, y);
                boolean c01 = s.contains(x, y + 1), c11 = s.contains(x + 1, y + 1);
                boolean cc = s.contains(x + 0.5, y + 0.5);
                if (c00 && c10 && c01 && c11 && cc) {
                    set(x, y, rgb);
                } else {
                    blend(x, y, rgb, coverage(s, x, y));
                }
            }
        }
    }

    private static float coverage(Shape s, int x, int y) {
        int n = 0;
        for (int sy = 0; sy < SS; sy++) {
            for (int sx = 0; sx < SS; sx++) {
                if (s.contains(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS)) {
                    n++;
                }
            }
        }
        return n / (float) (SS * SS);
    }

    /** Anti-aliased disc centred at (cx, cy) pixels with radius r pixels. */
    public void fillCircle(double cx, double cy, double r, int rgb) {
        double r2 = r * r;
        fillShape((x, y) -> (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r2, cx - r, cy - r, cx + r, cy + r, rgb);
    }

    /** Axis-aligned rectangle [x0,x1) x [y0,y1) in pixels, anti-aliased at fractional edges. */
    public void fillRect(double x0, double y0, double x1, double y1, int rgb) {
        fillShape((x, y) -> x >= x0 && x < x1 && y >= y0 && y < y1, x0, y0, x1, y1, rgb);
    }

    /** Convex or concave simple polygon (even-odd rule), vertices in pixels. */
    public void fillPolygon(double[] xs, double[] ys, int rgb) {
        if (xs.length != ys.length || xs.length < 3) {
            throw new IllegalArgumentException("a polygon needs >= 3 vertices with matching x/y arrays");
        }
        double minX = Arrays.stream(xs).min().getAsDouble(), maxX = Arrays.stream(xs).max().getAsDouble();
        double minY = Arrays.stream(ys).min().getAsDouble(), maxY = Arrays.stream(ys).max().getAsDouble();
        int n = xs.length;
        fillShape((px, py) -> {
            boolean inside = false;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                if ((ys[i] > py) != (ys[j] > py)
                        && px < (xs[j] - xs[i]) * (py - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
                    inside = !inside;
                }
            }
            return inside;
        }, minX, minY, maxX, maxY, rgb);
    }

    /** A segment of the given thickness with round caps (a capsule), in pixels. */
    public void drawLine(double xa, double ya, double xb, double yb, double thickness, int rgb) {
        double r = thickness / 2, r2 = r * r;
        double dx = xb - xa, dy = yb - ya, len2 = dx * dx + dy * dy;
        fillShape((x, y) -> {
            double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - xa) * dx + (y - ya) * dy) / len2));
            double ex = xa + t * dx - x, ey = ya + t * dy - y;
            return ex * ex + ey * ey <= r2;
        }, Math.min(xa, xb) - r, Math.min(ya, yb) - r, Math.max(xa, xb) + r, Math.max(ya, yb) + r, rgb);
    }

    /** Copies this image into a new BufferedImage (TYPE_INT_RGB). */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, get(x, y));
            }
        }
        return img;
    }

    public void writePng(Path file) throws IOException {
        if (!ImageIO.write(toBufferedImage(), "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && other.width == width && other.height == height
                && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() { return 31 * (31 * width + height) + Arrays.hashCode(data); }
}
