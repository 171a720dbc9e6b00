package io.smwm.spark.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ConfigOverrides;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.env.distractor.Distractors;
import io.smwm.core.util.UserError;
import io.smwm.data.generate.GenerationSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.smwm.spark.compare.ComparePlan.*;

/**
 * Reads a {@link ComparePlan} from its YAML tree, collecting every problem (unknown keys, bad values, blocks naming
 * undefined tasks or methods) so that one {@link io.smwm.core.util.UserError} names them all.
 */
final class ComparePlanParser extends PlanFields {
    final String source;
    final Path base;

    ComparePlanParser(String source, Path base) {
        this.source = source;
        this.base = base;
    }

    ComparePlan plan(JsonNode root, String text) {
        keys(root, "", KEYS);
        String title = string(root, "title", "");
        String reference = string(root, "reference", "");
        Map<String, Method> methods = methods(root.get("methods"));
        Map<String, Task> tasks = tasks(root.get("tasks"), methods);
        List<Long> seeds = root.has("seeds") ? seeds(root.get("seeds"), "seeds") : null;
        if (seeds == null && !root.has("runs")) problems.add("seeds is missing: list the training seeds, "
                + "e.g. seeds: [0, 1, 2]");
        List<String> distractors = root.has("distractors") ? distractors(root.get("distractors"), "distractors")
                : List.of(NONE);
        SparkSettings spark = spark(root.get("spark"));
        List<Cell> cells = new ArrayList<>();
        if (root.has("runs")) {
            JsonNode runs = root.get("runs");
            if (!runs.isArray() || runs.isEmpty()) {
                problems.add("runs must be a non-empty list of blocks {tasks, methods, seeds, distractors}");
            } else {
                for (int i = 0; i < runs.size(); i++) cells.addAll(block(runs.get(i), "runs[" + i + "]", tasks,
                        methods, seeds, distractors));
            }
        } else if (problems.isEmpty()) {
            cells.addAll(cross(new ArrayList<>(tasks.keySet()), new ArrayList<>(methods.keySet()), seeds,
                    distractors));
        }
        cells = order(cells, tasks, methods, distractors);
        if (problems.isEmpty()) check(cells, tasks, methods);
        return new ComparePlan(source, text, title, reference, tasks, methods, seeds == null ? List.of() : seeds,
                distractors, spark, List.copyOf(cells));
    }

    /** Distinct cells, ordered seed first (a complete table at one seed comes before the next seed). */
    private List<Cell> order(List<Cell> cells, Map<String, Task> tasks, Map<String, Method> methods,
                             List<String> distractors) {
        List<String> t = new ArrayList<>(tasks.keySet()), m = new ArrayList<>(methods.keySet());
        List<String> d = new ArrayList<>(distractors);
        for (Cell c : cells) if (!d.contains(c.distractors())) d.add(c.distractors());
        List<Cell> out = new ArrayList<>(new LinkedHashSet<>(cells));
        out.sort(Comparator.comparingLong(Cell::seed).thenComparingInt(c -> t.indexOf(c.task()))
                .thenComparingInt(c -> d.indexOf(c.distractors())).thenComparingInt(c -> m.indexOf(c.method())));
        return out;
    }

    private void check(List<Cell> cells, Map<String, Task> tasks, Map<String, Method> methods) {
        if (cells.isEmpty()) {
            problems.add("the plan has no cells");
            return;
        }
        Map<String, Cell> byName = new LinkedHashMap<>();
        for (Cell c : cells) {
            Cell other = byName.put(c.name(), c);
            if (other != null) problems.add("cells " + other + " and " + c + " share the directory name "
                    + c.name() + "; rename a task or method");
            Task t = tasks.get(c.task());
            if (t.table() != null && !NONE.equals(c.distractors()))
                problems.add("tasks." + t.name() + " gives a table, which serves the clean setting only, but "
                        + "distractors '" + c.distractors() + "' are planned for it; give generate "
                        + "{episodes, steps, seed, policy} instead of table, or plan it with distractors [none]");
        }
        // every (task, method) config must resolve: a λ for a method without the inverse term, a bad override
        Set<String> seen = new LinkedHashSet<>();
        for (Cell c : cells) {
            if (!seen.add(c.task() + "\u0000" + c.method())) continue;
            Task t = tasks.get(c.task());
            Method m = methods.get(c.method());
            try {
                new ConfigOverrides(m.lambda(), m.epochs() != null ? m.epochs() : t.epochs(),
                        m.batchSize() != null ? m.batchSize() : t.batchSize(), c.seed(), m.latentDim(),
                        m.context(), m.lossMethod()).apply(t.baseConfig());
            } catch (UserError | IllegalArgumentException e) {
                problems.add("tasks." + t.name() + " with methods." + m.name() + ": " + e.getMessage());
            }
        }
    }

    private List<Cell> cross(List<String> tasks, List<String> methods, List<Long> seeds,
                             List<String> distractors) {
        List<Cell> out = new ArrayList<>();
        for (String t : tasks)
            for (String d : distractors)
                for (String m : methods)
                    for (long s : seeds) out.add(new Cell(t, d, m, s));
        return out;
    }

    private List<Cell> block(JsonNode b, String at, Map<String, Task> tasks, Map<String, Method> methods,
                             List<Long> seeds, List<String> distractors) {
        if (b == null || !b.isObject()) {
            problems.add(at + " must be a mapping {tasks, methods, seeds, distractors}");
            return List.of();
        }
        keys(b, at + ".", RUN_KEYS);
        List<String> t = names(b.get("tasks"), at + ".tasks", tasks.keySet(), "tasks");
        List<String> m = names(b.get("methods"), at + ".methods", methods.keySet(), "methods");
        List<Long> s = b.has("seeds") ? seeds(b.get("seeds"), at + ".seeds") : seeds;
        if (s == null) {
            problems.add(at + " has no seeds and the plan has no top-level seeds; add seeds: [0, ...]");
            return List.of();
        }
        List<String> d = b.has("distractors") ? distractors(b.get("distractors"), at + ".distractors")
                : distractors;
        return cross(t, m, s, d);
    }

    /** A block's list of task or method names (default: all), each defined in the plan. */
    private List<String> names(JsonNode n, String at, Set<String> defined, String what) {
        if (n == null) return new ArrayList<>(defined);
        List<String> out = new ArrayList<>();
        if (!n.isArray() || n.isEmpty()) {
            problems.add(at + " must be a non-empty list of " + what + " defined in the plan " + defined);
            return out;
        }
        for (JsonNode x : n) {
            String name = x.isTextual() ? x.asText() : x.toString();
            if (!defined.contains(name)) {
                problems.add(at + " names " + ("tasks".equals(what) ? "task" : "method") + " '" + name
                        + "', which the plan does not define under " + what + "; defined: " + defined);
            } else if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private Map<String, Method> methods(JsonNode n) {
        Map<String, Method> out = new LinkedHashMap<>();
        if (n == null) {
            problems.add("methods is missing: list them, e.g. methods: [smwm, sigreg, forward]; valid methods: "
                    + LossConfig.METHODS);
            return out;
        }
        if (n.isArray()) {
            if (n.isEmpty()) problems.add("methods is empty; valid methods: " + LossConfig.METHODS);
            for (JsonNode x : n) {
                String name = x.asText();
                if (!x.isTextual() || !LossConfig.METHODS.contains(name)) {
                    problems.add("methods: unknown method '" + (x.isTextual() ? name : x.toString())
                            + "'; valid methods: " + LossConfig.METHODS + " (or a mapping name: {method: M, "
                            + "lambda: ...} for a variant)");
                } else if (out.put(name, new Method(name, name, null, null, null, null, null)) != null) {
                    problems.add("methods lists '" + name + "' twice");
                }
            }
            return out;
        }
        if (!n.isObject() || n.isEmpty()) {
            problems.add("methods must be a list of method names or a mapping name → overrides; valid methods: "
                    + LossConfig.METHODS);
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey(), at = "methods." + name;
            if (!NAME.matcher(name).matches()) {
                problems.add(at + ": a method name must be letters, digits, '_', '.' or '-' (at most 64)");
                continue;
            }
            JsonNode m = e.getValue();
            if (m == null || m.isNull()) m = YAML.createObjectNode();
            if (!m.isObject()) {
                problems.add(at + " must be a mapping of " + METHOD_KEYS + " (or {} for the defaults)");
                continue;
            }
            keys(m, at + ".", METHOD_KEYS);
            String method = string(m, "method", name, at + ".");
            if (!LossConfig.METHODS.contains(method)) {
                problems.add(at + ": unknown method '" + method + "'" + (m.has("method") ? ""
                        : " (a name other than a loss.method needs method: M)") + "; valid methods: "
                        + LossConfig.METHODS);
                continue;
            }
            Double lambda = m.has("lambda") ? number(m.get("lambda"), at + ".lambda", 0, Double.MAX_VALUE)
                    : null;
            out.put(name, new Method(name, method, lambda, positive(m, "epochs", at),
                    positive(m, "batch_size", at), positive(m, "latent_dim", at), positive(m, "context", at)));
        }
        return out;
    }

    private Map<String, Task> tasks(JsonNode n, Map<String, Method> methods) {
        Map<String, Task> out = new LinkedHashMap<>();
        if (n == null || !n.isObject() || n.isEmpty()) {
            problems.add(n == null ? "tasks is missing: define at least one task, e.g. tasks: {tworoom: {env: "
                    + "tworoom, generate: {episodes: 300}}}" : "tasks must be a non-empty mapping of task name → "
                    + "{env, config, table | generate, eval, paper}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Task t = task(e.getKey(), e.getValue(), methods);
            if (t != null) out.put(t.name(), t);
        }
        return out;
    }

    private Task task(String name, JsonNode t, Map<String, Method> methods) {
        String at = "tasks." + name;
        if (!NAME.matcher(name).matches()) {
            problems.add(at + ": a task name must be letters, digits, '_', '.' or '-' (at most 64)");
            return null;
        }
        if (t == null || !t.isObject()) {
            problems.add(at + " must be a mapping of " + TASK_KEYS);
            return null;
        }
        int before = problems.size();
        keys(t, at + ".", TASK_KEYS);
        String env = string(t, "env", null, at + ".");
        if (env == null) {
            problems.add(at + ".env is missing; valid environments: " + Environments.ids());
            return null;
        }
        if (!Environments.ids().contains(env)) {
            problems.add(at + ".env: unknown environment '" + env + "'; valid: " + Environments.ids());
            return null;
        }
        String config = string(t, "config", null, at + ".");
        if (config == null) {
            if (ConfigLoader.BUNDLED_TASKS.contains(env)) config = env;
            else problems.add(at + ".config is missing (there is no bundled config named " + env + "); give a "
                    + "bundled config name " + ConfigLoader.BUNDLED_TASKS + " or a YAML file");
        } else if (!ConfigLoader.BUNDLED_TASKS.contains(config)) {
            Path file = base.resolve(config);
            if (!Files.isRegularFile(file)) problems.add(at + ".config '" + config + "' is neither a bundled "
                    + "config " + ConfigLoader.BUNDLED_TASKS + " nor a file (relative paths are read from the "
                    + "plan's directory " + base + ")");
            else config = file.toAbsolutePath().normalize().toString();
        }
        String table = string(t, "table", null, at + ".");
        Generate gen = t.has("generate") ? generate(t.get("generate"), at + ".generate", env) : null;
        if (table == null && !t.has("generate"))
            problems.add(at + " needs generate {episodes, steps, seed, policy} or table: PATH");
        if (table != null && t.has("generate"))
            problems.add(at + " has both table and generate; keep one");
        if (table != null && !table.contains("://") && !table.startsWith("file:")) {
            Path p = base.resolve(table);
            if (!Files.isDirectory(p)) problems.add(at + ".table " + table + ": no such table directory");
            table = p.toAbsolutePath().normalize().toString();
        }
        Eval eval = eval(t.get("eval"), at + ".eval");
        Map<String, Double> paper = paper(t.get("paper"), at + ".paper", methods);
        if (problems.size() > before) return null;
        if (config != null) {
            try {
                ExperimentConfig base = ConfigLoader.BUNDLED_TASKS.contains(config) ? ConfigLoader.forTask(config)
                        : ConfigLoader.load(Path.of(config));
                if (gen != null && base.model().frameskip() != gen.frameskip())
                    problems.add(at + ": the config's model.frameskip " + base.model().frameskip()
                            + " differs from generate.frameskip " + gen.frameskip() + "; make them equal");
            } catch (UserError | IllegalArgumentException e) {
                problems.add(at + ".config: " + e.getMessage());
            }
        }
        return new Task(name, env, config, table, gen, positive(t, "epochs", at), positive(t, "batch_size", at),
                eval, paper);
    }

    private Generate generate(JsonNode g, String at, String env) {
        if (g == null || !g.isObject()) {
            problems.add(at + " must be a mapping of " + GENERATE_KEYS);
            return null;
        }
        keys(g, at + ".", GENERATE_KEYS);
        if (!g.has("episodes")) problems.add(at + ".episodes is missing");
        long episodes = g.has("episodes") ? integer(g.get("episodes"), at + ".episodes", 1, Integer.MAX_VALUE) : 1;
        int steps = (int) (g.has("steps") ? integer(g.get("steps"), at + ".steps", 1, GenerationSpec.MAX_STEPS)
                : 100);
        long seed = g.has("seed") ? integer(g.get("seed"), at + ".seed", 0, Long.MAX_VALUE) : 0;
        String policy = string(g, "policy", null, at + ".");
        String variant = string(g, "variant", "default", at + ".");
        int size = (int) (g.has("image_size") ? integer(g.get("image_size"), at + ".image_size", 16, 1024)
                : EnvConfig.DEFAULT_IMAGE_SIZE);
        int frameskip = (int) (g.has("frameskip") ? integer(g.get("frameskip"), at + ".frameskip", 1, steps)
                : GenerationSpec.DEFAULT_FRAMESKIP);
        int perFile = (int) (g.has("episodes_per_file")
                ? integer(g.get("episodes_per_file"), at + ".episodes_per_file", 1, Integer.MAX_VALUE)
                : GenerationSpec.DEFAULT_EPISODES_PER_FILE);
        Map<String, String> params = new LinkedHashMap<>();
        if (g.has("params")) {
            JsonNode pm = g.get("params");
            if (!pm.isObject()) problems.add(at + ".params must be a mapping KEY: VALUE");
            else pm.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        }
        try {
            Environments.policy(env, policy);
            List<String> variants = Environments.task(env).variants();
            if (!"default".equals(variant) && !variants.contains(variant))
                problems.add(at + ".variant: unknown variant '" + variant + "' for " + env + "; valid: "
                        + variants);
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
        }
        return new Generate(episodes, steps, seed, policy, variant, size, frameskip, Map.copyOf(params), perFile);
    }

    private Eval eval(JsonNode e, String at) {
        if (e == null) e = YAML.createObjectNode();
        if (!e.isObject()) {
            problems.add(at + " must be a mapping of " + EVAL_KEYS);
            return null;
        }
        keys(e, at + ".", EVAL_KEYS);
        int episodes = (int) (e.has("episodes") ? integer(e.get("episodes"), at + ".episodes", 1, 100_000) : 100);
        List<Long> seeds = e.has("seeds") ? seeds(e.get("seeds"), at + ".seeds") : List.of(0L);
        int offset = (int) (e.has("offset") ? integer(e.get("offset"), at + ".offset", 1, 1_000_000) : 25);
        String planner = string(e, "planner", "cem", at + ".");
        if (!List.of("cem", "mppi").contains(planner))
            problems.add(at + ".planner: unknown planner '" + planner + "'; valid: cem, mppi");
        Integer samples = e.has("samples") ? (int) integer(e.get("samples"), at + ".samples", 1, 1_000_000) : null;
        Integer iterations = e.has("iterations")
                ? (int) integer(e.get("iterations"), at + ".iterations", 1, 100_000) : null;
        int diag = (int) (e.has("diagnose_samples")
                ? integer(e.get("diagnose_samples"), at + ".diagnose_samples", 1, 10_000_000) : 3000);
        Eval ev = new Eval(episodes, seeds == null ? List.of() : seeds, offset, planner, samples, iterations,
                diag);
        try {
            ev.plannerConfig();
        } catch (IllegalArgumentException ex) {
            problems.add(at + ": " + ex.getMessage());
        }
        return ev;
    }

    private Map<String, Double> paper(JsonNode n, String at, Map<String, Method> methods) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (n == null) return out;
        if (!n.isObject()) {
            problems.add(at + " must be a mapping method → success % (and random → %)");
            return out;
        }
        n.fields().forEachRemaining(e -> {
            if (!"random".equals(e.getKey()) && !methods.containsKey(e.getKey()))
                problems.add(at + "." + e.getKey() + ": not a method of the plan " + methods.keySet()
                        + " nor random");
            else out.put(e.getKey(), number(e.getValue(), at + "." + e.getKey(), 0, 100));
        });
        return out;
    }

    private SparkSettings spark(JsonNode n) {
        if (n == null) return SparkSettings.DEFAULTS;
        if (!n.isObject()) {
            problems.add("spark must be a mapping of " + SPARK_KEYS);
            return SparkSettings.DEFAULTS;
        }
        keys(n, "spark.", SPARK_KEYS);
        return new SparkSettings(positive(n, "workers", "spark"), positive(n, "averaging_frequency", "spark"),
                positive(n, "checkpoint_every", "spark"));
    }

    /** A non-empty list of distinct integer seeds ≥ 0. */
    private List<Long> seeds(JsonNode n, String at) {
        if (n == null || !n.isArray() || n.isEmpty()) {
            problems.add(at + " must be a non-empty list of integer seeds >= 0, e.g. [0, 1, 2]; got "
                    + (n == null ? "nothing" : n.toString()));
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isIntegralNumber() || x.asLong() < 0 || !x.canConvertToLong()) {
                problems.add(at + ": seed " + x + " is not an integer >= 0");
                return null;
            }
            if (out.contains(x.asLong())) {
                problems.add(at + " lists seed " + x.asLong() + " twice");
                return null;
            }
            out.add(x.asLong());
        }
        return List.copyOf(out);
    }

    private List<String> distractors(JsonNode n, String at) {
        List<String> out = new ArrayList<>();
        if (n == null || !n.isArray() || n.isEmpty()) {
            problems.add(at + " must be a non-empty list of settings: none, or distractor names joined by '+' "
                    + Distractors.NAMES);
            return List.of(NONE);
        }
        for (JsonNode x : n) {
            String s = x.asText();
            if (!x.isTextual()) {
                problems.add(at + ": " + x + " is not a distractor setting");
                continue;
            }
            if (!NONE.equals(s)) {
                List<String> names = Arrays.asList(s.split("\\+", -1));
                boolean ok = true;
                for (String d : names) {
                    if (!Distractors.NAMES.contains(d)) {
                        problems.add(at + ": unknown distractor '" + d + "' in '" + s + "'; valid: none or "
                                + Distractors.NAMES + " (several joined by '+')");
                        ok = false;
                    }
                }
                if (ok && new LinkedHashSet<>(names).size() != names.size()) {
                    problems.add(at + ": '" + s + "' names a distractor twice");
                    ok = false;
                }
                if (!ok) continue;
            }
            if (out.contains(s)) problems.add(at + " lists '" + s + "' twice");
            else out.add(s);
        }
        return out.isEmpty() ? List.of(NONE) : List.copyOf(out);
    }
}
