package io.smwm.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.eval.report.ReportWriter;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.plan.oracle.TwoRoomOracleModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Pairs already solved at the start, and the statistics that leave them out, from episodes to report.json. */
class PairStatsTest {
    static final Supplier<Environment> TWOROOM = () -> Environments.create("tworoom", EnvConfig.defaults());
    static final float[] START = {0.2f, 0.25f};
    /** Within the success radius (16/224 = 0.071) of START: solved before any action. */
    static final float[] NEAR = {0.22f, 0.25f};
    /** 25 steps of (0.2, 0.8) from START in the open left room: 0.515 away, reachable, not by chance. */
    static final float[] FAR = {0.325f, 0.75f};

    static StartGoalPair pair(String id, float[] goal) {
        Environment env = TWOROOM.get();
        env.reset(0);
        env.setState(goal);
        return new StartGoalPair(id, START.clone(), new float[0], env.render(), goal.clone(), 25);
    }

    /** A source that always yields the two hand-made pairs. */
    static PairSource handMade() {
        return new PairSource() {
            @Override
            public int goalOffset() {
                return 25;
            }

            @Override
            public List<StartGoalPair> sample(int n, long seed) {
                return List.of(pair("solved", NEAR), pair("open", FAR));
            }

            @Override
            public String description() {
                return "hand-made";
            }
        };
    }

    static double dist(float[] a, float[] b) {
        double dx = (double) a[0] - b[0], dy = (double) a[1] - b[1];
        return Math.sqrt(dx * dx + dy * dy);
    }

    static EpisodeRecord record(boolean success, int successStep, double error) {
        return new EpisodeRecord("cem", 25, 50, "p", success, successStep, 50, 0, 0, 0, 1, new double[] {1},
                new float[51], null, new double[] {1}, Double.NaN, Double.NaN, successStep == 0, Map.of("agent_distance", error), null, null, null, null);
    }

    @Test
    void evaluator_handMadePairs_oneSolvedAtStart_countsTrivialAndNontrivialExactly() throws Exception {
        EvalConfig cfg = EvalConfig.defaults().withEpisodes(2).withSeed(4);
        EvaluationReport rep = new Evaluator(TWOROOM, new TwoRoomOracleModel(), cfg)
                .evaluate(PlannerConfig.cem().withIterations(10), List.of(handMade()));
        MethodResult cem = rep.results().get(0), random = rep.results().get(1);
        double meanError = (dist(START, NEAR) + dist(START, FAR)) / 2;
        for (MethodResult r : List.of(cem, random)) {
            PairStats ps = r.pairStats();
            assertEquals(2, r.episodes());
            assertEquals(1, ps.trivialPairs(), r.method() + ": the pair solved at the start, for every method");
            assertEquals(1, ps.nontrivialPairs(), r.method());
            assertEquals(List.of("agent_distance"), List.copyOf(ps.meanStartGoalError().keySet()));
            assertEquals(meanError, ps.meanStartGoalError().get("agent_distance"), 1e-12);
            assertEquals(r.successes() - 1, ps.successesNontrivial());
        }
        // the oracle plans the open route; random cannot walk 0.5 in 50 steps of at most 0.035
        assertEquals(2, cem.successes());
        assertEquals(1.0, cem.successRate());
        assertEquals(1, cem.pairStats().successesNontrivial());
        assertEquals(1.0, cem.pairStats().successRateNontrivial());
        assertEquals(0.0, cem.pairStats().stderrNontrivial());
        assertEquals(1, random.successes());
        assertEquals(0.5, random.successRate(), "the trivial pair inflates random to 50 %");
        assertEquals(0, random.pairStats().successesNontrivial());
        assertEquals(0.0, random.pairStats().successRateNontrivial());
        assertEquals(String.format(java.util.Locale.ROOT, "cem    offset 25: 2/2 = 100.0 %% ± 0.0 (non-trivial "
                + "1/1 = 100.0 %% ± 0.0); 1 pair solved at start; mean start-goal error agent_distance %.4g",
                meanError), cem.describe());
        for (EpisodeRecord e : rep.episodes()) {
            boolean solved = e.pairId().equals("solved");
            assertEquals(solved, e.solvedAtStart(), e.method() + " " + e.pairId());
            assertEquals(solved, e.successStep() == 0, e.method() + " " + e.pairId());
            assertEquals(solved || e.method().equals("cem"), e.success(), e.method() + " " + e.pairId());
            assertEquals(dist(START, solved ? NEAR : FAR), e.startGoalError().get("agent_distance"), 1e-12);
        }

        Map<String, Object> tree = ReportWriter.toJson(rep, Map.of("seed", 4), Map.of());
        JsonNode root = new ObjectMapper().valueToTree(tree);
        JsonNode rc = root.get("results").get(0), rr = root.get("results").get(1);
        List<String> keys = new ArrayList<>();
        rc.fieldNames().forEachRemaining(keys::add);
        assertTrue(keys.containsAll(List.of("trivial_pairs", "nontrivial_pairs", "successes_nontrivial",
                "success_rate_nontrivial", "stderr_nontrivial", "mean_start_goal_error")), keys.toString());
        assertEquals(1, rc.get("trivial_pairs").asInt());
        assertEquals(1, rc.get("nontrivial_pairs").asInt());
        assertEquals(1, rc.get("successes_nontrivial").asInt());
        assertEquals(1.0, rc.get("success_rate_nontrivial").asDouble());
        assertEquals(0.0, rc.get("stderr_nontrivial").asDouble());
        assertEquals(meanError, rc.get("mean_start_goal_error").get("agent_distance").asDouble(), 1e-12);
        assertEquals(0, rr.get("successes_nontrivial").asInt());
        assertEquals(0.0, rr.get("success_rate_nontrivial").asDouble());
        assertEquals(0.5, rr.get("success_rate").asDouble());
        for (JsonNode e : root.get("episodes")) {
            boolean solved = e.get("pair_id").asText().equals("solved");
            assertEquals(solved, e.get("solved_at_start").asBoolean());
            assertEquals(dist(START, solved ? NEAR : FAR), e.get("start_goal_error").get("agent_distance").asDouble(),
                    1e-12);
        }
        String md = ReportWriter.markdown(rep, Map.of());
        assertTrue(md.contains("| non-trivial success % | non-trivial successes / pairs | solved at start | mean "
                + "start-goal error |"), md);
        assertTrue(md.contains("| random | 25 | 50 | 50.0 | 35.4 | 1 / 2 | 0.0 ± 0.0 | 0 / 1 | 1 | agent_distance "),
                md);
    }

    @Test
    void of_countsTrivialPairsAndTheRateOnTheOthers() {
        List<EpisodeRecord> eps = List.of(record(true, 0, 0.01), record(true, 0, 0.03), record(true, 7, 0.2),
                record(false, -1, 0.4), record(false, -1, 0.5));
        MethodResult r = MethodResult.of("cem", 25, 50, eps);
        PairStats ps = r.pairStats();
        assertEquals(3, r.successes());
        assertEquals(2, ps.trivialPairs());
        assertEquals(3, ps.nontrivialPairs());
        assertEquals(1, ps.successesNontrivial());
        assertEquals(1 / 3.0, ps.successRateNontrivial(), 1e-15);
        assertEquals(Math.sqrt((1 / 3.0) * (2 / 3.0) / 3), ps.stderrNontrivial(), 1e-15);
        assertEquals((0.01 + 0.03 + 0.2 + 0.4 + 0.5) / 5, ps.meanStartGoalError().get("agent_distance"), 1e-15);
    }

    @Test
    void of_onlyTrivialPairs_hasNoNontrivialRate_andReportsNull() {
        MethodResult r = MethodResult.of("random", 25, 50, List.of(record(true, 0, 0.01), record(true, 0, 0.02)));
        assertEquals(0, r.pairStats().nontrivialPairs());
        assertTrue(Double.isNaN(r.pairStats().successRateNontrivial()));
        assertTrue(Double.isNaN(r.pairStats().stderrNontrivial()));
        EvaluationReport rep = new EvaluationReport(List.of(r), List.of(), List.of(), new LinkedHashMap<>());
        JsonNode res = new ObjectMapper().valueToTree(ReportWriter.toJson(rep, Map.of(), Map.of())).get("results")
                .get(0);
        assertTrue(res.get("success_rate_nontrivial").isNull(), res.toString());
        assertTrue(res.get("stderr_nontrivial").isNull(), res.toString());
        assertEquals(2, res.get("trivial_pairs").asInt());
        assertTrue(r.describe().contains("(non-trivial none); 2 pairs solved at start"), r.describe());
        assertFalse(ReportWriter.markdown(rep, Map.of()).contains("NaN"));
    }

    @Test
    void record_solvedAtStartMustAgreeWithSuccessStepZero() {
        assertThrows(IllegalArgumentException.class, () -> new EpisodeRecord("cem", 25, 50, "p", true, 3, 50, 0, 0,
                0, 1, new double[0], new float[51], null, new double[0], Double.NaN, Double.NaN, true, Map.of("d", 0.1), null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new EpisodeRecord("cem", 25, 50, "p", true, 0, 50, 0, 0,
                0, 1, new double[0], new float[51], null, new double[0], Double.NaN, Double.NaN, false, Map.of("d", 0.1), null, null, null, null));
    }

    @Test
    void successByStartError_cutsThePairsIntoQuartilesByEachComponent() {
        List<EpisodeRecord> eps = new ArrayList<>();
        // start errors 8, 7, ..., 1 (given in reverse); the pairs with errors up to 3 are solved, one of them at the start
        for (int e = 8; e >= 1; e--) {
            boolean ok = e <= 3;
            eps.add(record(ok, !ok ? -1 : e == 1 ? 0 : 10, e));
        }
        List<PairStats.ErrorBin> bins = PairStats.of(eps).successByStartError().get("agent_distance");
        assertEquals(4, bins.size());
        int[][] expected = {{1, 2, 2}, {3, 4, 1}, {5, 6, 0}, {7, 8, 0}};
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i][0], bins.get(i).from(), 0);
            assertEquals(expected[i][1], bins.get(i).to(), 0);
            assertEquals(2, bins.get(i).pairs());
            assertEquals(expected[i][2], bins.get(i).successes(), "bin " + i);
        }
        assertEquals(0.5, bins.get(1).successRate(), 0);
        assertEquals("by start agent_distance (from 1.00 / 3.00 / 5.00 / 7.00): 2/2 1/2 0/2 0/2",
                PairStats.of(eps).describeSuccessByStartError());
        // fewer pairs than bins: one bin per pair; no pairs: no bins
        assertEquals(2, PairStats.of(eps.subList(0, 2)).successByStartError().get("agent_distance").size());
        assertTrue(PairStats.of(List.of()).successByStartError().isEmpty());
    }
}
