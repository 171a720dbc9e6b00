package io.smwm.data.eval;

import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.eval.EpisodeRecord;
import io.smwm.core.eval.EvalConfig;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.Evaluator;
import io.smwm.core.eval.MethodResult;
import io.smwm.core.eval.MinGoalDistance;
import io.smwm.core.eval.PairSource;
import io.smwm.core.eval.StartGoalPair;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.oracle.CubeOracleModel;
import io.smwm.core.plan.oracle.PushTOracleModel;
import io.smwm.core.plan.oracle.SimulatorOracleModel;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.TableMetadata;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code smwm benchmark oracle} on a Cube or Push-T table: how well the paper's CEM (candidates clipped, as the
 * full-size configs plan) does on the table's held-out pairs (goal offset 25, budget 50) with the simulator as its
 * model and the scene's numbers as its latent ({@link CubeOracleModel}, {@link PushTOracleModel}). Printed, not a
 * test: it bounds what a learned model can reach with this planner on these pairs, and separates the pairs the
 * planner cannot solve from those the learned model loses. The pairs are those {@code smwm evaluate --episodes N
 * --seed S} draws for a run with the same split.
 */
public final class SimulatorOracleBenchmark {
    private SimulatorOracleBenchmark() {}

    /** Makes the task's oracle from the table's env config, frameskip k and action mean and std. */
    interface Factory {
        SimulatorOracleModel<?> create(EnvConfig config, int frameskip, float[] mean, float[] std);
    }

    /** Cube's oracle. */
    static final Factory CUBE = (c, k, mean, std) -> new CubeOracleModel(c.variant(), k, mean, std);
    /** Push-T's oracle, the agent in its scene (see {@link PushTOracleModel}). */
    static final Factory PUSHT = (c, k, mean, std) -> new PushTOracleModel(c, k, mean, std, true);
    /** Push-T's oracle, the block alone in its scene. */
    static final Factory PUSHT_BLOCK = (c, k, mean, std) -> new PushTOracleModel(c, k, mean, std, false);

    /**
     * Plans the pairs with each oracle in turn (the same pairs; random once, beside the first) and prints, per
     * oracle, its success and the pairs it fails.
     *
     * @param envId    the task the table must hold
     * @param oracles  the oracles by the name printed for them, in order
     * @param run      a run whose episode split (train.seed, valFraction) picks the held-out episodes, or null for
     *                 the default training config's split
     * @param episodes pairs to evaluate
     */
    public static void run(PrintStream out, String table, String envId, Map<String, Factory> oracles, Path run,
                           int episodes, long seed) throws IOException {
        OracleBenchmark.Setup s = OracleBenchmark.Setup.read(table, run, envId, "the " + envId + " oracle");
        TableMetadata meta = s.meta();
        int k = s.frameskip();
        boolean first = true;
        for (Map.Entry<String, Factory> o : oracles.entrySet()) {
            SimulatorOracleModel<?> m = o.getValue().create(TrainingData.envConfig(meta), k, s.mean(), s.std());
            Supplier<Environment> envs = () -> {
                Environment e = Environments.create(envId, TrainingData.envConfig(meta));
                m.watch(e);
                return e;
            };
            PairSource pairs = registering(new TablePairSource(table, s.split(), 25, k), m);
            EvalConfig ec = EvalConfig.defaults().withEpisodes(episodes).withSeed(seed).withRandomBaseline(first);
            long t0 = System.nanoTime();
            EvaluationReport rep = new Evaluator(envs, m, ec).evaluate(PlannerConfig.cem().withClipSamples(true),
                    List.of(pairs));
            double secs = (System.nanoTime() - t0) / 1e9;
            for (MethodResult r : rep.results()) {
                String name = r.method().equals("cem") ? o.getKey() : "random";
                out.printf("%-22s %d/%d = %.1f %% (non-trivial %d/%d)%n", name, r.successes(), r.episodes(),
                        100 * r.successRate(), r.pairStats().successesNontrivial(), r.pairStats().nontrivialPairs());
            }
            StringBuilder failed = new StringBuilder();
            for (EpisodeRecord e : rep.episodes()) {
                if (e.method().equals("cem") && !e.success()) failed.append(' ').append(e.pairId());
            }
            out.printf("%s failures:%s%nevaluated in %.0f s (eval seed %d, %d pairs)%n", o.getKey(),
                    failed.length() == 0 ? " none" : failed, secs, seed, episodes);
            first = false;
        }
    }

    /** {@code src} with every goal frame it yields registered with the oracle as its goal state. */
    private static PairSource registering(PairSource src, SimulatorOracleModel<?> m) {
        return new PairSource() {
            @Override
            public int goalOffset() {
                return src.goalOffset();
            }

            @Override
            public List<StartGoalPair> sample(int n, long seed) {
                List<StartGoalPair> out = src.sample(n, seed);
                for (StartGoalPair p : out) m.register(p.goalFrame(), p.goalState());
                return out;
            }

            @Override
            public String description() {
                return src.description();
            }

            @Override
            public MinGoalDistance minGoalDistance() {
                return src.minGoalDistance();
            }
        };
    }
}
