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
 * The evaluation protocol (REFERENCE §4) over one or more goal offsets: for each pair source (one per offset),
 * sample {@code eval.episodes} pairs, then run every planner and, if enabled, the random baseline on the same
 * pairs with budget = round(budgetFactor × offset), all episodes of a method in lock-step so planning is batched.
 * One source with offset 25 is the paper's main protocol; sources for 25, 40, ..., 100 are its sweep.
 */
public final class Evaluator {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);
    private final Supplier<Environment> envFactory;
    private final LatentModel model;
    private final EvalConfig cfg;

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
     * {@code eval.randomBaseline} is set, on every source's pairs.
     */
    public EvaluationReport evaluate(Map<String, PlannerConfig> planners, List<PairSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one pair source (one per goal offset)");
        }
        if (planners.isEmpty() && !cfg.randomBaseline()) {
            throw new IllegalArgumentException("nothing to evaluate: no planner and eval.randomBaseline=false");
        }
        EnvSpec spec = envFactory.get().spec();
        List<MethodResult> results = new ArrayList<>();
        List<EpisodeRecord> episodes = new ArrayList<>();
        List<Filmstrip> strips = new ArrayList<>();
        EpisodeRunner runner = new EpisodeRunner(envFactory, model, cfg);
        for (PairSource src : sources) {
            int offset = src.goalOffset(), budget = cfg.budget(offset);
            List<StartGoalPair> pairs = src.sample(cfg.episodes(), Seeds.derive(cfg.seed(), "pairs", offset));
            List<Controller> controllers = new ArrayList<>();
            for (Map.Entry<String, PlannerConfig> p : planners.entrySet()) {
                controllers.add(new PlanningController(p.getKey(), Planners.create(p.getValue(), model, spec),
                        model, cfg.executeModelSteps()));
            }
            if (cfg.randomBaseline()) {
                controllers.add(new RandomController(spec.actionLow(), spec.actionHigh()));
            }
            for (Controller c : controllers) {
                long t0 = System.nanoTime();
                EpisodeRunner.Outcome out = runner.run(c, pairs, budget,
                        Seeds.derive(cfg.seed(), "run:" + c.name(), offset));
                MethodResult r = MethodResult.of(c.name(), offset, budget, out.episodes());
                LOG.info("{} offset {} budget {}: {}/{} successes ({} s)", c.name(), offset, budget,
                        r.successes(), r.episodes(), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
                results.add(r);
                episodes.addAll(out.episodes());
                strips.addAll(out.filmstrips());
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
        return new EvaluationReport(results, episodes, strips, config);
    }
}
