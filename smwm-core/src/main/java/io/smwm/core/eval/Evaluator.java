package io.smwm.core.eval;

import io.smwm.core.env.EnvSpec;
import io.smwm.core.env.Environment;
import io.smwm.core.plan.LatentModel;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.Planners;
import io.smwm.core.util.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's evaluation protocol over one or more goal offsets: for each pair source (one per offset),
 * sample {@code eval.episodes} pairs, then run every planner and, if enabled, the random baseline on the same
 * pairs with budget = round(budgetFactor × offset), all episodes of a method in lock-step so planning is batched.
 * One source with offset 25 is the paper's main protocol; sources for 25, 40, ..., 100 are its sweep.
 */
public final class Evaluator {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);
    private final Supplier<Environment> envFactory;
    private final LatentModel model;
    private final EvalConfig cfg;

    /**
     * @param envFactory a fresh env per episode, configured like the pairs' source
     * @param model      the latent model planners use; may be null for an evaluator that only draws pairs and
     *                   builds reports (the driver of a distributed evaluation) or runs the random baseline alone
     *                   with latent curves off
     */
    public Evaluator(Supplier<Environment> envFactory, LatentModel model, EvalConfig cfg) {
        this.envFactory = envFactory;
        this.model = model;
        this.cfg = cfg;
    }

    /** Evaluates one planner (named by its method) plus the baseline. */
    public EvaluationReport evaluate(PlannerConfig planner, List<PairSource> sources) {
        Map<String, PlannerConfig> m = new LinkedHashMap<>();
        m.put(planner.method(), planner);
        return evaluate(m, sources);
    }

    /**
     * Evaluates the named planners (report name to config, in order) plus the random baseline when
     * {@code eval.randomBaseline} is set, on every source's pairs. Equivalent to {@link #pairs} per source, one
     * {@link #runSlice} over the whole pair list, then {@link #report}; a distributed evaluation runs the same
     * slices on executors and gets the same report.
     */
    public EvaluationReport evaluate(Map<String, PlannerConfig> planners, List<PairSource> sources) {
        check(planners, sources);
        List<List<MethodOutcome>> perSource = new ArrayList<>();
        for (PairSource src : sources) {
            List<StartGoalPair> pairs = pairs(src);
            perSource.add(runSlice(planners, pairs, 0, src.goalOffset()));
        }
        return report(planners, sources, perSource);
    }

    /** One method's episodes (and kept filmstrips) on one goal offset's pairs, or on a slice of them. */
    public record MethodOutcome(String method, int goalOffset, int budget, EpisodeRunner.Outcome outcome) {}

    /** Checks that there is something to evaluate; the same check for driver and distributed evaluation. */
    public void check(Map<String, PlannerConfig> planners, List<PairSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one pair source (one per goal offset)");
        }
        if (planners.isEmpty() && !cfg.randomBaseline()) {
            throw new IllegalArgumentException("nothing to evaluate: no planner and eval.randomBaseline=false");
        }
    }

    /** The source's pairs as evaluation draws them: {@code eval.episodes} pairs, seed derive(seed, "pairs", offset). */
    public List<StartGoalPair> pairs(PairSource src) {
        return src.sample(cfg.episodes(), Seeds.derive(cfg.seed(), "pairs", src.goalOffset()));
    }

    /**
     * Runs every method (the planners in order, then "random" when enabled) on the contiguous slice
     * [firstEpisode, firstEpisode + slice.size()) of one goal offset's pair list. Each method's run seed is
     * derive(seed, "run:" + method, offset) and per-episode streams derive from the global episode index, so the
     * outcomes of consecutive slices, concatenated in slice order, equal those of the whole list.
     *
     * @return one outcome per method, in method order
     */
    public List<MethodOutcome> runSlice(Map<String, PlannerConfig> planners, List<StartGoalPair> slice,
                                        int firstEpisode, int goalOffset) {
        for (StartGoalPair p : slice) {
            if (p.goalOffset() != goalOffset) {
                throw new IllegalArgumentException("pair " + p.id() + " has goal offset " + p.goalOffset()
                        + ", expected " + goalOffset);
            }
        }
        EnvSpec spec = envFactory.get().spec();
        int budget = cfg.budget(goalOffset);
        List<Controller> controllers = new ArrayList<>();
        for (Map.Entry<String, PlannerConfig> p : planners.entrySet()) {
            controllers.add(new PlanningController(p.getKey(), Planners.create(p.getValue(), model, spec),
                    model, cfg.executeModelSteps()));
        }
        if (cfg.randomBaseline()) {
            controllers.add(new RandomController(spec.actionLow(), spec.actionHigh()));
        }
        EpisodeRunner runner = new EpisodeRunner(envFactory, model, cfg);
        List<MethodOutcome> out = new ArrayList<>();
        for (Controller c : controllers) {
            long t0 = System.nanoTime();
            EpisodeRunner.Outcome o = runner.run(c, slice, firstEpisode, budget,
                    Seeds.derive(cfg.seed(), "run:" + c.name(), goalOffset));
            long ok = o.episodes().stream().filter(EpisodeRecord::success).count();
            LOG.info("{} offset {} budget {} episodes {}..{}: {}/{} successes ({} s)", c.name(), goalOffset, budget,
                    firstEpisode, firstEpisode + slice.size() - 1, ok, slice.size(),
                    String.format("%.1f", (System.nanoTime() - t0) / 1e9));
            out.add(new MethodOutcome(c.name(), goalOffset, budget, o));
        }
        return out;
    }

    /**
     * Builds the report from each source's method outcomes (perSource.get(i) for sources.get(i), methods in
     * {@link #runSlice} order, each covering the source's whole pair list in pair order): results per offset and
     * method, every episode and the kept filmstrips in that order, and the configuration.
     */
    public EvaluationReport report(Map<String, PlannerConfig> planners, List<PairSource> sources,
                                   List<List<MethodOutcome>> perSource) {
        if (perSource.size() != sources.size()) {
            throw new IllegalArgumentException(perSource.size() + " outcome lists for " + sources.size() + " sources");
        }
        EnvSpec spec = envFactory.get().spec();
        List<MethodResult> results = new ArrayList<>();
        List<EpisodeRecord> episodes = new ArrayList<>();
        List<Filmstrip> strips = new ArrayList<>();
        for (List<MethodOutcome> outs : perSource) {
            for (MethodOutcome m : outs) {
                results.add(MethodResult.of(m.method(), m.goalOffset(), m.budget(), m.outcome().episodes()));
                episodes.addAll(m.outcome().episodes());
                strips.addAll(m.outcome().filmstrips());
            }
        }
        Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
        config.put("env.id", spec.id());
        config.put("env.variant", spec.variant());
        config.put("env.imageSize", spec.imageWidth());
        config.put("env.distractors", spec.distractors());
        for (Map.Entry<String, PlannerConfig> p : planners.entrySet()) {
            Map<String, Object> pm = p.getValue().toMap();
            if (planners.size() == 1) {
                config.putAll(pm);
            } else {
                pm.forEach((k, v) -> config.put(p.getKey() + "." + k, v));
            }
        }
        config.put("pairs.sources", sources.stream().map(PairSource::description).toList());
        putMinGoalDistance(config, sources, envFactory.get().goalErrorSpec());
        return new EvaluationReport(results, episodes, strips, config);
    }

    /**
     * Records the sources' pair filter: {@code pairs.minGoalDistance} (its value, or null without one) and
     * {@code pairs.minGoalDistanceRule} (the rule in words, or null), each a list with one entry per source in the
     * rare case that the sources differ.
     */
    private static void putMinGoalDistance(Map<String, Object> config, List<PairSource> sources,
                                           io.smwm.core.env.GoalErrorSpec spec) {
        List<MinGoalDistance> all = sources.stream().map(PairSource::minGoalDistance).toList();
        List<Object> values = new ArrayList<>(), rules = new ArrayList<>();
        for (MinGoalDistance m : all) {
            values.add(m == null ? null : m.value());
            rules.add(m == null ? null : m.describe(spec));
        }
        boolean same = all.stream().distinct().count() == 1;
        config.put(EvaluationReport.MIN_GOAL_DISTANCE, same ? values.get(0) : values);
        config.put(EvaluationReport.MIN_GOAL_DISTANCE_RULE, same ? rules.get(0) : rules);
    }
}
