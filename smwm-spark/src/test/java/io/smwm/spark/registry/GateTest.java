package io.smwm.spark.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.util.UserError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The promotion gate on hand-made evaluation reports and training outcomes: every check passing and failing. */
class GateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PAIRS = List.of("ep000001@t3", "ep000004@t0", "ep000007@t9", "ep000009@t2");
    private static final TrainingOutcome OK = new TrainingOutcome(true, null, null, 2, 0.05, 0.07, 0.12, 5.1, null);

    /** A report.json tree as ReportWriter writes it: cem and random rows, episodes with pair ids. */
    static JsonNode report(double cemSuccess, Double nontrivial, List<String> pairs) {
        StringBuilder eps = new StringBuilder();
        for (String m : List.of("cem", "random")) {
            for (String id : pairs) {
                eps.append(eps.length() == 0 ? "" : ",").append("{\"method\":\"").append(m)
                        .append("\",\"goal_offset\":25,\"pair_id\":\"").append(id).append("\",\"success\":true}");
            }
        }
        String json = "{\"schema\":\"smwm.eval.report\",\"results\":["
                + "{\"method\":\"cem\",\"goal_offset\":25,\"episodes\":" + pairs.size() + ",\"success_rate\":" + cemSuccess
                + ",\"success_rate_nontrivial\":" + nontrivial + "},"
                + "{\"method\":\"random\",\"goal_offset\":25,\"episodes\":" + pairs.size() + ",\"success_rate\":0.99,"
                + "\"success_rate_nontrivial\":0.99}],\"episodes\":[" + eps + "]}";
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static BenchmarkResult result(double success, Double nontrivial) {
        return BenchmarkResult.fromReport(report(success, nontrivial, PAIRS), "cem", 25, "test");
    }

    private static Gate.Check check(Gate.Decision d, String name) {
        return d.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void reportIsReadForThePlannerAtTheOffset() {
        BenchmarkResult r = result(0.75, 0.5);
        assertEquals("cem", r.method());
        assertEquals(0.75, r.successRate());
        assertEquals(0.5, r.successRateNontrivial());
        assertEquals(PAIRS, r.pairIds(), "only the planner's episodes, in report order");
        assertNull(result(0.75, null).successRateNontrivial());
        assertThrows(UserError.class, () -> BenchmarkResult.fromReport(report(0.5, 0.5, PAIRS), "mppi", 25, "t"));
        assertThrows(UserError.class, () -> BenchmarkResult.fromReport(report(0.5, 0.5, PAIRS), "cem", 40, "t"));
    }

    @Test
    void firstCandidate_noPromotedModel_isPromotedWhenTrainingWasSound() {
        Gate.Decision d = Gate.decide(GateConfig.DEFAULTS, OK, result(0.25, 0.25), null, null);
        assertTrue(d.promote(), d.summary());
        assertEquals(List.of("finite_loss", "not_collapsed", "success_vs_promoted"),
                d.checks().stream().map(Gate.Check::name).toList(), "no floors unless configured");
        Gate.Check s = check(d, "success_vs_promoted");
        assertTrue(s.passed());
        assertNull(s.threshold());
        assertTrue(s.detail().contains("no promoted model"), s.detail());
    }

    @Test
    void successVersusPromoted_holdsWithinTheTolerance_andFailsBelowIt() {
        GateConfig g = new GateConfig(0.25, null, null, null);
        Gate.Decision equal = Gate.decide(g, OK, result(0.5, 0.5), "v1", result(0.75, 0.75));
        assertTrue(equal.promote(), "0.5 >= 0.75 - 0.25 (the boundary counts): " + equal.summary());
        assertEquals(0.5, (Double) check(equal, "success_vs_promoted").threshold(), 1e-12);

        Gate.Decision below = Gate.decide(g, OK, result(0.25, 0.25), "v1", result(0.75, 0.75));
        assertFalse(below.promote());
        Gate.Check s = check(below, "success_vs_promoted");
        assertFalse(s.passed());
        assertEquals(0.25, (Double) s.value());
        assertEquals(0.5, (Double) s.threshold(), 1e-12);
        assertTrue(below.summary().startsWith("rejected: success 0.25 < 0.5"), below.summary());
        assertTrue(s.detail().contains("v1"), s.detail());

        Gate.Decision strict = Gate.decide(new GateConfig(0, null, null, null), OK, result(0.5, 0.5), "v1",
                result(0.75, 0.75));
        assertFalse(strict.promote(), "tolerance 0: any drop rejects");
        assertTrue(Gate.decide(new GateConfig(0, null, null, null), OK, result(1.0, 1.0), "v1", result(0.75, 0.75))
                .promote(), "better is promoted");
    }

    @Test
    void otherPairs_areNotComparable() {
        BenchmarkResult other = BenchmarkResult.fromReport(report(0.75, 0.75, List.of("ep000001@t3", "ep000004@t0",
                "ep000007@t9", "ep000009@t5")), "cem", 25, "t");
        Gate.Decision d = Gate.decide(GateConfig.DEFAULTS, OK, result(1.0, 1.0), "v1", other);
        assertFalse(d.promote());
        assertTrue(check(d, "success_vs_promoted").detail().contains("pairs differ"), d.summary());
    }

    @Test
    void nonFiniteLoss_isRejected_withoutEvaluation() {
        TrainingOutcome nan = new TrainingOutcome(false, TrainingOutcome.NON_FINITE_LOSS, "training stopped at step 7 "
                + "(epoch 1): non-finite loss_fwd", 0, null, null, null, null, null);
        Gate.Decision d = Gate.decide(GateConfig.DEFAULTS, nan, null, "v1", result(0.5, 0.5));
        assertFalse(d.promote());
        Gate.Check f = check(d, "finite_loss");
        assertFalse(f.passed());
        assertTrue(f.detail().contains("loss_fwd"), f.detail());
        assertTrue(check(d, "not_collapsed").passed(), "not what failed");
        Gate.Check s = check(d, "success_vs_promoted");
        assertFalse(s.passed());
        assertTrue(s.detail().startsWith("not evaluated"), s.detail());
        assertTrue(d.summary().contains("non-finite loss"), d.summary());
    }

    @Test
    void collapse_isRejected_whetherTrainingStoppedOnIt_orOnlyWarned() {
        TrainingOutcome stopped = new TrainingOutcome(false, TrainingOutcome.COLLAPSE, "training stopped after epoch 1: "
                + "the collapse monitor flagged collapse", 1, null, 0.0001, 0.0, 1.0,
                "latent std 0.00e+00 below 1e-03: representation collapsed");
        Gate.Decision d = Gate.decide(GateConfig.DEFAULTS, stopped, null, null, null);
        assertFalse(d.promote());
        Gate.Check c = check(d, "not_collapsed");
        assertFalse(c.passed());
        assertEquals(0.0, (Double) c.value());
        assertTrue(c.detail().contains("representation collapsed"), c.detail());
        assertTrue(check(d, "finite_loss").passed());
        assertTrue(d.summary().startsWith("rejected: collapsed"), d.summary());

        TrainingOutcome warned = new TrainingOutcome(true, null, null, 3, 0.01, 0.02, 0.2, 1.2,
                "effective rank fell to 1.20 from a best of 4.00");
        Gate.Decision w = Gate.decide(GateConfig.DEFAULTS, warned, result(1.0, 1.0), "v1", result(0.5, 0.5));
        assertFalse(w.promote(), "a warning of the last epoch rejects even with better success");
        assertTrue(check(w, "success_vs_promoted").passed());
        assertFalse(check(w, "not_collapsed").passed());
    }

    @Test
    void floors_applyOnlyWhenSet_andEachCanFail() {
        GateConfig floors = new GateConfig(0.05, 0.6, 0.5, 0.1);
        Gate.Decision pass = Gate.decide(floors, OK, result(0.75, 0.5), null, null);
        assertTrue(pass.promote(), pass.summary());
        assertEquals(6, pass.checks().size());
        assertEquals(0.6, check(pass, "min_success").threshold());

        Gate.Decision lowSuccess = Gate.decide(floors, OK, result(0.5, 0.5), null, null);
        assertEquals(List.of("min_success"), lowSuccess.failed().stream().map(Gate.Check::name).toList());
        assertTrue(lowSuccess.summary().contains("success 0.5 < floor 0.6"), lowSuccess.summary());

        Gate.Decision lowNontrivial = Gate.decide(floors, OK, result(0.75, 0.25), null, null);
        assertEquals(List.of("min_success_nontrivial"), lowNontrivial.failed().stream().map(Gate.Check::name).toList());
        Gate.Decision undefined = Gate.decide(floors, OK, result(0.75, null), null, null);
        assertFalse(check(undefined, "min_success_nontrivial").passed(), "a floor that cannot be measured fails");

        TrainingOutcome highLoss = new TrainingOutcome(true, null, null, 2, 0.05, 0.3, 0.12, 5.1, null);
        Gate.Decision loss = Gate.decide(floors, highLoss, result(0.75, 0.5), null, null);
        assertEquals(List.of("max_val_loss"), loss.failed().stream().map(Gate.Check::name).toList());
        assertEquals(0.3, check(loss, "max_val_loss").value());
        TrainingOutcome noVal = new TrainingOutcome(true, null, null, 2, 0.05, null, 0.12, 5.1, null);
        assertFalse(Gate.decide(floors, noVal, result(0.75, 0.5), null, null).promote(),
                "no validation loss to hold to the ceiling");
    }

    @Test
    void decisionJson_listsEveryCheckWithValueAndThreshold() {
        Gate.Decision d = Gate.decide(new GateConfig(0.1, 0.2, null, null), OK, result(0.5, 0.5), "v2",
                result(0.75, 0.75));
        Map<String, Object> json = Gate.toJson(d, new GateConfig(0.1, 0.2, null, null));
        JsonNode tree = JSON.valueToTree(json);
        assertEquals(d.summary(), tree.get("summary").asText());
        assertEquals(0.1, tree.get("gate").get("tolerance").asDouble());
        assertTrue(tree.get("gate").get("maxValLoss").isNull());
        assertEquals(4, tree.get("checks").size());
        for (JsonNode c : tree.get("checks")) {
            for (String k : List.of("check", "passed", "value", "threshold", "detail")) assertTrue(c.has(k), k + ": " + c);
        }
        JsonNode s = tree.get("checks").get(2);
        assertEquals("success_vs_promoted", s.get("check").asText());
        assertFalse(s.get("passed").asBoolean());
        assertEquals(0.65, s.get("threshold").asDouble(), 1e-12);
    }

    @Test
    void gateConfig_yaml_defaultsKeysAndErrors() {
        assertEquals(GateConfig.DEFAULTS, GateConfig.parse("", "empty"));
        assertEquals(new GateConfig(0.02, 0.5, null, 0.3),
                GateConfig.parse("tolerance: 0.02\nminSuccess: 0.5\nminSuccessNontrivial: null\nmaxValLoss: 0.3\n", "g"));
        assertEquals(new GateConfig(0.05, null, 0.4, null), GateConfig.parse("minSuccessNontrivial: 0.4", "g"));
        UserError unknown = assertThrows(UserError.class, () -> GateConfig.parse("tolerence: 0.1", "g.yaml"));
        assertTrue(unknown.getMessage().contains("unknown key 'tolerence'")
                && unknown.getMessage().contains("minSuccessNontrivial"), unknown.getMessage());
        assertTrue(assertThrows(UserError.class, () -> GateConfig.parse("tolerance: 1.5", "g")).getMessage()
                .contains("tolerance must be in [0, 1]"));
        assertTrue(assertThrows(UserError.class, () -> GateConfig.parse("minSuccess: high", "g")).getMessage()
                .contains("minSuccess must be a number"));
        assertTrue(assertThrows(UserError.class, () -> GateConfig.parse("maxValLoss: -1", "g")).getMessage()
                .contains("maxValLoss"));
        assertThrows(UserError.class, () -> GateConfig.parse("[1, 2]", "g"));
        assertThrows(UserError.class, () -> GateConfig.parse("tolerance: [", "g"));
    }
}
