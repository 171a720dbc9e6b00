package io.smwm.core.env.distractor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Registry of visual distractors by name: {@code flicker} ({@link FlickerDistractor}), {@code moving-background}
 * ({@link MovingBackgroundDistractor}), {@code random-dots} ({@link RandomDotsDistractor}).
 */
public final class Distractors {
    private static final Map<String, Supplier<Distractor>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put(FlickerDistractor.NAME, FlickerDistractor::new);
        REGISTRY.put(MovingBackgroundDistractor.NAME, MovingBackgroundDistractor::new);
        REGISTRY.put(RandomDotsDistractor.NAME, RandomDotsDistractor::new);
    }

    /** The valid distractor names, in registry order (initialised after, and from, the filled registry). */
    public static final List<String> NAMES = List.copyOf(REGISTRY.keySet());

    private Distractors() {}

    /** Builds fresh distractors for the given names; unknown names are an error listing the valid ones. */
    public static List<Distractor> create(List<String> names) {
        List<Distractor> out = new ArrayList<>();
        for (String n : names) {
            Supplier<Distractor> s = REGISTRY.get(n);
            if (s == null) {
                throw new IllegalArgumentException("unknown distractor '" + n + "'; valid: " + NAMES);
            }
            out.add(s.get());
        }
        return out;
    }
}
