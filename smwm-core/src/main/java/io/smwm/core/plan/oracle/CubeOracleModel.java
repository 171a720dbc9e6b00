package io.smwm.core.plan.oracle;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.cube.Cube;
import io.smwm.core.plan.LatentModel;
import io.smwm.core.render.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A perfect model of Cube for diagnosis (not learned): how well does the planner do on Cube's pairs when its model
 * is the simulator itself and its latent is the scene a frame shows?
 *
 * <p>f(o) is privileged: the state that rendered the frame, looked up among frames given to {@link #register} (the
 * pairs' goal frames) or found by rendering the envs given to {@link #watch} (the evaluation's own envs, whose
 * current state rendered the frame being planned from). It knows the velocities too, which one frame does not show,
 * so it bounds what any model with one or two frames can reach. z = (gripper x, y, z, cube x, y, z) in metres [6]
 * (the planning cost weighs a centimetre of the gripper like a centimetre of the cube), followed by the full state
 * scaled by 2<sup>−12</sup> [22] so that rollouts restart from it exactly (its share of a cost is below 10<sup>−7</sup>
 * of a centimetre's). g is {@link Cube#simulate} of the k·H primitive actions (un-normalised with the dataset's
 * per-dimension mean and std, clipped), run for the candidates in parallel, one env per thread.
 */
public final class CubeOracleModel implements LatentModel {
    private static final int M = 5, SCENE = 6, D = SCENE + Cube.STATE_DIM;
    private static final float TAIL = 1f / 4096f;
    private final String variant;
    private final int k;
    private final TiledActionScale scale;
    private final float[] mean;
    private final float[] std;
    private final Map<Integer, List<Object[]>> frames = new HashMap<>();
    private final List<Environment> watched = new ArrayList<>();
    private final ThreadLocal<Cube> sims;

    /**
     * @param variant    the Cube variant whose dynamics g simulates
     * @param frameskip  k, primitive steps per model step
     * @param actionMean per-primitive-dimension action mean [5]
     * @param actionStd  per-primitive-dimension action std [5], each &gt; 0
     */
    public CubeOracleModel(String variant, int frameskip, float[] actionMean, float[] actionStd) {
        if (frameskip < 1 || actionMean.length != M || actionStd.length != M) {
            throw new IllegalArgumentException("need frameskip >= 1 and mean/std of length " + M);
        }
        this.variant = variant;
        this.k = frameskip;
        this.scale = new TiledActionScale(actionMean, actionStd, M);
        this.mean = scale.mean;
        this.std = scale.std;
        this.sims = ThreadLocal.withInitial(() -> new Cube(EnvConfig.defaults().withVariant(variant)));
    }

    /** f will map {@code frame} (by its bytes) to {@code state} [22]. */
    public synchronized void register(RgbImage frame, float[] state) {
        if (state.length != Cube.STATE_DIM) {
            throw new IllegalArgumentException("a Cube state has " + Cube.STATE_DIM + " numbers, got " + state.length);
        }
        byte[] d = frame.data();
        frames.computeIfAbsent(Arrays.hashCode(d), h -> new ArrayList<>()).add(new Object[] {d.clone(), state.clone()});
    }

    /** f will also recognise whatever {@code env} renders in its current state. */
    public synchronized void watch(Environment env) {
        watched.add(env);
    }

    @Override
    public int latentDim() {
        return D;
    }

    @Override
    public int primitiveActionDim() {
        return M;
    }

    @Override
    public int frameskip() {
        return k;
    }

    @Override
    public synchronized float[] encode(List<RgbImage> batch) {
        float[] z = new float[batch.size() * D];
        for (int b = 0; b < batch.size(); b++) {
            latent(stateOf(batch.get(b)), z, b * D);
        }
        return z;
    }

    private float[] stateOf(RgbImage img) {
        byte[] d = img.data();
        for (Object[] e : frames.getOrDefault(Arrays.hashCode(d), List.of())) {
            if (Arrays.equals((byte[]) e[0], d)) {
                return (float[]) e[1];
            }
        }
        for (Environment env : watched) {
            if (Arrays.equals(env.render().data(), d)) {
                float[] s = env.state();
                register(img, s);
                return s;
            }
        }
        throw new IllegalArgumentException("the Cube oracle does not know this frame: it was neither registered nor "
                + "rendered by a watched env in its current state");
    }

    private static void latent(float[] s, float[] z, int off) {
        z[off] = s[0];
        z[off + 1] = s[1];
        z[off + 2] = s[2];
        z[off + 3] = s[8];
        z[off + 4] = s[9];
        z[off + 5] = s[10];
        for (int i = 0; i < Cube.STATE_DIM; i++) {
            z[off + SCENE + i] = s[i] * TAIL;
        }
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
        int a = k * M;
        IntStream.range(0, groups * perGroup).parallel().forEach(row -> {
            int g = row / perGroup;
            float[] start = new float[Cube.STATE_DIM];
            for (int i = 0; i < start.length; i++) {
                start[i] = z0[g * D + SCENE + i] / TAIL;
            }
            float[][] steps = new float[horizon * k][M];
            for (int s = 0; s < horizon * k; s++) {
                for (int j = 0; j < M; j++) {
                    steps[s][j] = actions[row * horizon * a + s * M + j] * std[j] + mean[j];
                }
            }
            latent(sims.get().simulate(start, steps), out, row * D);
        });
    }

    @Override
    public float[] unnormalise(float[] normalised) {
        return scale.unnormalise(normalised);
    }

    @Override
    public float[] normalise(float[] modelAction) {
        return scale.normalise(modelAction);
    }

    /** The Cube variant simulated. */
    public String variant() {
        return variant;
    }
}
