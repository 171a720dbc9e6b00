package io.smwm.core.util;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The number of threads native matrix work uses: BLAS (OpenBLAS's {@code blas_set_num_threads}) and libnd4j's
 * master threads, both process-wide ({@link #limit}), and OpenMP's, which is kept per thread ({@link #forThisThread}).
 * (libnd4j's {@code Environment.setMaxThreads} does nothing in ND4J 1.0.0-M2.1, so it is not used.)
 */
public final class NativeThreads {
    private NativeThreads() {}

    /** A lowered thread count; {@link #close()} puts the earlier one back. */
    public interface Limit extends AutoCloseable {
        /** A limit that changed nothing. */
        Limit NONE = () -> {};

        @Override
        void close();
    }

    /** BLAS's thread count now. */
    public static int current() {
        return Nd4j.factory().blas().getMaxThreads();
    }

    /**
     * Lowers the native thread count to {@code threads} (≥ 1) until the returned limit is closed; a count at or above
     * today's changes nothing ({@link Limit#NONE}).
     */
    public static Limit limit(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        int blas = current(), master = Nd4j.getEnvironment().maxMasterThreads();
        if (blas <= threads && master <= threads) return Limit.NONE;
        set(Math.min(threads, blas), Math.min(threads, master));
        return () -> set(blas, master);
    }

    /**
     * OpenMP parallel regions started from the calling thread (libnd4j's loops, oneDNN's primitives) use at most
     * {@code threads} threads from now on. OpenMP keeps this per thread, so other threads are not affected; a pooled
     * thread keeps it until set again.
     */
    public static void forThisThread(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        ops().setOmpNumThreads(threads);
    }

    /** OpenMP's thread count for parallel regions started from the calling thread. */
    public static int forThisThread() {
        return ops().ompGetMaxThreads();
    }

    /** The native ops, after ND4J's backend is loaded (their holder reads the backend's properties). */
    private static org.nd4j.nativeblas.NativeOps ops() {
        Nd4j.getExecutioner();
        return NativeOpsHolder.getInstance().getDeviceNativeOps();
    }

    private static void set(int blas, int master) {
        Nd4j.factory().blas().setMaxThreads(blas);
        Nd4j.getEnvironment().setMaxMasterThreads(master);
    }
}
