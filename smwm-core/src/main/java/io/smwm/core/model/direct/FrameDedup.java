package io.smwm.core.model.direct;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the frames of a training batch that are byte-for-byte equal, so that each distinct frame goes through the
 * encoder once. A batch cut from runs of consecutive model steps ({@code train.chunk}) shares most of its frames:
 * o_{t+k} of one transition is the newest context frame of the next, and with context c the c−1 older frames
 * repeat too. Equal frames have equal latents, so encoding the distinct ones and summing the latents' gradients
 * over their uses gives exactly the loss and gradient of encoding every copy.
 *
 * <p>The batch's frame slices are numbered as the direct engine lays them out: slice {@code b·c + f} is frame f
 * (oldest first) of o_t of transition b, slice {@code B·c + b} is o_{t+k} of transition b. Frames are compared by
 * a 64-bit hash and then byte for byte, so a hash collision only costs a missed share, never a wrong one.
 */
final class FrameDedup {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private FrameDedup() {}

    /**
     * @param obsT  B observations of {@code ctx} frames each, {@code ctx·frame} bytes
     * @param obsTk B single frames of {@code frame} bytes
     * @param slot  out [B·(ctx+1)]: the distinct-frame index of each slice, distinct frames numbered in order of
     *              first use (so a batch without repeats gets slot[i] = i)
     * @param first out [B·(ctx+1)]: for each distinct frame u &lt; the returned count, the slice of its first use
     * @return the number of distinct frames
     */
    static int slots(byte[][] obsT, byte[][] obsTk, int ctx, int frame, int[] slot, int[] first) {
        int bsz = obsT.length, n = bsz * (ctx + 1), distinct = 0;
        Map<Long, Integer> seen = new HashMap<>(2 * n);
        for (int i = 0; i < n; i++) {
            byte[] a = array(obsT, obsTk, ctx, i);
            int off = offset(ctx, frame, bsz, i);
            Long h = hash(a, off, frame);
            Integer j = seen.get(h);
            if (j != null) {
                int fj = first[slot[j]];
                byte[] b = array(obsT, obsTk, ctx, fj);
                int offB = offset(ctx, frame, bsz, fj);
                if (Arrays.equals(a, off, off + frame, b, offB, offB + frame)) {
                    slot[i] = slot[j];
                    continue;
                }
            } else {
                seen.put(h, i);
            }
            first[distinct] = i;
            slot[i] = distinct++;
        }
        return distinct;
    }

    /** The array holding slice i. */
    static byte[] array(byte[][] obsT, byte[][] obsTk, int ctx, int i) {
        int bsz = obsT.length;
        return i < bsz * ctx ? obsT[i / ctx] : obsTk[i - bsz * ctx];
    }

    /** Where slice i starts in its array. */
    static int offset(int ctx, int frame, int bsz, int i) {
        return i < bsz * ctx ? (i % ctx) * frame : 0;
    }

    private static long hash(byte[] a, int off, int len) {
        long h = 0x9E3779B97F4A7C15L;
        int i = 0;
        for (; i + 8 <= len; i += 8) h = (h ^ (long) LONGS.get(a, off + i)) * 0x100000001B3L + (h >>> 29);
        for (; i < len; i++) h = (h ^ a[off + i]) * 0x100000001B3L;
        return h ^ (h >>> 31);
    }
}
