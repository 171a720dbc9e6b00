package io.smwm.core.model.direct;

import java.util.Arrays;

/**
 * The rollout term of the direct engine ({@code loss.rolloutSteps} H &gt; 1): g fed its own predictions along runs of
 * consecutive transitions in the batch, and the error of those predictions against the encoded frames.
 *
 * <p>Runs are found in the batch by its frames: transition b+1 continues transition b when its newest context frame
 * is o_{t+k} of b and its older context frames are b's shifted by one ({@link FrameDedup}'s slots, so byte-equal
 * frames). A batch cut from runs ({@code train.chunk} L) holds such chains; a batch of single transitions holds none,
 * and then the term is 0 with no gradient. Each chain is cut into segments of at most H rows; a segment of m rows
 * b0 … b0+m−1 with context c starts from s_0 = the c latents of b0's context and predicts
 * <pre>
 *   ẑ_1 = g(s_0, a_{b0})  (the one-step prediction of row b0, computed by the caller),
 *   ẑ_j = g(ŝ_{j−1}, a_{b0+j−1}) for j = 2..m, ŝ_{j−1} = the last c of (s_0, ẑ_1, …, ẑ_{j−1}),
 * </pre>
 * with g's residual form or output tanh as configured. L_roll = Σ (ẑ_j − z_{t+j})² / (count·latentDim) over every
 * segment and j = 2..m, where z_{t+j} is the encoded o_{t+k} of row b0+j−1 (not detached); count is the number of
 * such predictions. The gradient of w·L_roll reaches g's parameters (added to the one-step term's), the encoded
 * latents (context of b0 and every target), and ẑ_1, which the caller passes back through its own g pass.
 *
 * <p>Layout as in {@link DirectWorldModel}: latents z [B·(c+1)·l], slice b·c + f the context frame f of row b, slice
 * B·c + b the o_{t+k} of row b. Mutable buffers for one batch size; not thread-safe.
 */
final class Rollout {
    private final int ctx, l, am, horizon, rows;
    private final boolean residual;
    private final Mlp[] steps; // steps[j−2] evaluates g for step j of every segment
    private final int[] segStart, segLen;
    private int bsz, segments, count;
    private final float[][] pred, dPred; // [j][segment·l], j = 1..horizon
    private float[] zRef;

    /**
     * @param fwd     g's layers (shared with the one-step pass)
     * @param batch   B, the batch size these buffers serve
     * @param horizon H &ge; 2
     */
    Rollout(Dense[] fwd, int batch, int ctx, int latentDim, int actionDim, int horizon, boolean residual) {
        this.ctx = ctx;
        this.l = latentDim;
        this.am = actionDim;
        this.horizon = horizon;
        this.residual = residual;
        this.rows = Math.max(1, batch / 2); // a segment has at least two rows
        this.segStart = new int[rows];
        this.segLen = new int[rows];
        this.steps = new Mlp[horizon - 1];
        for (int j = 0; j < steps.length; j++) steps[j] = new Mlp(fwd, rows);
        this.pred = new float[horizon + 1][rows * l];
        this.dPred = new float[horizon + 1][rows * l];
    }

    /** Whether row b+1 continues row b (the frames say so). */
    private boolean continues(int[] slot, int bsz, int b) {
        if (slot[bsz * ctx + b] != slot[(b + 1) * ctx + ctx - 1]) return false;
        for (int f = 0; f < ctx - 1; f++) if (slot[(b + 1) * ctx + f] != slot[b * ctx + f + 1]) return false;
        return true;
    }

    /**
     * The forward pass: finds the segments and predicts along them.
     *
     * @param slot    the batch's frame slots ({@link FrameDedup#slots})
     * @param z       latents per slice [B·(c+1)·l]
     * @param zp      the one-step predictions ẑ [B·l] (after the residual or tanh)
     * @param actions a_t normalised [B][am]
     * @return the sum of squared errors over the predictions j &ge; 2 (0 when the batch has no runs); {@link #count()}
     * predictions of l elements each
     */
    double forward(int[] slot, int bsz, float[] z, float[] zp, float[][] actions) {
        this.bsz = bsz;
        zRef = z;
        segments = 0;
        count = 0;
        for (int b = 0; b < bsz; ) {
            int m = 1;
            while (b + m < bsz && m < horizon && continues(slot, bsz, b + m - 1)) m++;
            if (m >= 2) {
                segStart[segments] = b;
                segLen[segments] = m;
                System.arraycopy(zp, b * l, pred[1], segments * l, l);
                segments++;
                count += m - 1;
            }
            b += m;
        }
        double sse = 0;
        for (int j = 2; j <= horizon; j++) {
            Mlp g = steps[j - 2];
            int in = ctx * l + am;
            Arrays.fill(g.inHost, 0f);
            boolean any = false;
            for (int s = 0; s < segments; s++) {
                if (segLen[s] < j) continue;
                any = true;
                for (int q = 0; q < ctx; q++) copyLatent(s, j - 1 + q, g.inHost, s * in + q * l);
                System.arraycopy(actions[segStart[s] + j - 1], 0, g.inHost, s * in + ctx * l, am);
            }
            if (!any) break;
            float[] out = g.forward(!residual);
            float[] pj = pred[j];
            for (int s = 0; s < segments; s++) {
                if (segLen[s] < j) continue;
                int newest = j + ctx - 2; // the newest window position
                for (int e = 0; e < l; e++) {
                    float v = out[s * l + e];
                    if (residual) v += latentValue(s, newest, e);
                    pj[s * l + e] = v;
                    double d = v - z[target(s, j) + e];
                    sse += d * d;
                }
            }
        }
        return sse;
    }

    /** Predictions j &ge; 2 in the last forward pass. */
    int count() { return count; }

    /** Where z_{t+j} of segment s sits in z: the o_{t+k} slice of row b0 + j − 1. */
    private int target(int s, int j) {
        return (bsz * ctx + segStart[s] + j - 1) * l;
    }

    /** Sequence position p of segment s: p &lt; c the context latent p of row b0, else ẑ_{p−c+1}. */
    private float latentValue(int s, int p, int e) {
        return p < ctx ? zRef[(segStart[s] * ctx + p) * l + e] : pred[p - ctx + 1][s * l + e];
    }

    private void copyLatent(int s, int p, float[] dst, int off) {
        if (p < ctx) System.arraycopy(zRef, (segStart[s] * ctx + p) * l, dst, off, l);
        else System.arraycopy(pred[p - ctx + 1], s * l, dst, off, l);
    }

    /**
     * The backward pass of {@code scale}·sse (scale = w / (count·l)): writes the gradients w.r.t. g's parameters into
     * the gradient vector (replacing what is there: the caller's one-step pass then adds to them), adds those w.r.t.
     * the latents into {@code dz} [B·(c+1)·l] and those w.r.t. each segment's ẑ_1 into {@code dZp} [B·l] at its start
     * row.
     *
     * @return whether g's parameter gradients were written (false: no segment, nothing done)
     */
    boolean backward(double scale, float[] dz, float[] dZp) {
        if (count == 0) return false;
        for (int j = 1; j <= horizon; j++) Arrays.fill(dPred[j], 0f);
        for (int j = 2; j <= horizon; j++)
            for (int s = 0; s < segments; s++) {
                if (segLen[s] < j) continue;
                int t = target(s, j);
                for (int e = 0; e < l; e++) {
                    float d = (float) (2 * scale * (pred[j][s * l + e] - zRef[t + e]));
                    dPred[j][s * l + e] += d;
                    dz[t + e] -= d; // the target's own gradient (not detached)
                }
            }
        boolean wrote = false;
        int in = ctx * l + am;
        for (int j = horizon; j >= 2; j--) {
            Mlp g = steps[j - 2];
            Arrays.fill(g.dOutHost, 0f);
            boolean any = false;
            for (int s = 0; s < segments; s++) {
                if (segLen[s] < j) continue;
                any = true;
                for (int e = 0; e < l; e++) {
                    int i = s * l + e;
                    float d = dPred[j][i], v = pred[j][i];
                    g.dOutHost[i] = residual ? d : d * (1 - v * v);
                    if (residual) addToLatent(s, j + ctx - 2, e, d, dz);
                }
            }
            if (!any) continue;
            float[] dIn = g.backward(wrote);
            wrote = true;
            for (int s = 0; s < segments; s++) {
                if (segLen[s] < j) continue;
                for (int q = 0; q < ctx; q++)
                    for (int e = 0; e < l; e++) addToLatent(s, j - 1 + q, e, dIn[s * in + q * l + e], dz);
            }
        }
        for (int s = 0; s < segments; s++)
            for (int e = 0; e < l; e++) dZp[segStart[s] * l + e] += dPred[1][s * l + e];
        return wrote;
    }

    /** Adds v to the gradient of sequence position p of segment s (a context latent in dz, or ẑ_{p−c+1}). */
    private void addToLatent(int s, int p, int e, float v, float[] dz) {
        if (p < ctx) dz[(segStart[s] * ctx + p) * l + e] += v;
        else dPred[p - ctx + 1][s * l + e] += v;
    }

    void close() {
        for (Mlp m : steps) m.close();
    }
}
