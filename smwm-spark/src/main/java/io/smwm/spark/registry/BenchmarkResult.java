package io.smwm.spark.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One model's result on the benchmark pairs, as the gate compares it: read from an evaluation report
 * ({@code report.json}), the planner's row at the benchmark's goal offset and the ids of the pairs it planned.
 *
 * @param method                the planner ("cem", "mppi")
 * @param goalOffset            the benchmark's goal offset
 * @param episodes              pairs planned
 * @param successRate           share of pairs solved, in [0, 1]
 * @param successRateNontrivial share of the pairs not solved at the start that were solved; null when every pair was
 * @param pairIds               the pairs' ids in report order ("ep000012@t40")
 */
public record BenchmarkResult(String method, int goalOffset, int episodes, double successRate,
                              Double successRateNontrivial, List<String> pairIds) {
    /** Reports are a few megabytes; anything larger is refused before parsing. */
    static final long MAX_REPORT_BYTES = 512L << 20;

    public BenchmarkResult {
        pairIds = List.copyOf(pairIds);
    }

    /** Reads {@code report.json}. */
    public static BenchmarkResult read(Path reportJson, String method, int goalOffset) {
        try {
            if (Files.size(reportJson) > MAX_REPORT_BYTES)
                throw new UserError("report " + reportJson + " is larger than " + MAX_REPORT_BYTES + " bytes");
            return fromReport(new ObjectMapper().readTree(Files.readAllBytes(reportJson)), method, goalOffset,
                    reportJson.toString());
        } catch (IOException e) {
            throw new UserError("cannot read the evaluation report " + reportJson + ": " + e.getMessage());
        }
    }

    /** The planner's result at {@code goalOffset} in a report tree; {@code label} names it in errors. */
    public static BenchmarkResult fromReport(JsonNode report, String method, int goalOffset, String label) {
        JsonNode row = null;
        for (JsonNode r : report.path("results")) {
            if (method.equals(r.path("method").asText()) && r.path("goal_offset").asInt(-1) == goalOffset) row = r;
        }
        if (row == null || !row.path("success_rate").isNumber() || !row.path("episodes").canConvertToInt())
            throw new UserError("report " + label + " has no result for " + method + " at goal offset " + goalOffset);
        double rate = row.get("success_rate").asDouble();
        if (!(rate >= 0 && rate <= 1)) throw new UserError("report " + label + ": success_rate " + rate);
        JsonNode nt = row.path("success_rate_nontrivial");
        List<String> ids = new ArrayList<>();
        for (JsonNode e : report.path("episodes")) {
            if (method.equals(e.path("method").asText()) && e.path("goal_offset").asInt(-1) == goalOffset)
                ids.add(e.path("pair_id").asText());
        }
        return new BenchmarkResult(method, goalOffset, row.get("episodes").asInt(), rate,
                nt.isNumber() ? nt.asDouble() : null, ids);
    }
}
