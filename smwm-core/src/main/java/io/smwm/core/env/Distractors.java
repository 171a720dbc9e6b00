package io.smwm.core.env;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Registry of visual distractors by name. */
public final class Distractors {
    private static final Map<String, Supplier<Distractor>> REGISTRY = new LinkedHashMap<>();

    static {
        // filled in by the distractor implementations (flicker, moving-background, random-dots)
    }

    /** The valid distractor names, in registry order. */
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
