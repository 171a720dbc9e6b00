package io.smwm.core.train;

import io.smwm.core.stats.LatentDiagnostics;
import io.smwm.core.model.WorldModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Watches for representation collapse (the λ = 0 failure mode): after each epoch, encodes a fixed held-out sample of
 * frames and records the mean per-dim latent std and the RankMe effective rank ({@link LatentDiagnostics}). Warns
 * when either falls below {@link #DROP_FRACTION} of its best value so far, or the std below {@link #STD_FLOOR}.
 * The reference rank is the best rank among the epochs whose latent was formed: std ≥ {@link #STD_FLOOR} and ≥
 * {@link #DROP_FRACTION} of the best std so far. A near-collapsed early latent (tiny isotropic noise) has a high
 * effective rank that says nothing about the representation, and must not make every later epoch look like a fall.
 * Each check also counts the significant principal components (explained-variance ratio ≥
 * {@link LatentDiagnostics#SIGNIFICANT_RATIO}, the same rule as {@code smwm diagnose}) on the same frames, so the
 * spectrum can be followed epoch by epoch; with a few hundred frames it is a coarse reading of diagnose's count.
 */
public final class CollapseMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(CollapseMonitor.class);
    public static final double DROP_FRACTION = 0.5;
    public static final double STD_FLOOR = 1e-3;

    private final byte[][] frames;
    private final List<Check> history = new ArrayList<>();
    private double bestStd = 0;

    /**
     * One epoch's reading; {@code warning} is null when all is well. {@code explainedRatio} holds the PCA
     * explained-variance ratios in decreasing order (empty when not measured); {@code significantComponents} counts
     * those ≥ {@link LatentDiagnostics#SIGNIFICANT_RATIO} (-1 when not measured).
     */
    public record Check(int epoch, double latentStd, double effectiveRank, int significantComponents,
                        double[] explainedRatio, String warning) {
        /** A reading with nothing measured (no held-out frames). */
        public static Check unmeasured(int epoch) {
            return new Check(epoch, Double.NaN, Double.NaN, -1, new double[0], null);
        }

        /** The first {@code n} explained-variance ratios (fewer when there are fewer), for logs and metrics. */
        public double[] topRatios(int n) {
            return java.util.Arrays.copyOf(explainedRatio, Math.min(n, explainedRatio.length));
        }
    }

    /** @param frames held-out uint8 HWC frames (a few hundred is plenty) */
    public CollapseMonitor(byte[][] frames) {
        if (frames.length < 2) throw new IllegalArgumentException("need at least 2 held-out frames, got " + frames.length);
        this.frames = frames;
    }

    public Check check(int epoch, WorldModel model) {
        return check(epoch, model::encode);
    }

    /** As {@link #check(int, WorldModel)} with any encoder f: uint8 HWC frames [B][S·S·C] -> z [B, latentDim]. */
    public Check check(int epoch, java.util.function.Function<byte[][], org.nd4j.linalg.api.ndarray.INDArray> encoder) {
        double[][] z = LatentDiagnostics.toDouble(encoder.apply(frames).toFloatMatrix());
        double std = LatentDiagnostics.meanStd(z), rank = LatentDiagnostics.effectiveRank(z);
        double[] ratio = LatentDiagnostics.explainedVarianceRatio(z);
        int significant = LatentDiagnostics.significantComponents(ratio, LatentDiagnostics.SIGNIFICANT_RATIO);
        double refStd = Math.max(bestStd, std), bestRank = 0;
        for (Check h : history) {
            if (h.latentStd() >= STD_FLOOR && h.latentStd() >= DROP_FRACTION * refStd) bestRank = Math.max(bestRank, h.effectiveRank());
        }
        String warning = null;
        if (std < STD_FLOOR) warning = String.format("latent std %.2e below %.0e: representation collapsed", std, STD_FLOOR);
        else if (std < DROP_FRACTION * bestStd)
            warning = String.format("latent std fell to %.4f from a best of %.4f", std, bestStd);
        else if (rank < DROP_FRACTION * bestRank)
            warning = String.format("effective rank fell to %.2f from a best of %.2f", rank, bestRank);
        if (warning != null) LOG.warn("epoch {}: possible collapse: {}", epoch, warning);
        else LOG.info("epoch {}: latent std {}, effective rank {}, {} significant components (PCA {})", epoch,
                String.format("%.4f", std), String.format("%.2f", rank), significant, formatRatios(ratio, 8));
        bestStd = refStd;
        Check c = new Check(epoch, std, rank, significant, ratio, warning);
        history.add(c);
        return c;
    }

    private static String formatRatios(double[] r, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Math.min(n, r.length); i++) b.append(i == 0 ? "" : ", ").append(String.format("%.3f", r[i]));
        return b.append(r.length > n ? ", …]" : "]").toString();
    }

    public List<Check> history() {
        return List.copyOf(history);
    }
}
