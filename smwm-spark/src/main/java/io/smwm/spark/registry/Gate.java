package io.smwm.spark.registry;

import io.smwm.core.train.CollapseMonitor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The promotion gate: a candidate replaces the promoted model only if every check passes.
 * <ol>
 *   <li>{@code finite_loss}: training met no NaN/Inf loss term or gradient (always);</li>
 *   <li>{@code not_collapsed}: the collapse monitor did not flag the last epoch (latent std ≥
 *   {@value CollapseMonitor#STD_FLOOR}, neither the std nor the effective rank below half its best) and training was
 *   not stopped on collapse (always);</li>
 *   <li>{@code success_vs_promoted}: success rate ≥ the promoted model's − {@code tolerance}, both on the benchmark
 *   pairs (the same pair ids); passes when nothing is promoted yet;</li>
 *   <li>{@code min_success}, {@code min_success_nontrivial}, {@code max_val_loss}: the optional floors and ceiling
 *   of the {@link GateConfig}, only when set.</li>
 * </ol>
 * A candidate that was not evaluated (its training stopped) fails the success checks as "not evaluated".
 */
public final class Gate {
    /** Success rates are ratios of counts; a comparison within this of the threshold counts as equal. */
    static final double EPS = 1e-9;

    private Gate() {}

    /** One check: its name, whether it passed, the value measured and the threshold it was held to. */
    public record Check(String name, boolean passed, Object value, Object threshold, String detail) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", name);
            m.put("passed", passed);
            m.put("value", value);
            m.put("threshold", threshold);
            m.put("detail", detail);
            return m;
        }
    }

    /** The gate's verdict: promote or not, every check, and one line that says why. */
    public record Decision(boolean promote, List<Check> checks, String summary) {
        public Decision {
            checks = List.copyOf(checks);
        }

        /** The checks that failed. */
        public List<Check> failed() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }
    }

    /**
     * Decides.
     *
     * @param candidate      the candidate's result on the benchmark pairs; null when it was not evaluated
     * @param baselineName   the promoted version ("v3"), or null when there is none
     * @param baseline       the promoted version's result on the same pairs; null when there is none
     */
    public static Decision decide(GateConfig gate, TrainingOutcome training, BenchmarkResult candidate,
                                  String baselineName, BenchmarkResult baseline) {
        List<Check> checks = new ArrayList<>();
        boolean nonFinite = TrainingOutcome.NON_FINITE_LOSS.equals(training.stopReason());
        checks.add(new Check("finite_loss", !nonFinite, nonFinite ? "non-finite" : training.trainLoss(),
                "no NaN/Inf loss term or gradient", nonFinite ? training.stopMessage()
                : training.completed() ? "last epoch's training loss" : "training stopped for another reason"));

        boolean stoppedOnCollapse = TrainingOutcome.COLLAPSE.equals(training.stopReason());
        boolean collapsed = stoppedOnCollapse || training.collapseWarning() != null;
        String threshold = String.format(Locale.ROOT, "no collapse warning: latent std >= %s and neither it nor the "
                + "effective rank below %s of its best", CollapseMonitor.STD_FLOOR, CollapseMonitor.DROP_FRACTION);
        checks.add(new Check("not_collapsed", !collapsed && (training.completed() || nonFinite), training.latentStd(),
                threshold, collapsed ? (training.collapseWarning() != null ? training.collapseWarning()
                : training.stopMessage()) + (training.effectiveRank() == null ? ""
                : String.format(Locale.ROOT, " (effective rank %.3f)", training.effectiveRank()))
                : training.completed() ? "latent std at the last epoch end" : "not measured: training stopped"));

        Double success = candidate == null ? null : candidate.successRate();
        String notEvaluated = "not evaluated: training stopped (" + training.stopReason() + ")";
        if (candidate == null) {
            checks.add(new Check("success_vs_promoted", false, null, baseline == null ? null
                    : baseline.successRate() - gate.tolerance(), notEvaluated));
        } else if (baseline == null) {
            checks.add(new Check("success_vs_promoted", true, success, null, "no promoted model yet: nothing to "
                    + "compare with"));
        } else if (!baseline.pairIds().equals(candidate.pairIds())) {
            checks.add(new Check("success_vs_promoted", false, success, baseline.successRate() - gate.tolerance(),
                    "the candidate's pairs differ from those " + baselineName + " was evaluated on: not comparable"));
        } else {
            double t = baseline.successRate() - gate.tolerance();
            checks.add(new Check("success_vs_promoted", success >= t - EPS, success, t, String.format(Locale.ROOT,
                    "%s's success %.4f − tolerance %.4f, on the same %d pairs", baselineName, baseline.successRate(),
                    gate.tolerance(), candidate.pairIds().size())));
        }
        if (gate.minSuccess() != null) {
            checks.add(new Check("min_success", success != null && success >= gate.minSuccess() - EPS, success,
                    gate.minSuccess(), success == null ? notEvaluated : "planner success rate on the benchmark pairs"));
        }
        if (gate.minSuccessNontrivial() != null) {
            Double nt = candidate == null ? null : candidate.successRateNontrivial();
            checks.add(new Check("min_success_nontrivial", nt != null && nt >= gate.minSuccessNontrivial() - EPS, nt,
                    gate.minSuccessNontrivial(), candidate == null ? notEvaluated : nt == null
                    ? "undefined: every benchmark pair is solved at the start" : "success rate on the pairs not "
                    + "solved at the start"));
        }
        if (gate.maxValLoss() != null) {
            Double v = training.valLoss();
            checks.add(new Check("max_val_loss", v != null && v <= gate.maxValLoss(), v, gate.maxValLoss(),
                    v == null ? "no validation loss (no validation split, or training stopped before it)"
                            : "last epoch's validation loss (total)"));
        }
        List<Check> failed = checks.stream().filter(c -> !c.passed()).toList();
        String summary = failed.isEmpty() ? "promoted: every gate check passed"
                : "rejected: " + String.join("; ", failed.stream().map(Gate::describe).toList());
        return new Decision(failed.isEmpty(), checks, summary);
    }

    private static String describe(Check c) {
        String v = number(c.value()), t = number(c.threshold());
        return switch (c.name()) {
            case "finite_loss" -> "non-finite loss (" + c.detail() + ")";
            case "not_collapsed" -> "collapsed (" + c.detail() + ")";
            case "success_vs_promoted" -> c.value() == null || c.threshold() == null ? c.name() + ": " + c.detail()
                    : "success " + v + " < " + t + " (" + c.detail() + ")";
            case "min_success" -> "success " + v + " < floor " + t;
            case "min_success_nontrivial" -> "non-trivial success " + v + " < floor " + t;
            case "max_val_loss" -> "validation loss " + v + " > " + t;
            default -> c.name() + ": " + c.detail();
        };
    }

    /** A number with at most 4 significant digits and no trailing zeros (0.5, 0.6667, 1.2e-4). */
    private static String number(Object o) {
        if (!(o instanceof Double d) || !Double.isFinite(d)) return String.valueOf(o);
        String s = new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toString();
        return s.contains("E") ? s : new java.math.BigDecimal(s).toPlainString();
    }

    /** The decision and the gate's thresholds as decision.json entries (the registry adds version and baseline). */
    public static Map<String, Object> toJson(Decision d, GateConfig gate) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", d.summary());
        m.put("gate", gate.toMap());
        List<Object> checks = new ArrayList<>();
        for (Check c : d.checks()) checks.add(c.toMap());
        m.put("checks", checks);
        return m;
    }
}
