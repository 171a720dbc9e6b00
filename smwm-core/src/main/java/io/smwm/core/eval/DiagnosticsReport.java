package io.smwm.core.eval;

import io.smwm.core.viz.Plots;
import io.smwm.core.stats.LatentDiagnostics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.core.model.WorldModel;
import io.smwm.core.train.TransitionBatch;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs {@link LatentDiagnostics} for a model on a held-out sample of transitions and writes
 * {@code diagnostics.json} (stable keys: latent_std_mean, effective_rank, significant_components, inverse_r2,
 * probe_r2, plus n, latent_dim, inverse_r2_per_dim (one R² per model-action dimension), latent_std_per_dim,
 * explained_variance_ratio, significant_ratio_threshold) and PNG
 * plots: pca_spectrum.png and, with states, pc_scatter.png coloured by state dimension 0.
 * inverse_r2 compares h(z_t, z_{t+k}) with the true action, both in normalised action space.
 */
public final class DiagnosticsReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DiagnosticsReport() {}

    public static Map<String, Object> compute(WorldModel model, TransitionBatch sample, long seed) {
        int c = model.config().context();
        INDArray z = model.encode(sample.currentFrames(c)), zk = model.encode(sample.obsTk());
        INDArray s = c == 1 ? z : model.encodeContext(sample.obsT());
        double[][] aHat = LatentDiagnostics.toDouble(model.inferAction(s, zk).toFloatMatrix());
        double[][] a = LatentDiagnostics.toDouble(model.normalizer().normalise(sample.actions()));
        double[][] states = sample.states() == null ? null : LatentDiagnostics.toDouble(sample.states());
        return LatentDiagnostics.report(LatentDiagnostics.toDouble(z.toFloatMatrix()), aHat, a, states, seed);
    }

    /** Computes, writes diagnostics.json and the plots into {@code outDir}; returns the values. */
    public static Map<String, Object> write(WorldModel model, TransitionBatch sample, long seed, Path outDir) {
        Map<String, Object> r = compute(model, sample, seed);
        try {
            Files.createDirectories(outDir);
            JSON.writeValue(outDir.resolve("diagnostics.json").toFile(), r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write diagnostics to " + outDir, e);
        }
        Plots.pcaSpectrum((double[]) r.get("explained_variance_ratio"), outDir.resolve("pca_spectrum.png"));
        if (sample.states() != null) {
            double[][] z = LatentDiagnostics.toDouble(model.encode(sample.currentFrames(model.config().context()))
                    .toFloatMatrix());
            double[] c = new double[sample.size()];
            for (int i = 0; i < c.length; i++) c[i] = sample.states()[i][0];
            Plots.pcScatter(z, c, "state[0]", outDir.resolve("pc_scatter.png"));
        }
        return r;
    }

}
