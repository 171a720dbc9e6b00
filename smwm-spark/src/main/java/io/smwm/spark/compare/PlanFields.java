package io.smwm.spark.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of a plan's YAML fields that never throw: a missing, mistyped or out-of-range value adds a line to
 * {@link #problems} naming the key, the rule and the value, and a default stands in, so that reading goes on and one
 * error can list every problem of the file.
 */
class PlanFields {
    /** Every problem found so far, in reading order. */
    final List<String> problems = new ArrayList<>();

    /** Adds a problem for every key of {@code n} not in {@code valid}; {@code at} is the keys' prefix ("" or "x."). */
    void keys(JsonNode n, String at, List<String> valid) {
        n.fieldNames().forEachRemaining(k -> {
            if (!valid.contains(k)) problems.add("unknown key '" + at + k + "'; valid keys" + (at.isEmpty() ? ""
                    : " of " + at.substring(0, at.length() - 1)) + ": " + valid);
        });
    }

    String string(JsonNode n, String key, String dflt) {
        return string(n, key, dflt, "");
    }

    String string(JsonNode n, String key, String dflt, String at) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual() && !v.isNumber()) {
            problems.add(at + key + " must be a string, got " + v);
            return dflt;
        }
        return v.asText();
    }

    Integer positive(JsonNode n, String key, String at) {
        return n.has(key) ? (int) integer(n.get(key), at + "." + key, 1, Integer.MAX_VALUE) : null;
    }

    long integer(JsonNode v, String at, long min, long max) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            problems.add(at + " must be an integer in [" + min + ", " + max + "], got " + v);
            return min;
        }
        return v.asLong();
    }

    Double number(JsonNode v, String at, double min, double max) {
        if (v == null || !v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
            problems.add(at + " must be a number in [" + min + ", " + max + "], got " + v);
            return null;
        }
        return v.asDouble();
    }
}
