package io.smwm.core.stats;

import io.smwm.core.viz.Plots;
import io.smwm.core.eval.DiagnosticsReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.config.LossConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.testing.MovingSquare;
import io.smwm.core.train.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class LatentDiagnosticsTest {

    /** N points with {@code k} uniform factors mixed into d dims by a random rotation-like matrix, plus tiny noise. */
    static double[][] embedded(int n, int k, int d, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] mix = new double[k][d];
        for (int i = 0; i < k; i++) { // orthonormal rows via Gram-Schmidt
            for (int j = 0; j < d; j++) mix[i][j] = r.nextGaussian();
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += mix[i][j] * mix[p][j];
                for (int j = 0; j < d; j++) mix[i][j] -= dot * mix[p][j];
            }
            double norm = 0;
            for (int j = 0; j < d; j++) norm += mix[i][j] * mix[i][j];
            for (int j = 0; j < d; j++) mix[i][j] /= Math.sqrt(norm);
        }
        double[][] z = new double[n][d];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < k; i++) {
                double f = r.nextDouble() * 2 - 1;
                for (int j = 0; j < d; j++) z[s][j] += f * mix[i][j];
            }
            for (int j = 0; j < d; j++) z[s][j] += noise * r.nextGaussian();
        }
        return z;
    }

    @Test
    void fourFactorsIn16Dims_fourSignificantComponents_effectiveRankNearFour() {
        double[][] z = embedded(2000, 4, 16, 1e-3, 1);
        double[] ratio = LatentDiagnostics.explainedVarianceRatio(z);
        assertEquals(4, LatentDiagnostics.significantComponents(ratio, LatentDiagnostics.SIGNIFICANT_RATIO));
        assertEquals(1.0, java.util.Arrays.stream(ratio).sum(), 1e-9);
        double er = LatentDiagnostics.effectiveRank(z);
        assertTrue(er > 3.7 && er < 4.6, "effective rank " + er);
        assertEquals(6, LatentDiagnostics.significantComponents(
                LatentDiagnostics.explainedVarianceRatio(embedded(3000, 6, 16, 1e-3, 2)), LatentDiagnostics.SIGNIFICANT_RATIO));
    }

    @Test
    void collapsedLatents_zeroStdZeroComponentsRankOne() {
        double[][] z = new double[100][8];
        for (double[] r : z) java.util.Arrays.fill(r, 0.3);
        assertEquals(0.0, LatentDiagnostics.meanStd(z), 1e-12);
        assertEquals(0, LatentDiagnostics.significantComponents(LatentDiagnostics.explainedVarianceRatio(z), 0.05));
        assertEquals(1.0, LatentDiagnostics.effectiveRank(z), 1e-9);
    }

    @Test
    void ridgeProbe_linearTargetHighR2_noiseTargetNearZero() {
        double[][] z = embedded(1000, 3, 8, 1e-2, 3);
        SplittableRandom r = new SplittableRandom(4);
        double[][] lin = new double[z.length][2], noise = new double[z.length][1];
        for (int i = 0; i < z.length; i++) {
            lin[i][0] = 2 * z[i][0] - z[i][3] + 0.5;
            lin[i][1] = z[i][5] + 0.01 * r.nextGaussian();
            noise[i][0] = r.nextGaussian();
        }
        assertTrue(LatentDiagnostics.ridgeProbeR2(z, lin, 1e-3, 0.2, 7) > 0.98);
        assertTrue(Math.abs(LatentDiagnostics.ridgeProbeR2(z, noise, 1e-3, 0.2, 7)) < 0.1);
        assertEquals(1.0, LatentDiagnostics.inverseR2(lin, lin), 1e-12);
    }

    @Test
    void report_writesJsonWithStableKeysAndPngPlots(@TempDir Path out) throws Exception {
        var cfg = MovingSquare.tinyConfig(16);
        WorldModel m = WorldModel.of(cfg, new LossConfig(1), Normalizer.identity(2, 1),
                WorldModelGraph.build(cfg, new LossConfig(1), 5).flatParams());
        Map<String, Object> r = DiagnosticsReport.write(m, MovingSquare.transitions(16, 64, 5), 1, out);
        JsonNode j = new ObjectMapper().readTree(out.resolve("diagnostics.json").toFile());
        for (String k : List.of("latent_std_mean", "effective_rank", "significant_components", "inverse_r2", "probe_r2"))
            assertTrue(j.has(k), "missing key " + k);
        assertEquals(r.get("significant_components"), j.get("significant_components").asInt());
        MetricsLog log = MetricsLog.none();
        log.write("train", Map.of("step", 1, "loss_total", 1.0, "loss_fwd", 0.5, "loss_inv", 0.05));
        log.write("train", Map.of("step", 2, "loss_total", 0.8, "loss_fwd", 0.4, "loss_inv", 0.04));
        Plots.trainingCurves(log.rows(), out.resolve("curves.png"));
        for (String png : List.of("pca_spectrum.png", "pc_scatter.png", "curves.png")) {
            byte[] b = Files.readAllBytes(out.resolve(png));
            assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', png + " is not a PNG");
        }
    }

    @Test
    void tinyButStructuredLatent_countsAsCollapsed_zeroSignificantComponents() {
        double[][] z = embedded(500, 3, 8, 1e-3, 5);
        for (double[] r : z) {
            for (int j = 0; j < r.length; j++) {
                r[j] *= 1e-4; // three clear factors, but far below the collapse threshold
            }
        }
        var rep = LatentDiagnostics.report(z, null, null, null, 1);
        assertEquals(true, rep.get("collapsed"));
        assertEquals(0, rep.get("significant_components"));
        var healthy = LatentDiagnostics.report(embedded(500, 3, 8, 1e-3, 5), null, null, null, 1);
        assertEquals(false, healthy.get("collapsed"));
        assertEquals(3, healthy.get("significant_components"));
    }

    @Test
    void polynomialFeatures_countsEveryMonomialUpToTheDegree() {
        double[][] x = {{1, 2, 3}, {2, 0, 1}, {0, 1, 5}};
        assertEquals(9, LatentDiagnostics.polynomialFeatures(new double[][] {{1, 2}, {3, 5}, {0, 1}}, 3)[0].length);
        assertEquals(9, LatentDiagnostics.polynomialFeatures(x, 2)[0].length, "3 linear + 6 quadratic");
        assertEquals(19, LatentDiagnostics.polynomialFeatures(x, 3)[0].length, "+ 10 cubic");
        assertThrows(IllegalArgumentException.class, () -> LatentDiagnostics.polynomialFeatures(x, 0));
    }

    @Test
    void polynomialFeatures_clipAFewExtremeRows() {
        // 99 rows at 0 and one at 1: standardised, the spike is at about 9.95 standard deviations
        double[][] x = new double[100][1];
        x[99][0] = 1;
        double[][] f = LatentDiagnostics.polynomialFeatures(x, 2);
        assertEquals(4.0, f[99][0], 1e-12, "clipped to 4 standard deviations");
        assertEquals(16.0, f[99][1], 1e-12, "and its square from the clipped value");
        assertEquals(-0.1005, f[0][0], 1e-4, "the other rows as standardised");
    }

    /**
     * z holds x, 0.8·y, the harmonic x² − 1/3 of a controlled position and 0.2·ux of an uncontrolled one (in that
     * order of variance): a cubic of the controlled state explains the first three principal components, including
     * the harmonic that a linear fit misses, and the uncontrolled state explains only the fourth.
     */
    @Test
    void componentR2_separatesControlledHarmonicsFromDistractorLeakage() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 2000;
        double[][] ctrl = new double[n][2], unc = new double[n][2], z = new double[n][6];
        for (int i = 0; i < n; i++) {
            double x = r.nextDouble(-1, 1), y = r.nextDouble(-1, 1), ux = r.nextDouble(-1, 1), uy = r.nextDouble(-1, 1);
            ctrl[i] = new double[] {x, y};
            unc[i] = new double[] {ux, uy};
            z[i] = new double[] {x, 0.8 * y, x * x - 1.0 / 3, 0.2 * ux, 0, 0};
            for (int j = 0; j < 6; j++) z[i][j] += 1e-3 * r.nextGaussian();
        }
        double[][] pcs = LatentDiagnostics.principalProjection(z, 4);
        double[] c3 = LatentDiagnostics.componentR2(pcs, ctrl, 3, 1);
        double[] c1 = LatentDiagnostics.componentR2(pcs, ctrl, 1, 1);
        double[] u3 = LatentDiagnostics.componentR2(pcs, unc, 3, 1);
        assertEquals(4, c3.length);
        for (int c = 0; c < 3; c++) {
            assertTrue(c3[c] > 0.99, "PC" + (c + 1) + " is a function of the controlled state: " + c3[c]);
            assertTrue(u3[c] < 0.05, "PC" + (c + 1) + " owes nothing to the distractor: " + u3[c]);
        }
        assertTrue(c1[0] > 0.99 && c1[1] > 0.99, "x and y are linear: " + c1[0] + ", " + c1[1]);
        assertTrue(c1[2] < 0.05, "the harmonic is not linear in the state: " + c1[2]);
        assertTrue(c3[3] < 0.05, "PC4 is not controlled: " + c3[3]);
        assertTrue(u3[3] > 0.99, "PC4 is the distractor: " + u3[3]);
    }

    /**
     * Two independent factors mixed into a 6-D latent, one at 1/30 of the other's scale: a probe finds both (R² near
     * 1), while the latent-variance shares are their squared scales' parts, b²/(a² + b²), as a closed form gives.
     */
    @Test
    void latentShares_seeAScaleAProbeDoesNot() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 3000;
        double a = 3, b = 0.1;
        double[][] x = new double[n][2], z = new double[n][6];
        for (int i = 0; i < n; i++) {
            double u = r.nextGaussian(), v = r.nextGaussian();
            x[i][0] = u;
            x[i][1] = v;
            // orthogonal directions: (1,1,1,0,0,0)/√3 and (0,0,0,1,-1,1)/√3, plus a little noise
            for (int j = 0; j < 3; j++) z[i][j] = a * u / Math.sqrt(3) + 1e-4 * r.nextGaussian();
            for (int j = 3; j < 6; j++) z[i][j] = (j == 4 ? -1 : 1) * b * v / Math.sqrt(3) + 1e-4 * r.nextGaussian();
        }
        double[] probe = LatentDiagnostics.ridgeProbeR2PerColumn(z, x, 1e-6, 0.2, 1);
        assertTrue(probe[0] > 0.99 && probe[1] > 0.99, "both factors are in the latent: " + probe[0] + ", " + probe[1]);
        assertEquals(1.0, LatentDiagnostics.explainedLatentShare(z, x, 1, 1), 1e-3);
        double[] unique = LatentDiagnostics.uniqueLatentShares(z, x, 1, 1);
        assertEquals(a * a / (a * a + b * b), unique[0], 2e-3);
        assertEquals(b * b / (a * a + b * b), unique[1], 2e-4);
        assertTrue(unique[1] < 0.002, "the small factor is about a thousandth of the distance: " + unique[1]);
        // a factor the latent does not hold explains nothing; a latent without variance gives 0
        double[][] w = new double[n][1];
        for (int i = 0; i < n; i++) w[i][0] = r.nextGaussian();
        assertEquals(0.0, LatentDiagnostics.explainedLatentShare(z, w, 2, 1), 0.01);
        assertEquals(0.0, LatentDiagnostics.explainedLatentShare(new double[n][3], x, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LatentDiagnostics.uniqueLatentShares(z, w, 1, 1));
    }
    @Test
    void actionDependence_findsTheFeaturesTheActionsNeedAndNoOther() {
        SplittableRandom r = new SplittableRandom(9);
        int n = 4000;
        double[][] start = new double[n][3], end = new double[n][3], a = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                start[i][j] = r.nextGaussian();
                end[i][j] = r.nextGaussian();
            }
            // action 0: feature 0's change (variance 2); action 1: a product of feature 1 at both ends (variance 1);
            // feature 2 plays no part; noise of std 0.1 on both
            a[i][0] = end[i][0] - start[i][0] + 0.1 * r.nextGaussian();
            a[i][1] = start[i][1] * end[i][1] + 0.1 * r.nextGaussian();
        }
        double[] d = LatentDiagnostics.actionDependence(a, start, end, 2, 3);
        double r0 = 2 / 2.01, r1 = 1 / 1.01;
        assertEquals((r0 + r1) / 2, d[0], 0.01);
        assertEquals(r0 / 2, d[1], 0.01, "without feature 0 action 0 is noise");
        assertEquals(r1 / 2, d[2], 0.01, "without feature 1 action 1 is noise");
        assertEquals(0.0, d[3], 0.005, "feature 2 carries nothing");
        // a linear fit cannot see the product: feature 1 then looks useless
        assertEquals(0.0, LatentDiagnostics.actionDependence(a, start, end, 1, 3)[2], 0.01);
        assertThrows(IllegalArgumentException.class,
                () -> LatentDiagnostics.actionDependence(a, start, new double[n - 1][3], 2, 3));
    }
}
