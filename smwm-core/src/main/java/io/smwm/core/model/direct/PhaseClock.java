package io.smwm.core.model.direct;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Wall time per phase of the direct engine's passes, summed until reset ({@link DirectWorldModel#phaseMillis()}). */
final class PhaseClock {
    /** The phases, in order. */
    static final List<String> NAMES = List.of("frames -> floats", "im2col", "conv matmuls (forward)",
            "copies + ReLU", "pool + encoder fc", "g and h, forward + backward", "encoder fc + pool backward",
            "conv matmuls (backward)", "col2im + ReLU masks");
    static final int FRAMES = 0, IM2COL = 1, CONV_FWD = 2, COPY = 3, POOL_FC = 4, HEADS = 5, POOL_FC_BWD = 6,
            CONV_BWD = 7, COL2IM = 8;

    private final long[] nanos = new long[NAMES.size()];
    private long last;

    /** Starts timing the next phase now. */
    void start() { last = System.nanoTime(); }

    /** The time since the last start or lap goes to {@code phase}. */
    void lap(int phase) {
        long now = System.nanoTime();
        nanos[phase] += now - last;
        last = now;
    }

    Map<String, Double> millis() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) m.put(NAMES.get(i), nanos[i] / 1e6);
        return m;
    }

    void reset() { Arrays.fill(nanos, 0); }
}
