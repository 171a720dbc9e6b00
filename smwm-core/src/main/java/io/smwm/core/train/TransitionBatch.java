package io.smwm.core.train;

/**
 * A minibatch of transitions (o_t, a_t, o_{t+k}).
 *
 * @param obsT    o_t: B uint8 HWC frames, each byte[H·W·C]; for a model with context c > 1
 *                ({@code model.context}) each is the c frames o_{t−(c−1)k}, …, o_t concatenated, oldest first
 *                (byte[c·H·W·C])
 * @param actions a_t: raw (un-normalised) model actions [B][k·m], the k primitive actions concatenated
 * @param obsTk   o_{t+k}: B uint8 HWC frames (single frames whatever the context)
 * @param states  optional true env states [B][d] for diagnostics (probes); null when absent
 */
public record TransitionBatch(byte[][] obsT, float[][] actions, byte[][] obsTk, float[][] states) {

    public TransitionBatch {
        if (obsT == null || actions == null || obsTk == null)
            throw new IllegalArgumentException("obsT, actions and obsTk are required");
        if (obsT.length != actions.length || obsT.length != obsTk.length
                || (states != null && states.length != obsT.length))
            throw new IllegalArgumentException("batch arrays must have the same length B, got obsT=" + obsT.length
                    + " actions=" + actions.length + " obsTk=" + obsTk.length
                    + (states == null ? "" : " states=" + states.length));
    }

    public TransitionBatch(byte[][] obsT, float[][] actions, byte[][] obsTk) {
        this(obsT, actions, obsTk, null);
    }

    public int size() {
        return obsT.length;
    }

    /** o_t alone: {@link #obsT} for context 1, else the last frame of each context observation (copies). */
    public byte[][] currentFrames(int context) {
        if (context == 1) {
            return obsT;
        }
        byte[][] out = new byte[obsT.length][];
        for (int i = 0; i < out.length; i++) {
            int n = obsT[i].length / context;
            out[i] = java.util.Arrays.copyOfRange(obsT[i], (context - 1) * n, context * n);
        }
        return out;
    }
}
