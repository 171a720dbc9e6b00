package io.smwm.spark.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.smwm.core.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The promotion gate's thresholds ({@code retrain --gate gate.yaml}; every key optional, only what differs from the
 * defaults). The gate always requires a candidate that trained without a NaN/Inf loss and without a collapse warning;
 * these add the comparison with the promoted model and optional floors:
 *
 * <pre>
 * tolerance: 0.05              # success ≥ promoted model's success − tolerance, on the same pairs (fractions in [0, 1])
 * minSuccess: null             # absolute floor on the planner's success rate, in [0, 1]; null: none
 * minSuccessNontrivial: null   # floor on the success rate over the pairs not solved at the start; null: none
 * maxValLoss: null             # ceiling on the last epoch's validation loss (total); null: none
 * </pre>
 *
 * @param tolerance            how far below the promoted model's success rate a candidate may fall, in [0, 1]
 * @param minSuccess           floor on the success rate, or null
 * @param minSuccessNontrivial floor on the non-trivial success rate, or null
 * @param maxValLoss           ceiling on the validation loss (finite, &gt; 0), or null
 */
public record GateConfig(double tolerance, Double minSuccess, Double minSuccessNontrivial, Double maxValLoss) {
    public static final GateConfig DEFAULTS = new GateConfig(0.05, null, null, null);
    public static final List<String> KEYS = List.of("tolerance", "minSuccess", "minSuccessNontrivial", "maxValLoss");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public GateConfig {
        List<String> p = new ArrayList<>();
        if (!(tolerance >= 0 && tolerance <= 1)) p.add("tolerance must be in [0, 1], got " + tolerance);
        if (minSuccess != null && !(minSuccess >= 0 && minSuccess <= 1))
            p.add("minSuccess must be in [0, 1] or null, got " + minSuccess);
        if (minSuccessNontrivial != null && !(minSuccessNontrivial >= 0 && minSuccessNontrivial <= 1))
            p.add("minSuccessNontrivial must be in [0, 1] or null, got " + minSuccessNontrivial);
        if (maxValLoss != null && !(maxValLoss > 0 && Double.isFinite(maxValLoss)))
            p.add("maxValLoss must be a finite number > 0 or null, got " + maxValLoss);
        if (!p.isEmpty()) throw new IllegalArgumentException(String.join("; ", p));
    }

    /** Reads a gate file; an unknown key, a value of the wrong type or out of range is a {@link UserError}. */
    public static GateConfig load(Path file) {
        if (!Files.isRegularFile(file)) throw new UserError("--gate " + file + ": no such file");
        try {
            if (Files.size(file) > 1 << 20) throw new UserError("--gate " + file + " is larger than 1 MiB");
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UserError("--gate " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    /** Parses gate YAML; {@code source} names it in errors. */
    public static GateConfig parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new UserError("gate " + source + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) return DEFAULTS;
        if (!root.isObject()) throw new UserError("gate " + source + ": expected a mapping of " + KEYS + ", got "
                + root.getNodeType());
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) problems.add("unknown key '" + k + "'; valid keys: " + KEYS);
        }
        double tol = root.has("tolerance") ? number(root.get("tolerance"), "tolerance", false, problems)
                : DEFAULTS.tolerance();
        Double ms = root.has("minSuccess") ? number(root.get("minSuccess"), "minSuccess", true, problems) : null;
        Double mn = root.has("minSuccessNontrivial")
                ? number(root.get("minSuccessNontrivial"), "minSuccessNontrivial", true, problems) : null;
        Double mv = root.has("maxValLoss") ? number(root.get("maxValLoss"), "maxValLoss", true, problems) : null;
        if (!problems.isEmpty()) throw new UserError("gate " + source + ": " + String.join("; ", problems));
        try {
            return new GateConfig(tol, ms, mn, mv);
        } catch (IllegalArgumentException e) {
            throw new UserError("gate " + source + ": " + e.getMessage());
        }
    }

    private static Double number(JsonNode n, String key, boolean nullable, List<String> problems) {
        if (n.isNull() && nullable) return null;
        if (!n.isNumber()) {
            problems.add(key + " must be a number" + (nullable ? " or null" : "") + ", got " + n);
            return nullable ? null : DEFAULTS.tolerance();
        }
        return n.asDouble();
    }

    /** The thresholds by key, null for floors that are off (recorded in decision.json). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tolerance", tolerance);
        m.put("minSuccess", minSuccess);
        m.put("minSuccessNontrivial", minSuccessNontrivial);
        m.put("maxValLoss", maxValLoss);
        return m;
    }
}
