package io.smwm.core.checkpoint;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bounded reader for the array files of a checkpoint: the byte format {@code Nd4j.write(INDArray,
 * DataOutputStream)} produces for a float32 array in 'c' order, parsed in Java with every header field checked against
 * the shape the caller expects <em>before</em> anything is allocated. ND4J's own reader trusts the length fields and
 * lets a crafted file abort the JVM (a length of 2^63-1 ends in {@code malloc(): invalid size}); a file's SHA-256 in the
 * manifest only proves that the file is the one the manifest names, not that it is safe.
 *
 * <p>Per array, two buffers, each: a modified-UTF-8 allocation mode ({@value #MODE}), an int64 element count, a
 * modified-UTF-8 data type, then the elements, big-endian. The first buffer is the shape information (type LONG,
 * 2·rank + 4 entries: rank, shape, strides, extras, element-wise stride, order), the second the data (type FLOAT,
 * product(shape) entries). Accepted: exactly the expected rank and shape, 'c' order with 'c' strides, and only finite
 * values. Allocation is bounded by the expected length, which is also checked against the bytes left in the file.
 */
final class ArrayFileReader {
    static final String MODE = "MIXED_DATA_TYPES";
    private static final int MAX_RANK = 32, MAX_NAME = 64;

    private ArrayFileReader() {}

    /** The expected array: a name for messages and its shape. */
    record Expected(String name, long[] shape) {
        long length() {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }
    }

    /**
     * Reads one array per expected entry, in order; the values come back flat in 'c' order. Problems (naming the
     * file, the array and what is wrong) go to {@code problems}; reading stops at the first array that is wrong, and
     * the list returned then holds only the arrays before it.
     */
    static List<float[]> read(CheckpointSource src, String f, List<Expected> expected, List<String> problems) {
        List<float[]> out = new ArrayList<>();
        long size;
        try {
            size = src.size(f);
        } catch (IOException e) {
            problems.add("cannot read " + f + ": " + e.getMessage());
            return out;
        }
        try (Counting counting = new Counting(new BufferedInputStream(src.open(f)));
             DataInputStream in = new DataInputStream(counting)) {
            for (int i = 0; i < expected.size(); i++) {
                Expected e = expected.get(i);
                String where = f + ": array " + (i + 1) + " of " + expected.size() + " '" + e.name() + "'";
                String why = readArray(in, counting, size, e, out);
                if (why != null) {
                    problems.add(where + " " + why);
                    return out;
                }
            }
            if (in.read() != -1) problems.add(f + ": unexpected bytes after " + expected.size() + " arrays");
        } catch (EOFException e) {
            problems.add(f + ": ends in the middle of array " + (out.size() + 1) + " of " + expected.size()
                    + " (truncated)");
        } catch (IOException e) {
            problems.add("cannot read " + f + ": " + e.getMessage());
        }
        return out;
    }

    /** Reads one array into out; returns why it is refused, or null. */
    private static String readArray(DataInputStream in, Counting counting, long fileSize, Expected e,
                                    List<float[]> out) throws IOException {
        int rank = e.shape().length;
        String why = header(in, "shape information", "LONG", 2L * rank + 4);
        if (why != null) return why;
        long[] info = new long[2 * rank + 4];
        for (int j = 0; j < info.length; j++) info[j] = in.readLong();
        long[] shape = Arrays.copyOfRange(info, 1, 1 + rank);
        if (info[0] != rank || !Arrays.equals(shape, e.shape()))
            return "has shape " + (info[0] == rank ? Arrays.toString(shape) : "of rank " + info[0]) + ", expected "
                    + Arrays.toString(e.shape());
        long stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            if (info[1 + rank + d] != stride)
                return "has strides " + Arrays.toString(Arrays.copyOfRange(info, 1 + rank, 1 + 2 * rank))
                        + ", expected the 'c' order of " + Arrays.toString(e.shape());
            stride *= e.shape()[d];
        }
        if (info[info.length - 1] != 'c') return "has order " + info[info.length - 1] + ", expected 'c' (99)";
        long n = e.length();
        why = header(in, "data", "FLOAT", n);
        if (why != null) return why;
        if (4 * n > fileSize - counting.count)
            return "needs " + 4 * n + " bytes of data but the file has " + (fileSize - counting.count) + " left (truncated)";
        float[] v = new float[(int) n];
        byte[] buf = new byte[8192];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN);
        for (int done = 0; done < v.length; ) {
            int k = Math.min(buf.length / 4, v.length - done);
            in.readFully(buf, 0, 4 * k);
            bb.clear();
            bb.asFloatBuffer().get(v, done, k);
            done += k;
        }
        for (int j = 0; j < v.length; j++)
            if (!Float.isFinite(v[j])) return "has a non-finite value (" + v[j] + " at index " + j + ")";
        out.add(v);
        return null;
    }

    /** Checks one buffer header: allocation mode, element count and data type. */
    private static String header(DataInputStream in, String what, String type, long count) throws IOException {
        String mode = shortString(in);
        if (!MODE.equals(mode))
            return "has " + what + " in allocation mode '" + mode + "', expected '" + MODE + "' (not written by this "
                    + "format, or corrupted)";
        long n = in.readLong();
        if (n != count) return "declares " + n + " " + what + " entries, expected " + count;
        String t = shortString(in);
        if (!type.equals(t)) return "has " + what + " of type '" + t + "', expected " + type;
        return null;
    }

    /** A modified-UTF-8 string of at most {@value #MAX_NAME} bytes (anything longer is not a header). */
    private static String shortString(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        if (len > MAX_NAME) return "<" + len + " bytes>";
        byte[] b = new byte[len];
        in.readFully(b);
        String s = new String(b, StandardCharsets.UTF_8);
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? s : "<binary>";
    }

    /** Counts the bytes read through it. */
    private static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) count += r;
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            long r = super.skip(n);
            count += r;
            return r;
        }
    }
}
