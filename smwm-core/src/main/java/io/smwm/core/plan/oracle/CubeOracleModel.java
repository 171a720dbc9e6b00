package io.smwm.core.plan.oracle;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.cube.Cube;

/**
 * A perfect model of Cube for diagnosis (see {@link SimulatorOracleModel}): the scene is (gripper x, y, z, cube x,
 * y, z) in metres [6], so the planning cost weighs a centimetre of the gripper like a centimetre of the cube; g is
 * {@link Cube#simulate} (actions clipped to the box, as the env clips them). The latent is [6 + 22].
 */
public final class CubeOracleModel extends SimulatorOracleModel<Cube> {
    private final String variant;

    /**
     * @param variant    the Cube variant whose dynamics g simulates
     * @param frameskip  k, primitive steps per model step
     * @param actionMean per-primitive-dimension action mean [5]
     * @param actionStd  per-primitive-dimension action std [5], each &gt; 0
     */
    public CubeOracleModel(String variant, int frameskip, float[] actionMean, float[] actionStd) {
        super("Cube", Cube.STATE_DIM, 6, frameskip, check(actionMean), check(actionStd),
                () -> new Cube(EnvConfig.defaults().withVariant(variant)));
        this.variant = variant;
    }

    private static float[] check(float[] v) {
        if (v.length != 5) {
            throw new IllegalArgumentException("need frameskip >= 1 and mean/std of length 5");
        }
        return v;
    }

    @Override
    protected void scene(float[] s, float[] z, int off) {
        z[off] = s[0];
        z[off + 1] = s[1];
        z[off + 2] = s[2];
        z[off + 3] = s[8];
        z[off + 4] = s[9];
        z[off + 5] = s[10];
    }

    @Override
    protected float[] simulate(Cube sim, float[] state, float[][] actions) {
        return sim.simulate(state, actions);
    }

    /** The Cube variant simulated. */
    public String variant() {
        return variant;
    }
}
