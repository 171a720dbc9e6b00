package io.smwm.core.stats;

import io.smwm.core.util.Seeds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Representation diagnostics of a latent matrix Z [N, d] (rows z = f(o) for N held-out frames).
 *
 * <ul>
 *   <li><b>latent std</b>: per-dimension population std of Z; {@code latent_std_mean} is their mean. Collapse → 0.</li>
 *   <li><b>effective rank</b> (RankMe, Garrido et al. 2023): with σ_1..σ_d the singular values of the column-centred
 *   Z, p_i = σ_i / Σσ_j + ε (ε = 1e-7) and erank = exp(-Σ p_i log p_i); in [1, d]; 1 for a line, ~d for isotropic.
 *   A collapsed Z (all σ ≈ 0) gives 1 by convention.</li>
 *   <li><b>PCA spectrum</b>: explained-variance ratios λ_i / Σλ_j of the covariance eigenvalues, descending.</li>
 *   <li><b>significant components</b>: the number of principal components whose explained-variance ratio is at least
 *   {@link #SIGNIFICANT_RATIO} (5 %). Rationale: controllable factors in the dot worlds have comparable variance
 *   (≥ 1/6 each for the 6-D combined world), while curvature of the tanh embedding and distractor leakage put only a
 *   few percent into further components; a 1 % cut counts that leakage. Expected (the paper's representation analysis): 4 / 2 / 2 / 6 for
 *   independent / coupled / distractor / combined. A collapsed Z (total variance below {@link #COLLAPSE_VARIANCE})
 *   has 0 significant components.</li>
 *   <li><b>inverse R² per action dimension</b> ({@code inverse_r2_per_dim}): which controllable factors the latent
 *   carries. The PCA count alone cannot tell: a latent that encodes ONE dot of the independent world nonlinearly
 *   (tanh) shows 3-4 components of ≥ 5 % (the dot's x, y and their curvature harmonics) while the other dot's
 *   action dimensions have R² ≈ 0 (seen in PyTorch and Java runs; notebooks/gpu_crosscheck/README.md).</li>
 *   <li><b>component attribution</b> ({@link #componentR2}): for each leading principal component, the held-out R²
 *   of its score from a polynomial of a state block (the controllable state, the uncontrolled objects). A component
 *   explained by a polynomial of the controllable state but not linearly is a curvature harmonic of what the agent
 *   controls; one explained by the uncontrolled state is distractor leakage.</li>
 * </ul>
 */
public final class LatentDiagnostics {
    public static final double SIGNIFICANT_RATIO = 0.05;
    public static final double COLLAPSE_VARIANCE = 1e-10;
    /**
     * Mean per-dimension latent std under which the embedding counts as collapsed (issue acceptance: 1e-3): the
     * spectrum of such a latent is noise around one point, so it reports 0 significant components.
     */
    public static final double COLLAPSE_STD = 1e-3;

    private LatentDiagnostics() {}

    /** Per-dimension population std of z [N][d]. */
    public static double[] perDimStd(double[][] z) {
        double[] mu = Linalg.colMeans(z);
        double[] sd = new double[mu.length];
        for (double[] r : z) for (int j = 0; j < mu.length; j++) sd[j] += Math.pow(r[j] - mu[j], 2);
        for (int j = 0; j < mu.length; j++) sd[j] = Math.sqrt(sd[j] / z.length);
        return sd;
    }

    public static double meanStd(double[][] z) {
        return Arrays.stream(perDimStd(z)).average().orElse(Double.NaN);
    }

    /** Covariance eigenvalues (population), descending. */
    public static double[] covarianceEigenvalues(double[][] z) {
        double[][] g = Linalg.centredGram(z);
        double[] ev = Linalg.symmetricEigenvalues(g);
        for (int i = 0; i < ev.length; i++) ev[i] /= z.length;
        return ev;
    }

    /** Projection of the centred z onto its first {@code k} principal components, [N][k]. */
    public static double[][] principalProjection(double[][] z, int k) {
        double[][][] e = Linalg.eigen(Linalg.centredGram(z));
        double[] mu = Linalg.colMeans(z);
        int d = mu.length;
        k = Math.min(k, d);
        double[][] out = new double[z.length][k];
        for (int i = 0; i < z.length; i++)
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += (z[i][j] - mu[j]) * e[1][j][c];
                out[i][c] = s;
            }
        return out;
    }

    /** Explained-variance ratios, descending (all zeros for a collapsed Z). */
    public static double[] explainedVarianceRatio(double[][] z) {
        double[] ev = covarianceEigenvalues(z);
        double tot = Arrays.stream(ev).sum();
        double[] r = new double[ev.length];
        if (tot < COLLAPSE_VARIANCE) return r;
        for (int i = 0; i < ev.length; i++) r[i] = ev[i] / tot;
        return r;
    }

    /** RankMe effective rank (see class doc). */
    public static double effectiveRank(double[][] z) {
        double[] ev = covarianceEigenvalues(z);
        double[] sv = new double[ev.length];
        double sum = 0;
        for (int i = 0; i < ev.length; i++) {
            sv[i] = Math.sqrt(ev[i] * z.length);
            sum += sv[i];
        }
        if (sum < Math.sqrt(COLLAPSE_VARIANCE)) return 1.0;
        double h = 0;
        for (double s : sv) {
            double p = s / sum + 1e-7;
            h -= p * Math.log(p);
        }
        return Math.exp(h);
    }

    /** Number of components with explained-variance ratio ≥ {@code ratio}. */
    public static int significantComponents(double[] explainedRatio, double ratio) {
        int n = 0;
        for (double r : explainedRatio) if (r >= ratio) n++;
        return n;
    }

    /**
     * Ridge linear probe: fits target ≈ [z, 1]·W on a seeded random (1 - testFraction) of rows with penalty
     * {@code alpha}·‖W‖² (bias not penalised: z and target are centred on the train rows), returns the mean per-column
     * R² on the held-out rows (columns with no held-out variance left out).
     */
    public static double ridgeProbeR2(double[][] z, double[][] target, double alpha, double testFraction, long seed) {
        double sum = 0;
        int cols = 0;
        for (double r : ridgeProbeR2PerColumn(z, target, alpha, testFraction, seed)) {
            if (Double.isNaN(r)) continue;
            sum += r;
            cols++;
        }
        return cols == 0 ? Double.NaN : sum / cols;
    }

    /** {@link #ridgeProbeR2} per target column: one fit, [target columns] held-out R² (NaN: no held-out variance). */
    public static double[] ridgeProbeR2PerColumn(double[][] z, double[][] target, double alpha, double testFraction,
                                                 long seed) {
        if (z.length != target.length) throw new IllegalArgumentException("z and target need the same rows");
        int n = z.length, nTest = Math.max(1, (int) Math.round(n * testFraction));
        if (n - nTest < 2) throw new IllegalArgumentException("need at least 2 training rows, got " + (n - nTest));
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "probe-split"));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[][] zt = new double[n - nTest][], yt = new double[n - nTest][], zs = new double[nTest][], ys = new double[nTest][];
        for (int i = 0; i < n; i++) {
            if (i < nTest) {
                zs[i] = z[perm[i]];
                ys[i] = target[perm[i]];
            } else {
                zt[i - nTest] = z[perm[i]];
                yt[i - nTest] = target[perm[i]];
            }
        }
        double[][] pred = RidgeProbe.fit(zt, yt, alpha).apply(zs);
        return Linalg.r2PerColumn(pred, ys);
    }

    /**
     * All monomials of total degree 1..{@code degree} of the column-standardised x [N][d] (no constant term), in a
     * fixed order: [N][C(d + degree, degree) - 1]. Constant columns standardise to 0. Standardised values are clipped
     * to ±{@value #CLIP_SD}: a feature that is near zero in most rows and spikes in a few (a velocity at a contact)
     * would otherwise give monomials in the hundreds, and one such held-out row decides a fit's R².
     */
    public static double[][] polynomialFeatures(double[][] x, int degree) {
        if (degree < 1) throw new IllegalArgumentException("degree must be >= 1, got " + degree);
        int n = x.length, d = x[0].length;
        double[] mu = Linalg.colMeans(x), sd = perDimStd(x);
        double[][] xs = new double[n][d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) xs[i][j] = sd[j] > 0 ? clip((x[i][j] - mu[j]) / sd[j]) : 0;
        List<int[]> monomials = new ArrayList<>();
        monomials(d, degree, 0, new int[0], monomials);
        double[][] f = new double[n][monomials.size()];
        for (int i = 0; i < n; i++)
            for (int m = 0; m < monomials.size(); m++) {
                double v = 1;
                for (int j : monomials.get(m)) v *= xs[i][j];
                f[i][m] = v;
            }
        return f;
    }

    /** Standardised values beyond this many standard deviations are clipped in {@link #polynomialFeatures}. */
    static final double CLIP_SD = 4;

    private static double clip(double v) {
        return Math.max(-CLIP_SD, Math.min(CLIP_SD, v));
    }

    /** Appends every non-decreasing index tuple of length 1..left starting at index {@code from}, extending prefix. */
    private static void monomials(int d, int left, int from, int[] prefix, List<int[]> out) {
        if (left == 0) return;
        for (int j = from; j < d; j++) {
            int[] m = Arrays.copyOf(prefix, prefix.length + 1);
            m[prefix.length] = j;
            out.add(m);
            monomials(d, left - 1, j, m, out);
        }
    }

    /**
     * Component attribution: for each column of {@code pcScores} [N][c] (from {@link #principalProjection}), the
     * held-out R² ({@link #ridgeProbeR2PerColumn}: alpha 1e-3, 20 % test rows, seeded; one fit for all columns) of that
     * score from {@link #polynomialFeatures} of {@code state} [N][s] up to {@code degree}; [c]. Near 1: the component
     * is a function of that state; near 0: it is not.
     */
    public static double[] componentR2(double[][] pcScores, double[][] state, int degree, long seed) {
        if (pcScores.length != state.length) throw new IllegalArgumentException("scores and state need the same rows");
        return ridgeProbeR2PerColumn(polynomialFeatures(state, degree), pcScores, 1e-3, 0.2, seed);
    }

    /**
     * Share of the latent's total variance (the trace of its covariance: half the mean squared L2 distance between
     * two random latents, which is what an L2 planning cost weighs) that a polynomial of {@code x} explains:
     * Σ_j max(0, R²_j)·var(z_j) / Σ_j var(z_j), R²_j being the held-out R² of latent column j from
     * {@link #polynomialFeatures}(x, degree) ({@link #ridgeProbeR2PerColumn}: alpha 1e-3, 20 % test rows, seeded).
     * A probe can find a factor that the latent holds at a tiny scale (high probe R²) while this share stays near 0:
     * then a distance in the latent hardly sees it. z [N][d], x [N][s]; 0 when z has no variance.
     */
    public static double explainedLatentShare(double[][] z, double[][] x, int degree, long seed) {
        if (z.length != x.length) throw new IllegalArgumentException("z and x need the same rows");
        double[] r2 = ridgeProbeR2PerColumn(polynomialFeatures(x, degree), z, 1e-3, 0.2, seed);
        double[] sd = perDimStd(z);
        double explained = 0, total = 0;
        for (int j = 0; j < sd.length; j++) {
            double v = sd[j] * sd[j];
            total += v;
            if (!Double.isNaN(r2[j])) explained += Math.max(0, r2[j]) * v;
        }
        return total > 0 ? explained / total : 0;
    }

    /**
     * For each column j of x [N][s]: {@link #explainedLatentShare} of all columns minus that of all columns but j, the
     * part of the latent's variance only column j accounts for (correlated columns share theirs, so the parts need not
     * add up to the whole); [s]. Needs s &gt;= 2.
     */
    public static double[] uniqueLatentShares(double[][] z, double[][] x, int degree, long seed) {
        int s = x[0].length;
        if (s < 2) throw new IllegalArgumentException("need at least 2 columns, got " + s);
        double all = explainedLatentShare(z, x, degree, seed);
        double[] out = new double[s];
        for (int j = 0; j < s; j++) {
            double[][] rest = new double[x.length][s - 1];
            for (int i = 0; i < x.length; i++) {
                for (int c = 0, o = 0; c < s; c++) {
                    if (c != j) rest[i][o++] = x[i][c];
                }
            }
            out[j] = all - explainedLatentShare(z, rest, degree, seed);
        }
        return out;
    }

    /**
     * How far the actions are a function of the true state at both ends of a transition, and how much of that only
     * each state feature carries: what the inverse term can ask a latent to keep, measured on the data alone.
     *
     * <p>{@code actions} [N][c] (the model actions, e.g. z-scored), {@code start} and {@code end} [N][s] (the same s
     * features at o_t and at o_{t+k}). Fits the actions from {@link #polynomialFeatures} of [start, end] up to
     * {@code degree} (ridge, alpha 1, 20 % held-out rows, seeded; {@link #ridgeProbeR2PerColumn}) and returns [s + 1]:
     * element 0 is the mean held-out R² over action columns with every feature, element 1 + j that R² minus the R²
     * without feature j at both ends (correlated features share their part, so the drops need not add up). A drop
     * near 0 says no inverse model, however good its input, gains from that feature on these data.
     */
    public static double[] actionDependence(double[][] actions, double[][] start, double[][] end, int degree,
                                            long seed) {
        if (actions.length != start.length || start.length != end.length) {
            throw new IllegalArgumentException("actions, start and end need the same rows");
        }
        int s = start[0].length;
        double[] out = new double[s + 1];
        out[0] = ridgeProbeR2(polynomialFeatures(bothEnds(start, end, -1), degree), actions, 1.0, 0.2, seed);
        for (int j = 0; j < s; j++) {
            double without = s == 1 ? 0
                    : ridgeProbeR2(polynomialFeatures(bothEnds(start, end, j), degree), actions, 1.0, 0.2, seed);
            out[1 + j] = out[0] - without;
        }
        return out;
    }

    /** [start, end] side by side without column {@code skip} of either (none when skip is negative); [N][2s or 2s-2]. */
    private static double[][] bothEnds(double[][] start, double[][] end, int skip) {
        int s = start[0].length, w = skip < 0 ? 2 * s : 2 * s - 2;
        double[][] x = new double[start.length][w];
        for (int i = 0; i < start.length; i++) {
            for (int c = 0, o = 0; c < s; c++) {
                if (c == skip) continue;
                x[i][o] = start[i][c];
                x[i][o + w / 2] = end[i][c];
                o++;
            }
        }
        return x;
    }

    /** Mean per-dimension R² of predicted actions â [N][k·m] against true actions a [N][k·m] (same space). */
    public static double inverseR2(double[][] predicted, double[][] actual) {
        return Linalg.r2(predicted, actual);
    }

    /** The standard report; {@code actionsHat}/{@code actions}/{@code states} may be null (those keys are then absent). */
    public static Map<String, Object> report(double[][] z, double[][] actionsHat, double[][] actions, double[][] states,
                                             long seed) {
        double[] ratio = explainedVarianceRatio(z);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", z.length);
        m.put("latent_dim", z[0].length);
        m.put("latent_std_mean", meanStd(z));
        m.put("latent_std_per_dim", perDimStd(z));
        m.put("effective_rank", effectiveRank(z));
        boolean collapsed = meanStd(z) < COLLAPSE_STD;
        m.put("collapsed", collapsed);
        m.put("significant_components", collapsed ? 0 : significantComponents(ratio, SIGNIFICANT_RATIO));
        m.put("significant_ratio_threshold", SIGNIFICANT_RATIO);
        m.put("explained_variance_ratio", ratio);
        if (actionsHat != null && actions != null) {
            m.put("inverse_r2", inverseR2(actionsHat, actions));
            m.put("inverse_r2_per_dim", Linalg.r2PerColumn(actionsHat, actions));
        }
        if (states != null) m.put("probe_r2", ridgeProbeR2(z, states, 1e-3, 0.2, seed));
        return m;
    }

    public static double[][] toDouble(float[][] x) {
        double[][] d = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            d[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) d[i][j] = x[i][j];
        }
        return d;
    }
}
