package io.smwm.data.eval;

import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.env.reacher.Reacher;
import io.smwm.core.eval.EvalConfig;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.Evaluator;
import io.smwm.core.eval.MethodResult;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.oracle.ReacherOracleModel;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.TableMetadata;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code smwm benchmark oracle}: how well the paper's CEM plans on a Reacher table's held-out pairs (the evaluation
 * protocol: goal offset 25, budget 50) with a perfect model ({@link ReacherOracleModel}) that sees one frame
 * (context 1: velocities unknown, taken as 0) and with one that also sees the frame one model step back (context 2:
 * velocities from the difference). Printed, not a test: it bounds what a learned model of each kind can reach.
 */
public final class ReacherOracleBenchmark {
    private ReacherOracleBenchmark() {}

    /**
     * @param run      a run whose episode split (train.seed, valFraction) picks the held-out episodes, or null for
     *                 the default training config's split
     * @param episodes pairs to evaluate
     */
    public static void run(PrintStream out, String table, Path run, int episodes, long seed) throws IOException {
        OracleBenchmark.Setup s = OracleBenchmark.Setup.read(table, run, Reacher.ID, "benchmark oracle");
        TableMetadata meta = s.meta();
        EpisodeSplit split = s.split();
        int k = s.frameskip();
        float[] mean = s.mean(), std = s.std();
        Supplier<Environment> envs = () -> Environments.create(Reacher.ID, TrainingData.envConfig(meta));
        EvalConfig ec = EvalConfig.defaults().withEpisodes(episodes).withSeed(seed);
        for (int c = 1; c <= 2; c++) {
            ReacherOracleModel m = new ReacherOracleModel(meta.env().variant(), c, k, mean, std);
            long t0 = System.nanoTime();
            EvaluationReport rep = new Evaluator(envs, m, c == 1 ? ec : ec.withRandomBaseline(false))
                    .evaluate(PlannerConfig.cem(), List.of(new TablePairSource(table, split, 25, k)));
            for (MethodResult r : rep.results()) {
                String name = r.method().equals("cem") ? "oracle context " + c : "random";
                out.printf("%-18s %d/%d = %.1f %% (non-trivial %d/%d)%s%n", name, r.successes(), r.episodes(),
                        100 * r.successRate(), r.pairStats().successesNontrivial(), r.pairStats().nontrivialPairs(),
                        r.method().equals("cem") ? String.format("  [%.0f s]", (System.nanoTime() - t0) / 1e9) : "");
            }
        }
    }
}
