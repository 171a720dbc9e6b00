package io.smwm.core.loss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named values of the world-model loss on one batch (or a size-weighted mean over batches).
 *
 * @param fwd   L_fwd = mean((g(z_t, a_t) - z_{t+k})²), per-element mean over [B, latentDim]
 * @param inv   L_inv = mean((h(z_t, z_{t+k}) - a_t)²), per-element mean over [B, k·m], a_t normalised (reported by
 *              every method, weighted by λ only where the method has the inverse term)
 * @param total L, the method's objective (L_fwd + λ·L_inv for {@code smwm})
 * @param extra the method's further terms by name, unweighted, in {@link #EXTRA} order: {@link #SIGREG} for
 *              {@code sigreg}, {@link #VAR} and {@link #COV} for {@code vicreg-idm}; empty for {@code smwm} and
 *              {@code forward} (see {@link WorldModelLoss}); {@link #ROLL} with {@code loss.rolloutSteps} &gt; 1
 */
public record LossTerms(double fwd, double inv, double total, Map<String, Double> extra) {

    /** Term names in the order they are checked and reported. */
    public static final String FWD = "loss_fwd", INV = "loss_inv", TOTAL = "loss_total";
    /** Names of the terms only some methods have: SIGReg, the VICReg variance hinge and covariance term. */
    public static final String SIGREG = "loss_sigreg", VAR = "loss_var", COV = "loss_cov";
    /** The open-loop rollout error of g ({@code loss.rolloutSteps} &gt; 1, any method). */
    public static final String ROLL = "loss_roll";
    /** Every possible extra term, in report order. */
    public static final List<String> EXTRA = List.of(SIGREG, VAR, COV, ROLL);

    public LossTerms {
        Map<String, Double> ordered = new LinkedHashMap<>();
        if (extra != null) {
            for (String k : extra.keySet())
                if (!EXTRA.contains(k)) throw new IllegalArgumentException("unknown loss term " + k + "; extra terms: "
                        + EXTRA);
            for (String k : EXTRA) if (extra.containsKey(k)) ordered.put(k, extra.get(k));
        }
        extra = Collections.unmodifiableMap(ordered);
    }

    /** The terms of a method without extra terms ({@code smwm}, {@code forward}). */
    public LossTerms(double fwd, double inv, double total) {
        this(fwd, inv, total, Map.of());
    }

    /** Every term as NaN (no value: an empty validation split), with the extra terms of {@code names}. */
    public static LossTerms missing(List<String> names) {
        double[] v = new double[names.size()];
        java.util.Arrays.fill(v, Double.NaN);
        return of(names, v);
    }

    /**
     * Terms from their names and values in the same order ({@link #names()} / {@link #values()} of another instance):
     * {@link #FWD}, {@link #INV} and {@link #TOTAL} must be among them.
     */
    public static LossTerms of(List<String> names, double[] values) {
        if (names.size() != values.length)
            throw new IllegalArgumentException(names.size() + " term names for " + values.length + " values");
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) m.put(names.get(i), values[i]);
        for (String k : List.of(FWD, INV, TOTAL))
            if (!m.containsKey(k)) throw new IllegalArgumentException("terms " + names + " lack " + k);
        Map<String, Double> extra = new LinkedHashMap<>(m);
        extra.remove(FWD);
        extra.remove(INV);
        extra.remove(TOTAL);
        return new LossTerms(m.get(FWD), m.get(INV), m.get(TOTAL), extra);
    }

    /** Extra term {@code name}'s value, or NaN when this method has no such term. */
    public double term(String name) {
        Double v = extra.get(name);
        return v == null ? Double.NaN : v;
    }

    /** The name of the first term that is NaN or infinite, or null when all are finite. */
    public String firstNonFinite() {
        for (Map.Entry<String, Double> e : asMap().entrySet()) if (!Double.isFinite(e.getValue())) return e.getKey();
        return null;
    }

    /** Every term by name: {@link #FWD}, {@link #INV}, the extra terms, {@link #TOTAL}. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(FWD, fwd);
        m.put(INV, inv);
        m.putAll(extra);
        m.put(TOTAL, total);
        return m;
    }

    /** The names of {@link #asMap()}, in order. */
    public List<String> names() {
        return new ArrayList<>(asMap().keySet());
    }

    /** The values of {@link #asMap()}, in order. */
    public double[] values() {
        return asMap().values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The terms other than the total for a log line, {@code "fwd 0.01234, inv 0.56789"} (then e.g.
     * {@code ", sigreg 1.23456"}): each name without its {@code loss_} prefix, five decimals.
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : asMap().entrySet()) {
            if (e.getKey().equals(TOTAL)) continue;
            if (s.length() > 0) s.append(", ");
            s.append(e.getKey().substring("loss_".length())).append(' ').append(String.format("%.5f", e.getValue()));
        }
        return s.toString();
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

    /** Accumulates a weighted mean of terms over batches (weight = batch size), term by term. */
    public static final class Mean {
        private final Map<String, double[]> sums = new LinkedHashMap<>();
        private double w;

        public void add(LossTerms l, double weight) {
            for (Map.Entry<String, Double> e : l.asMap().entrySet())
                sums.computeIfAbsent(e.getKey(), k -> new double[1])[0] += e.getValue() * weight;
            w += weight;
        }

        public LossTerms mean() {
            if (w == 0) return new LossTerms(Double.NaN, Double.NaN, Double.NaN);
            List<String> names = new ArrayList<>(sums.keySet());
            double[] v = new double[names.size()];
            for (int i = 0; i < v.length; i++) v[i] = sums.get(names.get(i))[0] / w;
            return of(names, v);
        }

        public double weight() {
            return w;
        }
    }
}
