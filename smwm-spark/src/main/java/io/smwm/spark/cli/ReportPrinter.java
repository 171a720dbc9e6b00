package io.smwm.spark.cli;

import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.FailureDiagnosis;
import io.smwm.core.eval.MethodResult;

/** Prints an evaluation report's success table, its pair statistics and the failure diagnosis to the console. */
final class ReportPrinter {
    private ReportPrinter() {}

    static void print(EvaluationReport rep) {
        System.out.printf("%-8s %6s %6s %9s %8s %8s %12s%n", "method", "offset", "budget", "success", "n", "stderr",
                "plan ms/solve");
        for (MethodResult m : rep.results()) {
            System.out.printf("%-8s %6d %6d %8.1f%% %8d %7.1f%% %12s%n", m.method(), m.goalOffset(), m.budget(),
                    100 * m.successRate(), m.episodes(), 100 * m.stderr(),
                    Double.isNaN(m.planMsMedian()) ? "-" : String.format("%.1f", m.planMsMedian()));
        }
        if (rep.pairFilter() != null) System.out.println("pairs: " + rep.pairFilter());
        for (MethodResult m : rep.results()) System.out.println(m.describe());
        for (MethodResult m : rep.results()) {
            System.out.printf("%-6s offset %d, successes per quartile of the pairs %s%n", m.method(), m.goalOffset(),
                    m.pairStats().describeSuccessByStartError());
        }
        for (MethodResult m : rep.results()) {
            FailureDiagnosis d = FailureDiagnosis.of(rep.episodes(), m.method(), m.goalOffset());
            if (d != null && d.failures() > 0) System.out.println(d.describe(m.method(), m.goalOffset()));
        }
    }
}
