package io.smwm.core.model.direct;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Geometry and data movement of one square convolution (kernel K, stride S, padding P; PyTorch's
 * {@code Conv2d(k=K, s=S, p=P)}: out = ⌊(in + 2P − K)/S⌋ + 1) on channels-last (NHWC) images, as a matrix product:
 * <pre>
 *   cols [n·oh·ow, K·K·cin]  row (img, oy, ox), column (ky·K + kx)·cin + ci = x[img, S·oy+ky−P, S·ox+kx−P, ci] (0 outside)
 *   y    [n·oh·ow, cout]     = cols · W,  W [K, K, cin, cout] in C order read as [K·K·cin, cout]
 * </pre>
 * so y is the NHWC output. The encoder's layers are K 3, S 2, P 1 ({@link #s2}: out = ⌈in/2⌉), the first one
 * optionally K = S = patch, P 0 ({@code model.stemPatch}: non-overlapping patches). {@link #col2im} is the adjoint of
 * {@link #im2col} (it sums every column entry back into the input pixel it came from), which turns dcols = dy · Wᵀ
 * into the input gradient; both also work on an off-heap array's NIO view, so the column matrix is never copied
 * whole between the heap and native memory. Work is split over images with a parallel stream. Immutable; the arrays
 * passed in are the caller's.
 */
public record ConvLayer(int h, int w, int cin, int cout, int kernel, int stride, int pad) {

    public ConvLayer {
        if (h < 1 || w < 1 || cin < 1 || cout < 1 || kernel < 1 || stride < 1 || pad < 0 || pad >= kernel
                || h + 2 * pad < kernel || w + 2 * pad < kernel)
            throw new IllegalArgumentException("bad conv geometry " + h + "x" + w + "x" + cin + " -> " + cout
                    + " (kernel " + kernel + ", stride " + stride + ", padding " + pad + ")");
    }

    /** The paper's layer: 3×3, stride 2, padding 1. */
    public static ConvLayer s2(int h, int w, int cin, int cout) {
        return new ConvLayer(h, w, cin, cout, 3, 2, 1);
    }

    public int oh() { return (h + 2 * pad - kernel) / stride + 1; }

    public int ow() { return (w + 2 * pad - kernel) / stride + 1; }

    /** Columns of the im2col matrix: K·K·cin. */
    public int k() { return kernel * kernel * cin; }

    /** Floats per input image (h·w·cin). */
    public int inSize() { return h * w * cin; }

    /** Rows of the im2col matrix per image (oh·ow). */
    public int outPixels() { return oh() * ow(); }

    /**
     * Writes the im2col matrix of {@code n} NHWC images {@code x} [n·h·w·cin] into {@code cols} [n·oh·ow·K²cin]
     * (row-major).
     */
    public void im2col(float[] x, int n, float[] cols) {
        im2col(x, n, FloatBuffer.wrap(cols));
    }

    /**
     * {@link #im2col(float[], int, float[])} into a buffer written by absolute index (an off-heap array's NIO view,
     * so the matrix is written once, where the matrix product reads it).
     */
    public void im2col(float[] x, int n, FloatBuffer cols) {
        int oh = oh(), ow = ow(), row = k(), c = cin, kk = kernel, s = stride, p = pad;
        float[] zeros = new float[c];
        IntStream.range(0, n).parallel().forEach(img -> {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int base = ((img * oh + oy) * ow + ox) * row;
                    for (int ky = 0; ky < kk; ky++) {
                        int iy = s * oy + ky - p;
                        for (int kx = 0; kx < kk; kx++) {
                            int ix = s * ox + kx - p, o = base + (ky * kk + kx) * c;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                cols.put(o, zeros, 0, c);
                            } else if (c < 16) { // a call per few floats costs more than the copy
                                int from = ((img * h + iy) * w + ix) * c;
                                for (int q = 0; q < c; q++) cols.put(o + q, x[from + q]);
                            } else {
                                cols.put(o, x, ((img * h + iy) * w + ix) * c, c);
                            }
                        }
                    }
                }
            }
        });
    }

    /** The adjoint of {@link #im2col}: {@code dx} [n·h·w·cin] = the sum of every entry of {@code dcols} into its pixel. */
    public void col2im(float[] dcols, int n, float[] dx) {
        col2im(FloatBuffer.wrap(dcols), n, dx);
    }

    /**
     * {@link #col2im(float[], int, float[])} from a buffer read by absolute index (an off-heap array's NIO view: each
     * row is read once into a small array, never copied whole to the heap first).
     */
    public void col2im(FloatBuffer dcols, int n, float[] dx) {
        int oh = oh(), ow = ow(), row = k(), c = cin, size = inSize(), kk = kernel, s = stride, p = pad;
        IntStream.range(0, n).parallel().forEach(img -> {
            float[] r = new float[row];
            Arrays.fill(dx, img * size, (img + 1) * size, 0f);
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    dcols.get(((img * oh + oy) * ow + ox) * row, r, 0, row);
                    for (int ky = 0; ky < kk; ky++) {
                        int iy = s * oy + ky - p;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < kk; kx++) {
                            int ix = s * ox + kx - p;
                            if (ix < 0 || ix >= w) continue;
                            int o = (ky * kk + kx) * c, d = ((img * h + iy) * w + ix) * c;
                            for (int q = 0; q < c; q++) dx[d + q] += r[o + q];
                        }
                    }
                }
            }
        });
    }

    /**
     * 2×2 max pooling, stride 2, no padding, of NHWC {@code a} [n, hh, ww, ch] into {@code pooled} [n, ch·(hh/2)·(ww/2)]
     * flattened in NCHW order (channel, row, column: the order of the graph's reshape after pooling);
     * {@code argmax} receives, per pooled entry, the index into {@code a} of the maximum (the first one on ties).
     */
    public static void maxPool(float[] a, int n, int hh, int ww, int ch, float[] pooled, int[] argmax) {
        int ph = hh / 2, pw = ww / 2, per = ch * ph * pw;
        IntStream.range(0, n).parallel().forEach(img -> {
            for (int c = 0; c < ch; c++) {
                for (int py = 0; py < ph; py++) {
                    for (int px = 0; px < pw; px++) {
                        int best = -1;
                        float bv = Float.NEGATIVE_INFINITY;
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                int i = ((img * hh + 2 * py + dy) * ww + 2 * px + dx) * ch + c;
                                if (best < 0 || a[i] > bv) {
                                    bv = a[i];
                                    best = i;
                                }
                            }
                        }
                        int o = img * per + (c * ph + py) * pw + px;
                        pooled[o] = bv;
                        argmax[o] = best;
                    }
                }
            }
        });
    }
}
