package io.smwm.core.model.direct;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The im2col geometry, col2im as its adjoint, max pooling's argmax, the branch-free ReLU and its mask. */
class ConvLayerTest {

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Test
    void im2colRowsHoldTheThreeByThreeNeighbourhoodWithZeroPadding() {
        ConvLayer k = ConvLayer.s2(4, 4, 2, 1);
        assertEquals(2, k.oh());
        assertEquals(18, k.k());
        float[] x = new float[4 * 4 * 2];
        for (int i = 0; i < x.length; i++) x[i] = i + 1; // pixel (r, c), channel q holds (r·4 + c)·2 + q + 1
        float[] cols = new float[k.outPixels() * k.k()];
        k.im2col(x, 1, cols);
        // output pixel (0, 0) sees input rows -1..1 and columns -1..1: the first row and column are padding
        float[] first = new float[18];
        System.arraycopy(cols, 0, first, 0, 18);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 9, 10, 11, 12}, first);
        // output pixel (1, 1) sees rows 1..3, columns 1..3, all inside
        assertEquals(((1 * 4 + 1) * 2) + 1, cols[3 * 18], 0f);
        assertEquals(((3 * 4 + 3) * 2 + 1) + 1, cols[3 * 18 + 17], 0f);
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        assertAdjoint(ConvLayer.s2(7, 7, 3, 4), 2, 1); // odd size: ⌈7/2⌉ = 4
    }

    /** ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for random x and c. */
    private static void assertAdjoint(ConvLayer k, int n, long seed) {
        float[] x = random(n * k.inSize(), seed), c = random(n * k.outPixels() * k.k(), seed + 1);
        float[] cols = new float[c.length], back = new float[x.length];
        k.im2col(x, n, cols);
        k.col2im(c, n, back);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < c.length; i++) lhs += (double) cols[i] * c[i];
        for (int i = 0; i < x.length; i++) rhs += (double) x[i] * back[i];
        assertEquals(lhs, rhs, 1e-6 * Math.max(1, Math.abs(lhs))); // col2im sums in float
    }

    @Test
    void aPatchLayerCutsTheImageIntoNonOverlappingPatches() {
        ConvLayer k = new ConvLayer(6, 6, 1, 1, 3, 3, 0);
        assertEquals(2, k.oh());
        assertEquals(2, k.ow());
        assertEquals(9, k.k());
        float[] x = new float[36];
        for (int i = 0; i < x.length; i++) x[i] = i; // pixel (r, c) holds r·6 + c
        float[] cols = new float[k.outPixels() * k.k()];
        k.im2col(x, 1, cols);
        // output (0, 1) is the patch of rows 0..2, columns 3..5; output (1, 0) rows 3..5, columns 0..2
        assertArrayEquals(new float[] {3, 4, 5, 9, 10, 11, 15, 16, 17}, java.util.Arrays.copyOfRange(cols, 9, 18));
        assertArrayEquals(new float[] {18, 19, 20, 24, 25, 26, 30, 31, 32}, java.util.Arrays.copyOfRange(cols, 18, 27));
        // every pixel is in exactly one patch: col2im of all ones gives all ones
        float[] back = new float[36];
        java.util.Arrays.fill(cols, 1f);
        k.col2im(cols, 1, back);
        for (float v : back) assertEquals(1f, v, 0f);
        assertEquals(new ConvLayer(7, 7, 3, 4, 3, 2, 1).oh(), ConvLayer.s2(7, 7, 3, 4).oh());
    }

    @Test
    void col2imIsTheAdjointOfIm2colForAPatchLayer() {
        assertAdjoint(new ConvLayer(8, 8, 3, 4, 4, 4, 0), 3, 3);
    }

    @Test
    void maxPoolFlattensInChannelRowColumnOrderAndRemembersWhere() {
        // one image 2x2 pixels, 2 channels, NHWC
        float[] a = {1, 8, 5, 6, 3, 7, 2, 4};
        float[] pooled = new float[2];
        int[] argmax = new int[2];
        ConvLayer.maxPool(a, 1, 2, 2, 2, pooled, argmax);
        assertArrayEquals(new float[] {5, 8}, pooled);
        assertArrayEquals(new int[] {2, 1}, argmax);
    }

    @Test
    void reluAndItsMaskAreExactAndBranchFree() {
        float[] a = {-1f, 0f, -0f, 2f, Float.MIN_VALUE, -3e-9f};
        DirectEncoder.relu(a, a.length);
        assertArrayEquals(new float[] {0f, 0f, 0f, 2f, Float.MIN_VALUE, 0f}, a);
        assertEquals(0, Float.floatToRawIntBits(a[2]), "max(−0, 0) must be +0 for the mask");
        float[] d = {1f, 2f, 3f, 4f, 5f, 6f};
        DirectEncoder.mask(d, a, d.length);
        assertArrayEquals(new float[] {0f, 0f, 0f, 4f, 5f, 0f}, d);
    }

    @Test
    void impossibleGeometryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConvLayer.s2(0, 4, 3, 8));
        assertThrows(IllegalArgumentException.class, () -> new ConvLayer(2, 2, 3, 8, 3, 3, 0)); // kernel > image
        assertThrows(IllegalArgumentException.class, () -> new ConvLayer(8, 8, 3, 8, 3, 0, 1)); // stride 0
    }
}
