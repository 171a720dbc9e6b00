package io.smwm.core.model.direct;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.SigReg;
import io.smwm.core.loss.VicReg;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latent terms of {@code loss.method} {@code sigreg} and {@code vicreg-idm} in the direct engine, on heap copies
 * of the pass's latents z [B·(c+1)·latentDim] (slice layout as in {@link DirectWorldModel}): their values, weighted
 * sum and the sum's gradient w.r.t. the rows of z they read.
 */
final class ExtraTerms {
    private ExtraTerms() {}

    /**
     * The extra terms of the method on the latents of one pass: their values, their weighted sum, and (with
     * backward) the weighted sum's gradient w.r.t. the rows of z it read ({@code rows[i]} is where row i of the
     * heap copy sits in z).
     */
    record Extra(Map<String, Double> terms, double weighted, int[] rows, double[] dz, int l) {
        void addGradient(float[] dzOut) {
            for (int i = 0; i < rows.length; i++)
                for (int j = 0; j < l; j++) dzOut[rows[i] + j] += (float) dz[i * l + j];
        }
    }

    /**
     * {@code sigreg}: SIGReg over the c + 1 slices (the context frames of o_t, then o_{t+k}), each of the B latents
     * of that frame; {@code vicreg-idm}: L_var and L_cov of z_t, the newest context latent of each row.
     */
    static Extra of(ModelConfig c, LossConfig lossConfig, float[] z, int bsz, float[] projections, boolean backward) {
        int ctx = c.context(), l = c.latentDim();
        int[] rows;
        if (lossConfig.sigreg()) { // slice-major: slice f < ctx holds z rows b·ctx + f, slice ctx the z_{t+k} rows
            rows = new int[(ctx + 1) * bsz];
            for (int f = 0; f <= ctx; f++)
                for (int b = 0; b < bsz; b++) rows[f * bsz + b] = (f < ctx ? b * ctx + f : bsz * ctx + b) * l;
        } else {
            rows = new int[bsz];
            for (int b = 0; b < bsz; b++) rows[b] = (b * ctx + ctx - 1) * l;
        }
        double[] dzd = backward ? new double[rows.length * l] : null;
        Map<String, Double> terms = new LinkedHashMap<>();
        double weighted;
        if (lossConfig.sigreg()) { // x = z·A and dz = dx·Aᵀ through BLAS (float, as the graph), the rest in double
            int m = lossConfig.sigregProjections();
            float[] zf = new float[rows.length * l];
            for (int i = 0; i < rows.length; i++) System.arraycopy(z, rows[i], zf, i * l, l);
            double w = lossConfig.sigregWeight(), s;
            try (INDArray za = Nd4j.create(zf, new long[]{rows.length, l}, 'c');
                 INDArray a = Nd4j.create(projections, new long[]{l, m}, 'c');
                 INDArray xa = Nd4j.create(DataType.FLOAT, new long[]{rows.length, m}, 'c')) {
                Nd4j.gemm(za, a, xa, false, false, 1.0, 0.0);
                float[] xf = xa.data().asFloat();
                double[] x = new double[xf.length], dx = backward ? new double[xf.length] : null;
                for (int i = 0; i < x.length; i++) x[i] = xf[i];
                s = SigReg.ofProjections(x, ctx + 1, bsz, m, lossConfig.sigregKnots(), w, dx);
                if (backward) {
                    for (int i = 0; i < x.length; i++) xf[i] = (float) dx[i];
                    try (INDArray dxa = Nd4j.create(xf, new long[]{rows.length, m}, 'c')) {
                        Nd4j.gemm(dxa, a, za, false, true, 1.0, 0.0); // dz = dx·Aᵀ, into za's buffer
                        float[] g = za.data().asFloat();
                        for (int i = 0; i < g.length; i++) dzd[i] = g[i];
                    }
                }
            }
            terms.put(LossTerms.SIGREG, s);
            weighted = w * s;
        } else {
            double[] zd = new double[rows.length * l];
            for (int i = 0; i < rows.length; i++) for (int j = 0; j < l; j++) zd[i * l + j] = z[rows[i] + j];
            VicReg.Terms t = VicReg.value(zd, bsz, l, lossConfig.vicregVar(), lossConfig.vicregCov(), dzd);
            terms.put(LossTerms.VAR, t.var());
            terms.put(LossTerms.COV, t.cov());
            weighted = lossConfig.vicregVar() * t.var() + lossConfig.vicregCov() * t.cov();
        }
        return new Extra(terms, weighted, rows, dzd, l);
    }
}
