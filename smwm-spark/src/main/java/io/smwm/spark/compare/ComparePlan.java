package io.smwm.spark.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ConfigOverrides;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.util.UserError;
import io.smwm.data.generate.GenerationSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A comparison plan ({@code smwm compare --plan PLAN.yaml}): tasks, methods, training seeds and distractor settings,
 * and the cells (task × distractors × method × seed) they make. Parsed strictly: an unknown key, a method that is not
 * a {@code loss.method}, a block naming an undefined task or method, a bad seed list or distractor name is a
 * {@link UserError} that names the key and the fix.
 *
 * <pre>
 * title: "..."                   # optional, shown in the summary
 * reference: "..."               # optional: where the paper numbers come from (a citation), shown in the summary
 * tasks:                         # name → task (names: letters, digits, '_', '.', '-')
 *   tworoom:
 *     env: tworoom               # environment id
 *     config: tworoom-full       # bundled config name or YAML file (relative to the plan); default: the env's bundled one
 *     generate: {episodes: 3000, steps: 100, seed: 11, policy: noisy-expert}   # or table: PATH (clean runs only)
 *     epochs: 4                  # optional overrides for every method of this task: epochs, batch_size
 *     eval: {episodes: 300, seeds: [7, 8], offset: 25}   # also planner, samples, iterations, diagnose_samples
 *     paper: {smwm: 100, sigreg: 92.6, forward: 34.6, random: 30.0}   # optional, success % per method (and random)
 * methods:                       # a list of loss.method names, or name → overrides
 *   smwm: {}
 *   smwm-l03: {method: smwm, lambda: 0.3}   # method, lambda, epochs, batch_size, latent_dim, context
 * seeds: [0, 1, 2]               # training seeds (train.seed)
 * distractors: [none, flicker]   # settings: none (clean) or distractor names joined by '+'; default [none]
 * spark: {workers: 2, averaging_frequency: 10, checkpoint_every: 50}   # optional
 * runs:                          # optional blocks, each a cross product; keys default to the top-level lists
 *   - {tasks: [tworoom], methods: [smwm, forward], seeds: [0], distractors: [none, flicker]}
 * </pre>
 *
 * Without {@code runs} the plan is the full cross product of the top-level lists.
 */
public record ComparePlan(String source, String text, String title, String reference, Map<String, Task> tasks,
                          Map<String, Method> methods, List<Long> seeds, List<String> distractors, SparkSettings spark,
                          List<Cell> cells) {
    /** Plans shipped in the jar ({@code --plan NAME}), under {@code plans/NAME.yaml}. */
    public static final List<String> BUNDLED = List.of("paper-table");
    /** The clean setting. */
    public static final String NONE = "none";
    public static final List<String> KEYS = List.of("title", "reference", "tasks", "methods", "seeds", "distractors",
            "spark", "runs");
    static final List<String> TASK_KEYS = List.of("env", "config", "table", "generate", "epochs", "batch_size", "eval",
            "paper");
    static final List<String> GENERATE_KEYS = List.of("episodes", "steps", "seed", "policy", "variant", "image_size",
            "frameskip", "params", "episodes_per_file");
    static final List<String> EVAL_KEYS = List.of("episodes", "seeds", "offset", "planner", "samples", "iterations",
            "diagnose_samples");
    static final List<String> METHOD_KEYS = List.of("method", "lambda", "epochs", "batch_size", "latent_dim",
            "context");
    static final List<String> SPARK_KEYS = List.of("workers", "averaging_frequency", "checkpoint_every");
    static final List<String> RUN_KEYS = List.of("tasks", "methods", "seeds", "distractors");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * One task: its environment, the config every method starts from, where its tables come from, the evaluation
     * protocol and the paper's numbers.
     *
     * @param config       a bundled config name, or the absolute path of a YAML file
     * @param table        a given table (local path or Hadoop URI) for the clean setting, or null
     * @param generate     how to generate its tables (one per distractor setting), or null when {@code table} is given
     * @param paper        success % by method name (and "random"), as published
     */
    public record Task(String name, String env, String config, String table, Generate generate, Integer epochs,
                       Integer batchSize, Eval eval, Map<String, Double> paper) {
        /** The config every method of this task starts from (before the method's and the seed's overrides). */
        public ExperimentConfig baseConfig() {
            return ConfigLoader.BUNDLED_TASKS.contains(config) ? ConfigLoader.forTask(config)
                    : ConfigLoader.load(Path.of(config));
        }
    }

    /** How to generate a task's tables; one per distractor setting, identical but for the distractors. */
    public record Generate(long episodes, int steps, long seed, String policy, String variant, int imageSize,
                           int frameskip, Map<String, String> params, int episodesPerFile) {
        public GenerationSpec spec(String env, List<String> distractors) {
            return new GenerationSpec(env, new EnvConfig(variant, imageSize, distractors, params), policy, episodes,
                    steps, seed, frameskip, episodesPerFile);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("episodes", episodes);
            m.put("steps", steps);
            m.put("seed", seed);
            m.put("policy", policy);
            m.put("variant", variant);
            m.put("image_size", imageSize);
            m.put("frameskip", frameskip);
            m.put("params", new java.util.TreeMap<>(params));
            m.put("episodes_per_file", episodesPerFile);
            return m;
        }
    }

    /**
     * The evaluation of every cell of a task: {@code episodes} start/goal pairs per evaluation seed at goal offset
     * {@code offset} (budget 2 × offset), the planner, and the diagnostics' sample size.
     */
    public record Eval(int episodes, List<Long> seeds, int offset, String planner, Integer samples,
                       Integer iterations, int diagnoseSamples) {
        public PlannerConfig plannerConfig() {
            PlannerConfig pc = "mppi".equals(planner) ? PlannerConfig.mppi() : PlannerConfig.cem();
            if (samples != null) pc = pc.withSamples(samples);
            if (iterations != null) pc = pc.withIterations(iterations);
            return pc;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("episodes", episodes);
            m.put("seeds", seeds);
            m.put("offset", offset);
            m.put("planner", planner);
            m.put("samples", samples);
            m.put("iterations", iterations);
            m.put("diagnose_samples", diagnoseSamples);
            return m;
        }
    }

    /** A method: a {@code loss.method} with optional overrides; {@code name} labels it in cells and the summary. */
    public record Method(String name, String lossMethod, Double lambda, Integer epochs, Integer batchSize,
                         Integer latentDim, Integer context) {}

    /** Spark training settings for every cell; null: the defaults of {@code smwm train}. */
    public record SparkSettings(Integer workers, Integer averagingFrequency, Integer checkpointEvery) {
        static final SparkSettings DEFAULTS = new SparkSettings(null, null, null);
    }

    /** One cell: a run directory trained and evaluated on its own. */
    public record Cell(String task, String distractors, String method, long seed) {
        /** The run directory's name, {@code <task>-<distractors>-<method>-s<seed>}. */
        public String name() {
            return task + "-" + distractors + "-" + method + "-s" + seed;
        }

        /** The distractor names of this cell's setting (empty for "none"). */
        public List<String> distractorList() {
            return distractorList(distractors);
        }

        static List<String> distractorList(String setting) {
            return NONE.equals(setting) ? List.of() : List.of(setting.split("\\+"));
        }
    }

    /** The task of {@code c}. */
    public Task task(Cell c) {
        return tasks.get(c.task());
    }

    /** The method of {@code c}. */
    public Method method(Cell c) {
        return methods.get(c.method());
    }

    /** The overrides {@code c} trains with: the task's, then the method's, then the seed. */
    public ConfigOverrides overrides(Cell c) {
        Task t = task(c);
        Method m = method(c);
        return new ConfigOverrides(m.lambda(), m.epochs() != null ? m.epochs() : t.epochs(),
                m.batchSize() != null ? m.batchSize() : t.batchSize(), c.seed(), m.latentDim(), m.context(),
                m.lossMethod());
    }

    /** The full config {@code c} trains with. */
    public ExperimentConfig config(Cell c) {
        return overrides(c).apply(task(c).baseConfig());
    }

    /**
     * Loads {@code --plan}: a YAML file, else a bundled plan by name.
     *
     * @throws UserError for a missing or bad plan
     */
    public static ComparePlan load(String plan) {
        Path p = Path.of(plan);
        if (Files.isRegularFile(p)) {
            try {
                if (Files.size(p) > 1 << 20) throw new UserError("--plan " + plan + " is larger than 1 MiB");
                Path base = p.toAbsolutePath().getParent();
                return parse(Files.readString(p), plan, base);
            } catch (IOException e) {
                throw new UserError("--plan " + plan + ": cannot read it (" + e.getMessage() + ")");
            }
        }
        if (BUNDLED.contains(plan)) {
            String res = "/plans/" + plan + ".yaml";
            try (InputStream in = ComparePlan.class.getResourceAsStream(res)) {
                if (in == null) throw new IllegalStateException("bundled plan " + res + " missing from the jar");
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), plan,
                        Path.of("").toAbsolutePath());
            } catch (IOException e) {
                throw new UserError("bundled plan " + plan + ": cannot read it (" + e.getMessage() + ")");
            }
        }
        throw new UserError("--plan " + plan + " is neither a YAML file nor a bundled plan " + BUNDLED);
    }

    /**
     * Parses a plan; {@code source} names it in errors, {@code base} resolves relative config and table paths.
     *
     * @throws UserError for a bad plan, listing its problems
     */
    public static ComparePlan parse(String yaml, String source, Path base) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new UserError("plan " + source + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject())
            throw new UserError("plan " + source + ": expected a mapping with tasks, methods and seeds, got "
                    + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase()));
        ComparePlanParser p = new ComparePlanParser(source, base);
        ComparePlan plan = p.plan(root, yaml);
        if (!p.problems.isEmpty())
            throw new UserError("plan " + source + ": " + String.join("; ", p.problems));
        return plan;
    }
}
