package io.smwm.data.diagnose;

import io.smwm.core.env.Environment;
import io.smwm.core.model.WorldModel;
import io.smwm.core.stats.RidgeProbe;
import io.smwm.data.batch.TableTransitionSource;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.Episode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How far g's open-loop rollouts of recorded actions stay with what the encoder sees, over a planning horizon: the
 * model error a planner inherits when it scores a route.
 *
 * <p>A window is H model steps of a held-out episode from frame t: s_0 = f(context at t), the recorded model actions
 * a_0 … a_{H−1} (each k primitive actions), the rollout ẑ_1 … ẑ_H = g(…) from s_0, and the encoder's own latents
 * z_j = f(o_{t+jk}). Reported:
 * <ul>
 *   <li>{@code rollout_latent_error_ratio} [H]: Σ‖ẑ_j − z_j‖² / Σ‖z_j − z_0‖² over the windows, per step j: the share
 *   of the latent's true change over j steps that the rollout gets wrong (1 = no better than predicting no change).</li>
 *   <li>{@code rollout_feature_rmse}: per probe feature of the task (cube position in metres, angles as cos and sin,
 *   …), a ridge probe from latent to feature fitted on the true latents of half of the windows and scored on the
 *   other half at step H: {@code change} (RMS of the feature's true change over the H steps), {@code encoder} (RMSE of
 *   the probe on z_H: what the latent holds) and {@code rollout} (RMSE of the probe on ẑ_H: what g predicts), and the
 *   same three on the quarter of the scored windows where the feature changed most ({@code change_q4},
 *   {@code encoder_q4}, {@code rollout_q4}: the windows where the agent moved it).</li>
 * </ul>
 * A rollout RMSE near the change means g does not predict that feature's motion; near the encoder's, that it does
 * as well as the latent allows.
 */
public final class RolloutAccuracy {
    private static final int CHUNK = 128;
    private static final double PROBE_ALPHA = 1e-3;

    private final int horizon, frameskip, context;
    private final List<byte[]> start = new ArrayList<>();
    private final List<byte[][]> frames = new ArrayList<>();
    private final List<float[][]> actions = new ArrayList<>();
    private final List<float[]> stateStart = new ArrayList<>(), stateEnd = new ArrayList<>();

    /** Windows of {@code horizon} model steps of {@code frameskip} primitive steps, with {@code context} frames. */
    public RolloutAccuracy(int horizon, int frameskip, int context) {
        if (horizon < 1 || frameskip < 1 || context < 1) {
            throw new IllegalArgumentException("horizon, frameskip and context must be ≥ 1, got " + horizon + ", "
                    + frameskip + ", " + context);
        }
        this.horizon = horizon;
        this.frameskip = frameskip;
        this.context = context;
    }

    /** Primitive steps a window spans: H·k; a window from t needs t + H·k ≤ the episode's last frame. */
    public int span() {
        return horizon * frameskip;
    }

    /** Windows added so far. */
    public int windows() {
        return start.size();
    }

    /** Adds the window of episode e from frame t (0 ≤ t, t + H·k < e.frameCount()); keeps references to its frames. */
    public void add(Episode e, int t) {
        if (t < 0 || t + span() >= e.frameCount()) {
            throw new IllegalArgumentException("a window of " + span() + " steps from t=" + t + " does not fit an episode of "
                    + e.frameCount() + " frames");
        }
        start.add(TableTransitionSource.contextFrames(e.frames(), t, context, frameskip));
        byte[][] f = new byte[horizon + 1][];
        float[][] a = new float[horizon][];
        for (int j = 0; j <= horizon; j++) {
            f[j] = e.frames()[t + j * frameskip];
            if (j < horizon) {
                a[j] = TrainingData.modelAction(e, t + j * frameskip, frameskip);
            }
        }
        frames.add(f);
        actions.add(a);
        stateStart.add(e.states()[t]);
        stateEnd.add(e.states()[t + span()]);
    }

    /**
     * Runs the rollouts; returns the keys above ({@code rollout_windows}, {@code rollout_horizon},
     * {@code rollout_latent_error_ratio}, and {@code rollout_feature_rmse} when {@code env} is not null and there
     * are at least 8 windows). Empty when no window was added.
     */
    public Map<String, Object> compute(WorldModel model, Environment env) {
        Map<String, Object> r = new LinkedHashMap<>();
        int n = windows(), d = model.config().latentDim();
        if (n == 0) {
            return r;
        }
        double[][][] zTrue = new double[n][][]; // [window][j = 0..H][d]
        double[][] zHat = new double[n][]; // ẑ_H
        double[] err = new double[horizon], change = new double[horizon];
        for (int from = 0; from < n; from += CHUNK) {
            int b = Math.min(CHUNK, n - from);
            INDArray s0 = model.encodeContext(start.subList(from, from + b).toArray(new byte[0][]));
            byte[][] all = new byte[b * (horizon + 1)][];
            float[][] rawActions = new float[b * horizon][];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j <= horizon; j++) all[i * (horizon + 1) + j] = frames.get(from + i)[j];
                for (int j = 0; j < horizon; j++) rawActions[i * horizon + j] = actions.get(from + i)[j];
            }
            float[][] z = model.encode(all).toFloatMatrix();
            float[][] norm = model.normalizer().normalise(rawActions);
            INDArray aNorm = Nd4j.create(norm).reshape('c', b, horizon, norm[0].length);
            INDArray roll = model.rollout(s0, aNorm); // [b, H, d]
            float[][] zh = roll.reshape('c', (long) b * horizon, d).toFloatMatrix(); // row i·H + j = ẑ_{j+1} of window i
            for (int i = 0; i < b; i++) {
                double[][] zt = new double[horizon + 1][d];
                for (int j = 0; j <= horizon; j++) {
                    for (int q = 0; q < d; q++) zt[j][q] = z[i * (horizon + 1) + j][q];
                }
                zTrue[from + i] = zt;
                for (int j = 0; j < horizon; j++) {
                    float[] p = zh[i * horizon + j];
                    for (int q = 0; q < d; q++) {
                        err[j] += Math.pow(p[q] - zt[j + 1][q], 2);
                        change[j] += Math.pow(zt[j + 1][q] - zt[0][q], 2);
                    }
                    if (j == horizon - 1) {
                        double[] last = new double[d];
                        for (int q = 0; q < d; q++) last[q] = p[q];
                        zHat[from + i] = last;
                    }
                }
            }
            s0.close();
            roll.close();
        }
        double[] ratio = new double[horizon];
        for (int j = 0; j < horizon; j++) ratio[j] = change[j] > 0 ? err[j] / change[j] : Double.NaN;
        r.put("rollout_windows", n);
        r.put("rollout_horizon", horizon);
        r.put("rollout_latent_error_ratio", ratio);
        if (env != null && n >= 8) {
            r.put("rollout_feature_rmse", featureErrors(env, zTrue, zHat));
        }
        return r;
    }

    /** The probe errors of {@code rollout_feature_rmse}: fitted on the even windows' true latents, scored on the odd. */
    private Map<String, Map<String, Double>> featureErrors(Environment env, double[][][] zTrue, double[][] zHat) {
        int n = zTrue.length;
        List<double[]> fitX = new ArrayList<>(), fitY = new ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            double[] f0 = env.probeFeatures(stateStart.get(i)), fH = env.probeFeatures(stateEnd.get(i));
            fitX.add(zTrue[i][0]);
            fitY.add(f0);
            fitX.add(zTrue[i][horizon]);
            fitY.add(fH);
        }
        RidgeProbe probe = RidgeProbe.fit(fitX.toArray(new double[0][]), fitY.toArray(new double[0][]), PROBE_ALPHA);
        int m = n / 2;
        double[][] feat0 = new double[m][], featH = new double[m][], encH = new double[m][], rollH = new double[m][];
        for (int i = 1, s = 0; s < m; i += 2, s++) {
            feat0[s] = env.probeFeatures(stateStart.get(i));
            featH[s] = env.probeFeatures(stateEnd.get(i));
            encH[s] = zTrue[i][horizon];
            rollH[s] = zHat[i];
        }
        double[][] pEnc = probe.apply(encH), pRoll = probe.apply(rollH);
        List<String> names = env.probeFeatureNames();
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (int q = 0; q < names.size(); q++) {
            double[] moved = new double[m];
            for (int s = 0; s < m; s++) moved[s] = Math.abs(featH[s][q] - feat0[s][q]);
            double[] sorted = moved.clone();
            Arrays.sort(sorted);
            double q4 = sorted[(int) Math.floor(0.75 * (m - 1))];
            double[] all = new double[6];
            int top = 0;
            for (int s = 0; s < m; s++) {
                double ch = Math.pow(featH[s][q] - feat0[s][q], 2), en = Math.pow(pEnc[s][q] - featH[s][q], 2),
                        ro = Math.pow(pRoll[s][q] - featH[s][q], 2);
                all[0] += ch;
                all[1] += en;
                all[2] += ro;
                if (moved[s] >= q4) {
                    all[3] += ch;
                    all[4] += en;
                    all[5] += ro;
                    top++;
                }
            }
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("change", Math.sqrt(all[0] / m));
            row.put("encoder", Math.sqrt(all[1] / m));
            row.put("rollout", Math.sqrt(all[2] / m));
            row.put("change_q4", Math.sqrt(all[3] / top));
            row.put("encoder_q4", Math.sqrt(all[4] / top));
            row.put("rollout_q4", Math.sqrt(all[5] / top));
            out.put(names.get(q), row);
        }
        return out;
    }
}
