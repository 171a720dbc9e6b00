package io.smwm.data.diagnose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.stats.LatentDiagnostics;
import io.smwm.core.viz.Plots;
import io.smwm.core.model.WorldModel;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.train.MetricsLog;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TableTransitionSource;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code smwm diagnose}: the paper's evidence that a trained latent is action-aligned and not collapsed, measured
 * on held-out episodes (the run's own validation split) of a table.
 *
 * <p>Writes RUN/diagnostics/diagnostics.json with stable keys: {@code latent_std_mean, latent_std_per_dim,
 * effective_rank} (RankMe), {@code significant_components} (explained-variance ratio >= 5%),
 * {@code explained_variance_ratio}, {@code inverse_r2} (h(z_t, z_{t+k}) vs the normalised true action),
 * {@code probe_r2} (ridge linear probe of the controllable task state), {@code probe_r2_full_state},
 * {@code probe_r2_per_feature} (the env's probe features, e.g. angles as cos and sin),
 * {@code latent_share_explained_by_state} and {@code latent_share_unique_per_feature} (the share of the latent's
 * variance, which is what an L2 planning cost weighs, that a quadratic of the probe features explains, and the part
 * only each feature explains, see {@link LatentDiagnostics#explainedLatentShare}),
 * {@code state_inverse_r2} and {@code state_inverse_r2_drop_per_feature} (the data's side: how far a quadratic of the
 * probe features at o_t and o_{t+k} predicts the normalised model action, and how much of that only each feature
 * carries: a feature with a drop near 0 is one the inverse term has no reason to keep, see
 * {@link LatentDiagnostics#actionDependence}),
 * {@code position_probe_r2} (agent position, where the task has one), {@code uncontrolled_probe_r2}
 * (in-scene distractor objects such as dotworld's random dots), {@code distractor_probe_r2} (visual distractor
 * state), {@code pc_controllable_r2} and {@code pc_uncontrolled_r2} (per leading principal component, up to
 * {@value #ATTRIBUTED_COMPONENTS}: held-out R² of its score from a polynomial (degree {@value #ATTRIBUTION_DEGREE},
 * lower where the state has too many numbers for the rows, see {@link #attributionDegree}) of
 * the controllable / uncontrolled state, see {@link LatentDiagnostics#componentR2}; the second only where the task
 * has uncontrolled objects), {@code pc_joint_state_r2} (the same from a polynomial of the whole task state, cross
 * terms included, where the task has uncontrolled objects: a component it explains and neither part alone does is
 * an interaction, e.g. one dot occluding the other), {@code pc_attribution_degree}, {@code n}, {@code episodes}; and PNGs: pca_spectrum.png,
 * training_curves.png, pc_position_x.png and pc_position_y.png (first two principal components coloured by the true position).
 */
public final class RunDiagnostics {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int CHUNK = 256;
    /** Leading principal components attributed to the controllable / uncontrolled state. */
    static final int ATTRIBUTED_COMPONENTS = 8;
    /** Polynomial degree of the attribution fit: cubic catches the curvature harmonics of a tanh embedding. */
    static final int ATTRIBUTION_DEGREE = 3;
    /** Polynomial degree of the latent-variance shares: quadratic keeps the fits small for tasks with many features. */
    static final int SHARE_DEGREE = 2;

    private RunDiagnostics() {}

    /** Runs the diagnostics; returns the values written to diagnostics.json. */
    public static Map<String, Object> run(Path runDir, String tablePath, int maxSamples) throws IOException {
        Path ckptDir = runDir.resolve("checkpoint");
        if (!Files.isDirectory(ckptDir)) {
            throw new UserError("no checkpoint at " + ckptDir + "; train first (smwm train --out " + runDir + ")");
        }
        Checkpoint ckpt = CheckpointIO.load(ckptDir);
        ExperimentConfig cfg = ckpt.config();
        WorldModel model = ckpt.toModel();
        int k = cfg.model().frameskip();
        try (TrajectoryReader reader = TrajectoryReader.open(tablePath)) {
            TableMetadata meta = reader.metadata();
            TrainingData.checkCompatible(meta, cfg, tablePath);
            Environment env = Environments.ids().contains(meta.env().id())
                    ? Environments.create(meta.env().id(), TrainingData.envConfig(meta)) : null;
            EpisodeSplit split = TrainingData.split(meta, cfg);
            boolean useVal = split.validationEpisodes() > 0;
            long heldOut = useVal ? split.validationEpisodes() : meta.episodes();
            long perEpisode = Math.max(1, meta.stepsPerEpisode() + 1 - k);
            int stride = (int) Math.max(1, (heldOut * perEpisode) / Math.max(1, maxSamples));
            RolloutAccuracy rollouts = new RolloutAccuracy(PlannerConfig.cem().horizon(), k, cfg.model().context());
            long windowStarts = meta.stepsPerEpisode() + 1 - rollouts.span();
            int maxWindows = Math.max(8, maxSamples / 4);
            int windowStride = (int) Math.max(1, (heldOut * Math.max(1, windowStarts)) / maxWindows);

            List<float[]> z = new ArrayList<>(), aHat = new ArrayList<>(), aNorm = new ArrayList<>();
            List<float[]> states = new ArrayList<>(), statesK = new ArrayList<>(), dstates = new ArrayList<>();
            List<byte[]> bo = new ArrayList<>(), bok = new ArrayList<>();
            List<float[]> ba = new ArrayList<>();
            long episodes = 0;
            Iterator<Episode> it = reader.episodes();
            while (it.hasNext() && z.size() + bo.size() < maxSamples) {
                Episode e = it.next();
                if (useVal && !split.isValidation(e.episodeIndex())) {
                    continue;
                }
                episodes++;
                for (int t = (int) (e.episodeIndex() % stride); t + k < e.frameCount(); t += stride) {
                    bo.add(TableTransitionSource.contextFrames(e.frames(), t, cfg.model().context(), k));
                    bok.add(e.frames()[t + k]);
                    ba.add(TrainingData.modelAction(e, t, k));
                    states.add(e.states()[t]);
                    statesK.add(e.states()[t + k]);
                    dstates.add(e.distractorStates()[t]);
                    if (bo.size() == CHUNK) {
                        flush(model, bo, bok, ba, z, aHat, aNorm);
                    }
                }
                for (int t = (int) (e.episodeIndex() % windowStride); t + rollouts.span() < e.frameCount()
                        && rollouts.windows() < maxWindows; t += windowStride) {
                    rollouts.add(e, t);
                }
            }
            flush(model, bo, bok, ba, z, aHat, aNorm);
            if (z.size() < 10) {
                throw new UserError("only " + z.size() + " held-out transitions in " + tablePath
                        + "; diagnostics need at least 10 (use a larger table)");
            }
            double[][] zz = toD(z);
            double[][] full = toD(states);
            double[][] controllable = env == null ? full : columns(full, env.controllableStateIndices());
            Map<String, Object> r = new LinkedHashMap<>(LatentDiagnostics.report(zz, toD(aHat), toD(aNorm),
                    controllable, cfg.train().seed()));
            r.put("episodes", episodes);
            r.put("probe_r2_full_state", LatentDiagnostics.ridgeProbeR2(zz, full, 1e-3, 0.2, cfg.train().seed()));
            if (env != null) {
                double[][] feats = new double[states.size()][];
                for (int i = 0; i < feats.length; i++) {
                    feats[i] = env.probeFeatures(states.get(i));
                }
                double[] r2 = LatentDiagnostics.ridgeProbeR2PerColumn(zz, feats, 1e-3, 0.2, cfg.train().seed());
                Map<String, Double> byName = new LinkedHashMap<>();
                for (int j = 0; j < r2.length; j++) {
                    byName.put(env.probeFeatureNames().get(j), r2[j]);
                }
                r.put("probe_r2_per_feature", byName);
                double[][] featsK = new double[statesK.size()][];
                for (int i = 0; i < featsK.length; i++) {
                    featsK[i] = env.probeFeatures(statesK.get(i));
                }
                double[] dep = LatentDiagnostics.actionDependence(toD(aNorm), feats, featsK, SHARE_DEGREE,
                        cfg.train().seed());
                r.put("state_inverse_r2", dep[0]);
                Map<String, Double> drops = new LinkedHashMap<>();
                for (int j = 1; j < dep.length; j++) {
                    drops.put(env.probeFeatureNames().get(j - 1), dep[j]);
                }
                r.put("state_inverse_r2_drop_per_feature", drops);
                r.put("latent_share_explained_by_state", LatentDiagnostics.explainedLatentShare(zz, feats,
                        SHARE_DEGREE, cfg.train().seed()));
                if (feats[0].length >= 2) {
                    double[] unique = LatentDiagnostics.uniqueLatentShares(zz, feats, SHARE_DEGREE, cfg.train().seed());
                    Map<String, Double> shares = new LinkedHashMap<>();
                    for (int j = 0; j < unique.length; j++) {
                        shares.put(env.probeFeatureNames().get(j), unique[j]);
                    }
                    r.put("latent_share_unique_per_feature", shares);
                }
            }
            int[] pos = env == null ? new int[0] : env.positionStateIndices();
            if (pos.length > 0) {
                r.put("position_probe_r2", LatentDiagnostics.ridgeProbeR2(zz, columns(full, pos), 1e-3, 0.2,
                        cfg.train().seed()));
            }
            int[] unc = env == null ? new int[0] : env.uncontrolledStateIndices();
            double[][] uncontrolled = unc.length > 0 ? columns(full, unc) : null;
            if (uncontrolled != null) {
                r.put("uncontrolled_probe_r2", LatentDiagnostics.ridgeProbeR2(zz, uncontrolled, 1e-3, 0.2,
                        cfg.train().seed()));
            }
            if (env != null) {
                double[][] pcs = LatentDiagnostics.principalProjection(zz, ATTRIBUTED_COMPONENTS);
                int degree = attributionDegree(zz.length, full[0].length);
                r.put("pc_attribution_degree", degree);
                r.put("pc_controllable_r2", LatentDiagnostics.componentR2(pcs, controllable, degree,
                        cfg.train().seed()));
                if (uncontrolled != null) {
                    r.put("pc_uncontrolled_r2", LatentDiagnostics.componentR2(pcs, uncontrolled, degree,
                            cfg.train().seed()));
                    r.put("pc_joint_state_r2", LatentDiagnostics.componentR2(pcs, full, degree,
                            cfg.train().seed()));
                }
            }
            if (meta.distractorState().dim() > 0) {
                r.put("distractor_probe_r2", LatentDiagnostics.ridgeProbeR2(zz, toD(dstates), 1e-3, 0.2,
                        cfg.train().seed()));
            }
            r.putAll(rollouts.compute(model, env));
            r.put("table", tablePath);
            r.put("table_fingerprint", meta.fingerprint());
            write(runDir, r, zz, full, pos);
            return r;
        }
    }

    /**
     * The attribution fits' degree: {@value #ATTRIBUTION_DEGREE}, lowered while the polynomial of {@code stateDim}
     * features would have more than a tenth as many terms as there are rows ({@code n}), down to 1 (a cubic of
     * Cube's 22 state numbers has 2,299 terms, more than 3,000 rows can fit).
     */
    static int attributionDegree(int n, int stateDim) {
        int degree = ATTRIBUTION_DEGREE;
        while (degree > 1 && monomialCount(stateDim, degree) * 10L > n) {
            degree--;
        }
        return degree;
    }

    /** C(d + degree, degree) - 1: the number of {@link LatentDiagnostics#polynomialFeatures} columns. */
    static long monomialCount(int d, int degree) {
        long c = 1;
        for (int i = 1; i <= degree; i++) {
            c = c * (d + i) / i;
        }
        return c - 1;
    }

    private static void write(Path runDir, Map<String, Object> r, double[][] z, double[][] full, int[] pos)
            throws IOException {
        Path dir = runDir.resolve("diagnostics");
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".diagnostics", ".json.tmp");
        JSON.writeValue(tmp.toFile(), r);
        Files.move(tmp, dir.resolve("diagnostics.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Plots.pcaSpectrum((double[]) r.get("explained_variance_ratio"), dir.resolve("pca_spectrum.png"));
        Path metrics = runDir.resolve("metrics").resolve("metrics.jsonl");
        if (Files.exists(metrics)) {
            Plots.trainingCurves(MetricsLog.read(metrics), dir.resolve("training_curves.png"));
        }
        if (pos.length >= 2) {
            Plots.pcScatter(z, column(full, pos[0]), "position x", dir.resolve("pc_position_x.png"));
            Plots.pcScatter(z, column(full, pos[1]), "position y", dir.resolve("pc_position_y.png"));
        }
    }

    private static void flush(WorldModel model, List<byte[]> bo, List<byte[]> bok, List<float[]> ba,
                              List<float[]> z, List<float[]> aHat, List<float[]> aNorm) {
        if (bo.isEmpty()) {
            return;
        }
        int c = model.config().context(), d = model.config().latentDim();
        var st = model.encodeContext(bo.toArray(new byte[0][])); // [B, c·d], z_t in the last d columns
        var zt = c == 1 ? st : st.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval((c - 1) * d, c * d)).dup();
        var ztk = model.encode(bok.toArray(new byte[0][]));
        z.addAll(Arrays.asList(zt.toFloatMatrix()));
        aHat.addAll(Arrays.asList(model.inferAction(st, ztk).toFloatMatrix()));
        aNorm.addAll(Arrays.asList(model.normalizer().normalise(ba.toArray(new float[0][]))));
        bo.clear();
        bok.clear();
        ba.clear();
    }

    private static double[][] toD(List<float[]> rows) {
        return LatentDiagnostics.toDouble(rows.toArray(new float[0][]));
    }

    private static double[][] columns(double[][] x, int[] cols) {
        double[][] out = new double[x.length][cols.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                out[i][j] = x[i][cols[j]];
            }
        }
        return out;
    }

    private static double[] column(double[][] x, int c) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i][c];
        }
        return out;
    }
}
