package io.smwm.core.plan.oracle;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.pusht.PushT;

/**
 * A perfect model of Push-T for diagnosis (see {@link SimulatorOracleModel}): the scene is the block's pose in units
 * of the success thresholds, (block x, block y) / {@link PushT#SUCCESS_POS} and (cos θ, sin θ) /
 * {@link PushT#SUCCESS_ANGLE} [4], so the planning cost weighs a threshold's worth of position like a threshold's
 * worth of turn (a small turn δ moves (cos θ, sin θ) by about δ); with {@code withAgent} it is followed by the
 * agent's (x, y) / {@link PushT#SUCCESS_POS} [2], as a latent of frames also sees where the goal frame has the agent
 * (the success test ignores it). g is {@link PushT#simulate} with the table's {@code block_mass}. The latent is
 * [4 + 10], or [6 + 10] with the agent.
 */
public final class PushTOracleModel extends SimulatorOracleModel<PushT> {
    private final boolean withAgent;

    /**
     * @param config     the table's env config (variant and params, e.g. block_mass), which g simulates
     * @param frameskip  k, primitive steps per model step
     * @param actionMean per-primitive-dimension action mean [2]
     * @param actionStd  per-primitive-dimension action std [2], each &gt; 0
     * @param withAgent  the scene includes the agent's position
     */
    public PushTOracleModel(EnvConfig config, int frameskip, float[] actionMean, float[] actionStd, boolean withAgent) {
        super("Push-T", 10, withAgent ? 6 : 4, frameskip, check(actionMean), check(actionStd), () -> new PushT(config));
        this.withAgent = withAgent;
    }

    private static float[] check(float[] v) {
        if (v.length != 2) {
            throw new IllegalArgumentException("need frameskip >= 1 and mean/std of length 2");
        }
        return v;
    }

    @Override
    protected void scene(float[] s, float[] z, int off) {
        z[off] = (float) (s[4] / PushT.SUCCESS_POS);
        z[off + 1] = (float) (s[5] / PushT.SUCCESS_POS);
        z[off + 2] = (float) (Math.cos(s[6]) / PushT.SUCCESS_ANGLE);
        z[off + 3] = (float) (Math.sin(s[6]) / PushT.SUCCESS_ANGLE);
        if (withAgent) {
            z[off + 4] = (float) (s[0] / PushT.SUCCESS_POS);
            z[off + 5] = (float) (s[1] / PushT.SUCCESS_POS);
        }
    }

    @Override
    protected float[] simulate(PushT sim, float[] state, float[][] actions) {
        return sim.simulate(state, actions);
    }
}
