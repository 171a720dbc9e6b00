package io.smwm.core.loss;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named values of the world-model loss on one batch (or a size-weighted mean over batches).
 *
 * @param fwd   L_fwd = mean((g(z_t, a_t) - z_{t+k})²), per-element mean over [B, latentDim]
 * @param inv   L_inv = mean((h(z_t, z_{t+k}) - a_t)²), per-element mean over [B, k·m], a_t normalised
 * @param total L = L_fwd + λ·L_inv
 */
public record LossTerms(double fwd, double inv, double total) {

    /** Term names in the order they are checked and reported. */
    public static final String FWD = "loss_fwd", INV = "loss_inv", TOTAL = "loss_total";

    /** The name of the first term that is NaN or infinite, or null when all are finite. */
    public String firstNonFinite() {
        if (!Double.isFinite(fwd)) return FWD;
        if (!Double.isFinite(inv)) return INV;
        if (!Double.isFinite(total)) return TOTAL;
        return null;
    }

    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(FWD, fwd);
        m.put(INV, inv);
        m.put(TOTAL, total);
        return m;
    }

    /**
     * A metrics row: {@code step}, {@code epoch}, then each term ({@link #asMap()} order), non-finite values as null
     * (JSON has no NaN). Mutable and insertion-ordered, so callers can append their own keys.
     */
    public Map<String, Object> metricsRow(long step, int epoch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("epoch", epoch);
        for (Map.Entry<String, Double> e : asMap().entrySet())
            m.put(e.getKey(), Double.isFinite(e.getValue()) ? e.getValue() : null);
        return m;
    }

    /** Accumulates a weighted mean of terms over batches (weight = batch size). */
    public static final class Mean {
        private double f, i, t, w;

        public void add(LossTerms l, double weight) {
            f += l.fwd * weight;
            i += l.inv * weight;
            t += l.total * weight;
            w += weight;
        }

        public LossTerms mean() {
            if (w == 0) return new LossTerms(Double.NaN, Double.NaN, Double.NaN);
            return new LossTerms(f / w, i / w, t / w);
        }

        public double weight() {
            return w;
        }
    }
}
