package io.smwm.spark.registry;

import io.smwm.core.train.EpochSummary;
import io.smwm.core.train.TrainResult;
import io.smwm.core.train.TrainingStoppedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a candidate's training ended, as the gate reads it: completed, or stopped by a non-finite loss or by the
 * collapse monitor; the last epoch's losses and collapse reading (null where unknown).
 *
 * @param completed       trained every epoch
 * @param stopReason      null when completed, else "non_finite_loss" or "collapse"
 * @param stopMessage     the trainer's message when stopped, else null
 * @param epochs          epochs whose end was reached (the collapsed one included)
 * @param trainLoss       the last completed epoch's mean training loss (total), or null
 * @param valLoss         the last epoch's validation loss (total), or null (no validation split, or unknown)
 * @param latentStd       the collapse monitor's latent std at the last epoch end, or null
 * @param effectiveRank   its effective rank, or null
 * @param collapseWarning its warning at the last epoch end, or null when all was well
 */
public record TrainingOutcome(boolean completed, String stopReason, String stopMessage, int epochs, Double trainLoss,
                              Double valLoss, Double latentStd, Double effectiveRank, String collapseWarning) {
    public static final String NON_FINITE_LOSS = "non_finite_loss", COLLAPSE = "collapse";

    /** A training that ran every epoch. */
    public static TrainingOutcome of(TrainResult r) {
        EpochSummary last = r.last();
        return new TrainingOutcome(true, null, null, r.epochs().size(), finite(last.train().total()),
                finite(last.val().total()), finite(last.collapse().latentStd()),
                finite(last.collapse().effectiveRank()), last.collapse().warning());
    }

    /**
     * A training that stopped on a non-finite loss or on collapse; the last epoch's reading comes from the run's
     * {@code metrics/metrics.jsonl} (its last {@code val} row), when there is one.
     *
     * @throws IllegalArgumentException for other stops (a failed job is not a verdict on the model)
     */
    public static TrainingOutcome stopped(TrainingStoppedException e, Path runDir) {
        String reason = switch (e.reason()) {
            case NON_FINITE_LOSS -> NON_FINITE_LOSS;
            case COLLAPSE -> COLLAPSE;
            default -> throw new IllegalArgumentException("not a verdict on the model: " + e.getMessage());
        };
        Map<String, Object> val = lastRow(runDir.resolve("metrics").resolve("metrics.jsonl"), "val");
        int epochs = val == null ? 0 : ((Number) val.getOrDefault("epoch", 0)).intValue();
        return new TrainingOutcome(false, reason, e.getMessage(), epochs, null, number(val, "loss_total"),
                number(val, "latent_std"), number(val, "effective_rank"),
                val == null || val.get("warning") == null ? null : val.get("warning").toString());
    }

    /** The fields for provenance.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("completed", completed);
        m.put("stop_reason", stopReason);
        m.put("stop_message", stopMessage);
        m.put("epochs", epochs);
        m.put("train_loss", trainLoss);
        m.put("val_loss", valLoss);
        m.put("latent_std", latentStd);
        m.put("effective_rank", effectiveRank);
        m.put("collapse_warning", collapseWarning);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Double number(Map<String, Object> row, String key) {
        return row != null && row.get(key) instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue()
                : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lastRow(Path metrics, String kind) {
        if (!Files.isRegularFile(metrics)) return null;
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Object> last = null;
        try {
            List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.isBlank() || !line.contains("\"" + kind + "\"")) continue;
                Map<String, Object> row = json.readValue(line, Map.class);
                if (kind.equals(row.get("kind"))) last = row;
            }
        } catch (IOException e) {
            return last;
        }
        return last;
    }
}
