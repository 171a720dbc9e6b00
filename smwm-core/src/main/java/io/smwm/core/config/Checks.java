package io.smwm.core.config;

/** Argument checks whose messages name the key, the rule and the value. */
final class Checks {
    private Checks() {}

    static void atLeast(String key, long value, long min) {
        if (value < min) throw new IllegalArgumentException(key + " must be >= " + min + ", got " + value);
    }

    static void inRange(String key, long value, long min, long max) {
        if (value < min || value > max)
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + value);
    }

    static void finiteAtLeast(String key, double value, double min) {
        if (!Double.isFinite(value) || value < min)
            throw new IllegalArgumentException(key + " must be a finite number >= " + min + ", got " + value);
    }

    static void positive(String key, double value) {
        if (!Double.isFinite(value) || value <= 0)
            throw new IllegalArgumentException(key + " must be a finite number > 0, got " + value);
    }

    static void openUnit(String key, double value) {
        if (!(value > 0 && value < 1))
            throw new IllegalArgumentException(key + " must be in (0, 1), got " + value);
    }
}
