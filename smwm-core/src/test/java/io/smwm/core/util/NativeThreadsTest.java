package io.smwm.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class NativeThreadsTest {

    @Test
    void limitLowersBlasAndLibnd4jThreads_andCloseRestoresThem() {
        int blas = NativeThreads.current(), master = Nd4j.getEnvironment().maxMasterThreads();
        Nd4j.factory().blas().setMaxThreads(2); // the test's starting point whatever the machine's cores
        Nd4j.getEnvironment().setMaxMasterThreads(2);
        try {
            try (NativeThreads.Limit l = NativeThreads.limit(1)) {
                assertEquals(1, NativeThreads.current());
                assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
            }
            assertEquals(2, NativeThreads.current());
            assertEquals(2, Nd4j.getEnvironment().maxMasterThreads());
            assertSame(NativeThreads.Limit.NONE, NativeThreads.limit(64), "a limit above today's changes nothing");
            assertEquals(2, NativeThreads.current());
            assertThrows(IllegalArgumentException.class, () -> NativeThreads.limit(0));
        } finally {
            Nd4j.factory().blas().setMaxThreads(blas);
            Nd4j.getEnvironment().setMaxMasterThreads(master);
        }
    }

    @Test
    void forThisThreadSetsOpenMpThreadsForTheCallingThreadOnly() throws Exception {
        int mine = NativeThreads.forThisThread();
        AtomicInteger inside = new AtomicInteger(), after = new AtomicInteger();
        Thread t = new Thread(() -> {
            NativeThreads.forThisThread(mine + 3);
            inside.set(NativeThreads.forThisThread());
        });
        t.start();
        t.join();
        assertEquals(mine + 3, inside.get(), "the calling thread sees its own setting");
        assertEquals(mine, NativeThreads.forThisThread(), "another thread's setting does not leak");
        Thread u = new Thread(() -> after.set(NativeThreads.forThisThread()));
        u.start();
        u.join();
        assertEquals(mine, after.get(), "a new thread starts from the process default");
        assertThrows(IllegalArgumentException.class, () -> NativeThreads.forThisThread(0));
    }
}
