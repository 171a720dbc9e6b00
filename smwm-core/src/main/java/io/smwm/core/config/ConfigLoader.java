package io.smwm.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link ExperimentConfig}s from YAML (or JSON). A file holds only what differs from the defaults
 * ({@link ExperimentConfig#DEFAULT}), under the sections {@code model}, {@code loss}, {@code train}, {@code plan}; keys are the
 * record component names. Unknown sections or keys are an error that lists the valid keys; values are checked by
 * the records' constructors. All unknown keys are reported at once.
 *
 * <p>Per-task configs are bundled as resources {@code configs/<task>.yaml}: see {@link #BUNDLED_TASKS}.
 */
public final class ConfigLoader {

    /**
     * Names with a bundled config resource: one per task (chosen by the table's env when no --config is given:
     * the env id, or "dotworld-" + variant) plus the "-full" configs, the longer trainings for the benchmarks
     * (never chosen by default).
     */
    public static final List<String> BUNDLED_TASKS = List.of("tworoom", "tworoom-full", "dotworld-single", "dotworld-independent",
            "dotworld-coupled", "dotworld-distractor", "dotworld-combined", "reacher", "reacher-full", "pusht", "pusht-full", "cube",
            "cube-full");

    private static final List<String> SECTIONS = List.of("model", "loss", "train", "plan");

    private static final ObjectMapper YAML = configure(JsonMapper.builder(new YAMLFactory()));
    private static final ObjectMapper JSON = configure(JsonMapper.builder());

    private ConfigLoader() {}

    private static ObjectMapper configure(JsonMapper.Builder b) {
        return b.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /** The bundled config of {@code task}, e.g. "tworoom"; an unknown name is an error listing the valid names. */
    public static ExperimentConfig forTask(String task) {
        if (!BUNDLED_TASKS.contains(task))
            throw new IllegalArgumentException("unknown task config '" + task + "'; valid names: " + BUNDLED_TASKS);
        String res = "/configs/" + task + ".yaml";
        try (InputStream in = ConfigLoader.class.getResourceAsStream(res)) {
            if (in == null) throw new IllegalStateException("bundled config resource " + res + " missing from jar");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + res);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + res, e);
        }
    }

    /** Reads a YAML file of overrides on top of the defaults. */
    public static ExperimentConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file, e);
        }
    }

    /** Parses YAML text (JSON is YAML) of overrides on top of the defaults; {@code source} names it in errors. */
    public static ExperimentConfig parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        return fromTree(root, source);
    }

    /** Applies the overrides in {@code root} (sections model/loss/train/plan) to the defaults. */
    public static ExperimentConfig fromTree(JsonNode root, String source) {
        if (root == null || root.isNull() || root.isMissingNode()) return ExperimentConfig.DEFAULT;
        if (!root.isObject())
            throw new IllegalArgumentException(source + ": expected a mapping with sections " + SECTIONS
                    + ", got " + root.getNodeType());
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!SECTIONS.contains(k)) problems.add("unknown section '" + k + "'; valid sections: " + SECTIONS);
        }
        ObjectNode model = overlay("model", ModelConfig.DEFAULT, root.get("model"), problems);
        ObjectNode loss = overlay("loss", LossConfig.DEFAULT, root.get("loss"), problems);
        ObjectNode train = overlay("train", TrainConfig.DEFAULT, root.get("train"), problems);
        ObjectNode plan = overlay("plan", PlanConfig.DEFAULT, root.get("plan"), problems);
        if (!problems.isEmpty())
            throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
        ModelConfig m = convert(model, ModelConfig.class, "model", source);
        LossConfig l = convert(loss, LossConfig.class, "loss", source);
        TrainConfig t = convert(train, TrainConfig.class, "train", source);
        PlanConfig p = convert(plan, PlanConfig.class, "plan", source);
        try {
            return new ExperimentConfig(m, l, t, p);
        } catch (IllegalArgumentException e) { // settings of two sections that do not go together
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** The full config as a JSON tree (every key, defaults included): what checkpoints store. */
    public static ObjectNode toTree(ExperimentConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.set("model", JSON.valueToTree(c.model()));
        n.set("loss", JSON.valueToTree(c.loss()));
        n.set("train", JSON.valueToTree(c.train()));
        n.set("plan", JSON.valueToTree(c.plan()));
        return n;
    }

    /** The full config as YAML text. */
    public static String toYaml(ExperimentConfig c) {
        try {
            return YAML.writeValueAsString(toTree(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode overlay(String section, Object defaults, JsonNode user, List<String> problems) {
        ObjectNode base = JSON.valueToTree(defaults);
        if (user == null || user.isNull()) return base;
        if (!user.isObject()) {
            problems.add("section '" + section + "' must be a mapping, got " + user.getNodeType());
            return base;
        }
        List<String> valid = new ArrayList<>();
        base.fieldNames().forEachRemaining(valid::add);
        for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!base.has(e.getKey()))
                problems.add("unknown key '" + section + "." + e.getKey() + "'; valid keys: " + valid);
            else
                base.set(e.getKey(), e.getValue());
        }
        return base;
    }

    private static <T> T convert(ObjectNode node, Class<T> type, String section, String source) {
        try {
            return JSON.treeToValue(node, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(source + ": " + cause.getMessage(), cause);
        } catch (MismatchedInputException e) {
            String key = e.getPath().isEmpty() ? "?" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            JsonNode v = node.get(key);
            throw new IllegalArgumentException(source + ": " + section + "." + key + " must be of type "
                    + e.getTargetType().getSimpleName() + ", got " + v, e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": section '" + section + "': " + e.getOriginalMessage(), e);
        }
    }
}
