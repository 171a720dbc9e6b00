package io.smwm.core.env.dotworld;

/** How a dot of the {@link DotWorld} moves. */
public enum MotionType {
    /** Moves by its own (dx, dy) pair of action components. Controllable. */
    INDEPENDENT,
    /** One of a pair of dots that move together by one shared (dx, dy) pair of action components. Controllable. */
    COUPLED,
    /** Moves by its own uniform random displacement every step, not in the action: a distractor scene object. */
    RANDOM,
    /** Never moves. */
    STATIC;

    /** True if the action moves dots of this type. */
    public boolean controllable() {
        return this == INDEPENDENT || this == COUPLED;
    }
}
