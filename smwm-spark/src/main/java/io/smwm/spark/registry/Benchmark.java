package io.smwm.spark.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.eval.EvalConfig;
import io.smwm.core.eval.PairSource;
import io.smwm.core.eval.StartGoalPair;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.render.RgbImage;
import io.smwm.core.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A registry's fixed benchmark: the start/goal pairs every version is evaluated on, stored with everything needed to
 * plan them (start task and distractor states, goal frame and goal state, the recorded route for the failure
 * diagnosis, the frames before each start that models with context need), the env to build, and the protocol (goal
 * offset, budget, executed model steps, evaluation seed, planner). The pairs are drawn once, from one table, and
 * stored by value rather than as (episode, start frame) ids, so later candidates trained on other tables (new data,
 * an appended table with a new fingerprint) are evaluated on exactly the same pairs, and the source table may
 * change or go away. The pair ids ("ep000012@t40") and the source table's path and fingerprint are kept for
 * provenance: {@code smwm evaluate --data SOURCE --episodes N --goal-offset O --seed S} on the same split draws the
 * same pairs.
 *
 * <p>File: {@code REG/benchmark.json}, schema {@value #SCHEMA} version 1; frames as base64 of raw uint8 HWC bytes,
 * states and actions as JSON numbers. Reading it checks every field (counts, lengths, finite values, frame sizes)
 * before use; a file that fails is refused naming the problems. No Java serialisation.
 */
public final class Benchmark {
    public static final String SCHEMA = "smwm.registry.benchmark";
    /** A benchmark of 100k pairs of 64×64 frames with history is far below this. */
    static final long MAX_BYTES = 2L << 30;
    static final int MAX_PAIRS = 100_000, MAX_DIM = 65_536, MAX_GOAL_OFFSET = 1_000_000, MAX_HISTORY = 8 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the pairs came from. */
    public record Source(String table, String fingerprint, String episodes) {}

    private final String envId;
    private final EnvConfig env;
    private final int goalOffset;
    private final double budgetFactor;
    private final int executeSteps;
    private final long evalSeed;
    private final PlannerConfig planner;
    private final int historyFrames;
    private final Source source;
    private final String createdUtc;
    private final List<StartGoalPair> pairs;
    private final String sha256;

    private Benchmark(String envId, EnvConfig env, int goalOffset, double budgetFactor, int executeSteps,
                      long evalSeed, PlannerConfig planner, int historyFrames, Source source, String createdUtc,
                      List<StartGoalPair> pairs, String sha256) {
        this.envId = envId;
        this.env = env;
        this.goalOffset = goalOffset;
        this.budgetFactor = budgetFactor;
        this.executeSteps = executeSteps;
        this.evalSeed = evalSeed;
        this.planner = planner;
        this.historyFrames = historyFrames;
        this.source = source;
        this.createdUtc = createdUtc;
        this.pairs = List.copyOf(pairs);
        this.sha256 = sha256;
    }

    /**
     * A new benchmark of drawn pairs (all with goal offset {@code goalOffset}, at most {@code historyFrames} frames
     * before each start).
     */
    public static Benchmark of(String envId, EnvConfig env, int goalOffset, double budgetFactor, int executeSteps,
                               long evalSeed, PlannerConfig planner, int historyFrames, Source source,
                               List<StartGoalPair> pairs) {
        if (pairs.isEmpty()) throw new IllegalArgumentException("a benchmark needs at least one pair");
        for (StartGoalPair p : pairs) {
            if (p.goalOffset() != goalOffset || p.startHistory().size() > historyFrames)
                throw new IllegalArgumentException("pair " + p.id() + " does not fit the benchmark (goal offset "
                        + p.goalOffset() + ", " + p.startHistory().size() + " history frames)");
        }
        return new Benchmark(envId, env, goalOffset, budgetFactor, executeSteps, evalSeed, planner, historyFrames,
                source, java.time.Instant.now().toString(), pairs, null);
    }

    public String envId() { return envId; }

    public EnvConfig env() { return env; }

    public int goalOffset() { return goalOffset; }

    public long evalSeed() { return evalSeed; }

    public PlannerConfig planner() { return planner; }

    public int historyFrames() { return historyFrames; }

    public Source source() { return source; }

    public List<StartGoalPair> pairs() { return pairs; }

    public int episodes() { return pairs.size(); }

    /** SHA-256 of the stored file ("" for a benchmark not read from a file). */
    public String sha256() { return sha256 == null ? "" : sha256; }

    /** The evaluation protocol on these pairs: the paper's, with this benchmark's budget, execution and seed. */
    public EvalConfig evalConfig() {
        return EvalConfig.protocol(pairs.size(), budgetFactor, executeSteps, evalSeed);
    }

    /** The stored pairs as the evaluator's one pair source (it yields exactly these, in order). */
    public PairSource pairSource() {
        String desc = String.format(Locale.ROOT, "registry benchmark: %d pairs drawn from %s (%s), %s", pairs.size(),
                source.table(), source.fingerprint(), source.episodes());
        return new PairSource() {
            @Override
            public int goalOffset() { return goalOffset; }

            @Override
            public List<StartGoalPair> sample(int n, long seed) {
                if (n != pairs.size())
                    throw new IllegalArgumentException("the benchmark holds " + pairs.size() + " pairs, asked for " + n);
                return pairs;
            }

            @Override
            public String description() { return desc; }
        };
    }

    /**
     * Refuses a candidate that cannot be evaluated on these pairs: another task, variant, frame size, distractors or
     * action dimension, or a model that needs more frames before a start than were stored.
     */
    public void checkFits(String tableEnvId, EnvConfig tableEnv, ExperimentConfig cfg, String table) {
        List<String> problems = new ArrayList<>();
        if (!envId.equals(tableEnvId)) problems.add("env " + tableEnvId + " (the benchmark's: " + envId + ")");
        if (!env.variant().equals(tableEnv.variant()))
            problems.add("variant " + tableEnv.variant() + " (the benchmark's: " + env.variant() + ")");
        if (env.imageSize() != tableEnv.imageSize() || env.imageSize() != cfg.model().imageSize())
            problems.add("frames of " + tableEnv.imageSize() + " px, model.imageSize " + cfg.model().imageSize()
                    + " (the benchmark's frames: " + env.imageSize() + " px)");
        if (!env.distractors().equals(tableEnv.distractors()))
            problems.add("distractors " + tableEnv.distractors() + " (the benchmark's: " + env.distractors() + ")");
        int m = pairs.get(0).recordedActions() == null ? -1 : pairs.get(0).recordedActions()[0].length;
        if (m >= 0 && m != cfg.model().actionDim())
            problems.add("model.actionDim " + cfg.model().actionDim() + " (the benchmark's actions: " + m + ")");
        int need = (cfg.model().context() - 1) * cfg.model().frameskip();
        if (need > historyFrames)
            problems.add("model.context " + cfg.model().context() + " needs " + need + " frames before each start; "
                    + "the benchmark stored " + historyFrames);
        if (!problems.isEmpty())
            throw new UserError("the registry's benchmark pairs do not fit this candidate (table " + table + "): "
                    + String.join("; ", problems) + ". A registry evaluates every version on the same pairs; use a "
                    + "table and config of the registry's task, or a new registry");
    }

    /** The stored form (see the class comment). */
    public byte[] toJsonBytes() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("schema_version", 1);
        root.put("created_utc", createdUtc);
        ObjectNode e = root.putObject("env");
        e.put("id", envId);
        e.set("config", JSON.valueToTree(env));
        ObjectNode s = root.putObject("source");
        s.put("table", source.table());
        s.put("fingerprint", source.fingerprint());
        s.put("episodes", source.episodes());
        ObjectNode ev = root.putObject("eval");
        ev.put("episodes", pairs.size());
        ev.put("goal_offset", goalOffset);
        ev.put("budget_factor", budgetFactor);
        ev.put("execute_steps", executeSteps);
        ev.put("seed", evalSeed);
        root.set("planner", JSON.valueToTree(planner));
        root.put("history_frames", historyFrames);
        ArrayNode ps = root.putArray("pairs");
        Base64.Encoder b64 = Base64.getEncoder();
        for (StartGoalPair p : pairs) {
            ObjectNode o = ps.addObject();
            o.put("id", p.id());
            floats(o.putArray("start_state"), p.startState());
            floats(o.putArray("start_distractor_state"), p.startDistractorState());
            floats(o.putArray("goal_state"), p.goalState());
            if (p.recordedActions() == null) o.putNull("recorded_actions");
            else {
                ArrayNode ra = o.putArray("recorded_actions");
                for (float[] a : p.recordedActions()) floats(ra.addArray(), a);
            }
            o.put("goal_frame", b64.encodeToString(p.goalFrame().data()));
            ArrayNode h = o.putArray("start_history");
            for (RgbImage f : p.startHistory()) h.add(b64.encodeToString(f.data()));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Reads and checks a stored benchmark. */
    public static Benchmark read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES)
                throw new UserError("registry benchmark " + file + " has " + size + " bytes, more than " + MAX_BYTES);
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses and checks a stored benchmark's bytes; {@code label} names it in errors. */
    static Benchmark parse(byte[] bytes, String label) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UserError("registry benchmark " + label + " is not valid JSON: " + e.getMessage());
        }
        Reader r = new Reader(label);
        try {
            return r.benchmark(root, sha256(bytes));
        } catch (Reader.Bad | IllegalArgumentException e) {
            r.problems.add(e.getMessage());
        }
        throw new UserError("registry benchmark " + label + " cannot be used: " + String.join("; ",
                r.problems.subList(0, Math.min(5, r.problems.size())))
                + (r.problems.size() > 5 ? "; and " + (r.problems.size() - 5) + " more" : ""));
    }

    private static void floats(ArrayNode a, float[] v) {
        for (float x : v) a.add(x);
    }

    private static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The checking reader: collects problems; a structural one stops it ({@link Bad}). */
    private static final class Reader {
        final String label;
        final List<String> problems = new ArrayList<>();

        Reader(String label) {
            this.label = label;
        }

        static final class Bad extends RuntimeException {
            Bad(String m) {
                super(m, null, false, false);
            }
        }

        Benchmark benchmark(JsonNode root, String sha) {
            obj(root, "the file");
            if (!SCHEMA.equals(root.path("schema").asText()) || root.path("schema_version").asInt(-1) != 1)
                throw new Bad("not a " + SCHEMA + " version 1 file (schema " + root.path("schema") + ", version "
                        + root.path("schema_version") + ")");
            JsonNode e = obj(root.get("env"), "env");
            String envId = text(e.get("id"), "env.id", 200);
            EnvConfig env;
            try {
                env = JSON.treeToValue(obj(e.get("config"), "env.config"), EnvConfig.class);
            } catch (IOException | IllegalArgumentException ex) {
                throw new Bad("env.config: " + ex.getMessage());
            }
            JsonNode s = obj(root.get("source"), "source");
            Source source = new Source(text(s.get("table"), "source.table", 10_000),
                    text(s.get("fingerprint"), "source.fingerprint", 200), text(s.get("episodes"), "source.episodes",
                    10_000));
            JsonNode ev = obj(root.get("eval"), "eval");
            int episodes = integer(ev.get("episodes"), "eval.episodes", 1, MAX_PAIRS);
            int offset = integer(ev.get("goal_offset"), "eval.goal_offset", 1, MAX_GOAL_OFFSET);
            double factor = number(ev.get("budget_factor"), "eval.budget_factor");
            if (!(factor > 0) || factor > 100) throw new Bad("eval.budget_factor must be in (0, 100], got " + factor);
            int execute = integer(ev.get("execute_steps"), "eval.execute_steps", 1, PlannerConfig.MAX_HORIZON);
            JsonNode seedNode = ev.get("seed");
            if (seedNode == null || !seedNode.canConvertToLong() || !seedNode.isIntegralNumber())
                throw new Bad("eval.seed must be an integer");
            PlannerConfig planner;
            try {
                planner = JSON.treeToValue(obj(root.get("planner"), "planner"), PlannerConfig.class);
            } catch (IOException | IllegalArgumentException ex) {
                throw new Bad("planner: " + ex.getMessage());
            }
            int history = integer(root.get("history_frames"), "history_frames", 0, MAX_HISTORY);
            JsonNode ps = root.get("pairs");
            if (ps == null || !ps.isArray()) throw new Bad("pairs must be an array");
            if (ps.size() != episodes) throw new Bad("eval.episodes is " + episodes + " but there are " + ps.size()
                    + " pairs");
            int frameBytes = env.imageSize() * env.imageSize() * 3;
            List<StartGoalPair> pairs = new ArrayList<>(ps.size());
            int stateDim = -1, distractorDim = -1, actionDim = -1;
            for (int i = 0; i < ps.size() && problems.size() < 20; i++) {
                String at = "pairs[" + i + "]";
                try {
                    JsonNode p = obj(ps.get(i), at);
                    String id = text(p.get("id"), at + ".id", 200);
                    // pairs are drawn with replacement (the evaluation protocol), so an id may repeat
                    float[] start = floats(p.get("start_state"), at + ".start_state");
                    float[] dist = floats(p.get("start_distractor_state"), at + ".start_distractor_state");
                    float[] goal = floats(p.get("goal_state"), at + ".goal_state");
                    if (stateDim < 0) stateDim = start.length;
                    if (distractorDim < 0) distractorDim = dist.length;
                    if (start.length != stateDim || goal.length != stateDim || dist.length != distractorDim)
                        throw new Bad(at + ": state lengths " + start.length + "/" + goal.length + "/" + dist.length
                                + " differ from the first pair's " + stateDim + "/" + distractorDim);
                    float[][] actions = null;
                    JsonNode ra = p.get("recorded_actions");
                    if (ra != null && !ra.isNull()) {
                        if (!ra.isArray() || ra.size() != offset)
                            throw new Bad(at + ".recorded_actions must hold " + offset + " actions");
                        actions = new float[offset][];
                        for (int t = 0; t < offset; t++) {
                            actions[t] = floats(ra.get(t), at + ".recorded_actions[" + t + "]");
                            if (actionDim < 0) actionDim = actions[t].length;
                            if (actions[t].length != actionDim || actionDim == 0)
                                throw new Bad(at + ".recorded_actions[" + t + "] has " + actions[t].length
                                        + " dimensions, expected " + actionDim);
                        }
                    }
                    RgbImage goalFrame = frame(p.get("goal_frame"), at + ".goal_frame", env.imageSize(), frameBytes);
                    JsonNode h = p.get("start_history");
                    if (h == null || !h.isArray() || h.size() > history)
                        throw new Bad(at + ".start_history must be an array of at most " + history + " frames");
                    List<RgbImage> hist = new ArrayList<>();
                    for (int k = 0; k < h.size(); k++)
                        hist.add(frame(h.get(k), at + ".start_history[" + k + "]", env.imageSize(), frameBytes));
                    pairs.add(new StartGoalPair(id, start, dist, goalFrame, goal, offset, actions, hist));
                } catch (Bad | IllegalArgumentException ex) {
                    problems.add(ex.getMessage());
                }
            }
            if (!problems.isEmpty()) throw new Bad(problems.remove(problems.size() - 1));
            return new Benchmark(envId, env, offset, factor, execute, seedNode.asLong(), planner, history, source,
                    root.path("created_utc").asText(""), pairs, sha);
        }

        private static JsonNode obj(JsonNode n, String what) {
            if (n == null || !n.isObject()) throw new Bad(what + " must be an object");
            return n;
        }

        private static String text(JsonNode n, String what, int max) {
            if (n == null || !n.isTextual() || n.asText().isEmpty() || n.asText().length() > max)
                throw new Bad(what + " must be a non-empty string of at most " + max + " characters");
            return n.asText();
        }

        private static int integer(JsonNode n, String what, int lo, int hi) {
            if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < lo || n.asInt() > hi)
                throw new Bad(what + " must be an integer in [" + lo + ", " + hi + "], got " + n);
            return n.asInt();
        }

        private static double number(JsonNode n, String what) {
            if (n == null || !n.isNumber()) throw new Bad(what + " must be a number, got " + n);
            return n.asDouble();
        }

        private static float[] floats(JsonNode n, String what) {
            if (n == null || !n.isArray() || n.size() > MAX_DIM)
                throw new Bad(what + " must be an array of at most " + MAX_DIM + " numbers");
            float[] out = new float[n.size()];
            Iterator<JsonNode> it = n.elements();
            for (int i = 0; it.hasNext(); i++) {
                JsonNode x = it.next();
                if (!x.isNumber() || !Float.isFinite(x.floatValue()))
                    throw new Bad(what + "[" + i + "] must be a finite number, got " + x);
                out[i] = x.floatValue();
            }
            return out;
        }

        private static RgbImage frame(JsonNode n, String what, int size, int bytes) {
            if (n == null || !n.isTextual() || n.asText().length() > 4L * bytes / 3 + 8)
                throw new Bad(what + " must be the base64 of " + bytes + " bytes");
            byte[] b;
            try {
                b = Base64.getDecoder().decode(n.asText());
            } catch (IllegalArgumentException ex) {
                throw new Bad(what + " is not base64: " + ex.getMessage());
            }
            if (b.length != bytes) throw new Bad(what + " has " + b.length + " bytes, expected " + bytes + " ("
                    + size + "x" + size + "x3)");
            return new RgbImage(size, size, b);
        }
    }

    /** The settings a retrain may name on the command line, for comparing with the stored ones. */
    public Map<String, Object> settings() {
        return Map.of("episodes", pairs.size(), "goal_offset", goalOffset, "seed", evalSeed, "planner",
                planner.method(), "samples", planner.samples(), "iterations", planner.iterations());
    }
}
