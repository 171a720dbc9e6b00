package io.smwm.core.plan.oracle;

import io.smwm.core.env.Environment;
import io.smwm.core.plan.LatentModel;
import io.smwm.core.render.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * A perfect model of a simulated task for diagnosis (not learned): how well does the planner do on a task's pairs
 * when its model is the simulator itself and its latent is what matters in the scene?
 *
 * <p>f(o) is privileged: the state that rendered the frame, looked up among frames given to {@link #register} (the
 * pairs' goal frames) or found by rendering the envs given to {@link #watch} (the evaluation's own envs, whose
 * current state rendered the frame being planned from). It knows the velocities too, which one frame does not
 * show, so it bounds what any model with one or two frames can reach. z = the task's scene numbers [S] (see
 * {@link #scene}, which chooses how a cost weighs them), followed by the full state scaled by 2<sup>−12</sup>
 * [stateDim] so that rollouts restart from it exactly (its share of a cost is below 10<sup>−7</sup> of the
 * scene's). g is {@link #simulate} of the k·H primitive actions (un-normalised with the dataset's per-dimension
 * mean and std), run for the candidates in parallel, one simulator per thread.
 *
 * @param <E> the simulated environment
 */
public abstract class SimulatorOracleModel<E extends Environment> implements LatentModel {
    private static final float TAIL = 1f / 4096f;
    private final String task;
    private final int stateDim;
    private final int sceneDim;
    private final int m;
    private final int k;
    private final TiledActionScale scale;
    private final Map<Integer, List<Object[]>> frames = new HashMap<>();
    private final List<Environment> watched = new ArrayList<>();
    private final ThreadLocal<E> sims;

    /**
     * @param task       the task's name, for messages
     * @param stateDim   the task state's length
     * @param sceneDim   S, the scene numbers {@link #scene} writes
     * @param frameskip  k, primitive steps per model step
     * @param actionMean per-primitive-dimension action mean [m]
     * @param actionStd  per-primitive-dimension action std [m], each &gt; 0
     * @param simulator  a new simulator of the task (one is made per thread)
     */
    protected SimulatorOracleModel(String task, int stateDim, int sceneDim, int frameskip, float[] actionMean,
                                   float[] actionStd, Supplier<E> simulator) {
        if (frameskip < 1 || actionMean.length == 0 || actionMean.length != actionStd.length) {
            throw new IllegalArgumentException("need frameskip >= 1 and mean/std of the same, non-zero length");
        }
        this.task = task;
        this.stateDim = stateDim;
        this.sceneDim = sceneDim;
        this.m = actionMean.length;
        this.k = frameskip;
        this.scale = new TiledActionScale(actionMean, actionStd, m);
        this.sims = ThreadLocal.withInitial(simulator);
    }

    /** Writes the scene numbers [S] of state {@code s} to {@code z[off..off+S)}. */
    protected abstract void scene(float[] s, float[] z, int off);

    /** The state after {@code actions} [T][m] from {@code state}, as the task's own steps leave it. */
    protected abstract float[] simulate(E sim, float[] state, float[][] actions);

    /** f will map {@code frame} (by its bytes) to {@code state} [stateDim]. */
    public synchronized void register(RgbImage frame, float[] state) {
        if (state.length != stateDim) {
            throw new IllegalArgumentException("a " + task + " state has " + stateDim + " numbers, got " + state.length);
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
        return sceneDim + stateDim;
    }

    @Override
    public int primitiveActionDim() {
        return m;
    }

    @Override
    public int frameskip() {
        return k;
    }

    @Override
    public synchronized float[] encode(List<RgbImage> batch) {
        int d = latentDim();
        float[] z = new float[batch.size() * d];
        for (int b = 0; b < batch.size(); b++) {
            latent(stateOf(batch.get(b)), z, b * d);
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
        throw new IllegalArgumentException("the " + task + " oracle does not know this frame: it was neither "
                + "registered nor rendered by a watched env in its current state");
    }

    private void latent(float[] s, float[] z, int off) {
        scene(s, z, off);
        for (int i = 0; i < stateDim; i++) {
            z[off + sceneDim + i] = s[i] * TAIL;
        }
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
        int a = k * m, d = latentDim();
        float[] mean = scale.mean, std = scale.std;
        IntStream.range(0, groups * perGroup).parallel().forEach(row -> {
            int g = row / perGroup;
            float[] start = new float[stateDim];
            for (int i = 0; i < stateDim; i++) {
                start[i] = z0[g * d + sceneDim + i] / TAIL;
            }
            float[][] steps = new float[horizon * k][m];
            for (int s = 0; s < horizon * k; s++) {
                for (int j = 0; j < m; j++) {
                    steps[s][j] = actions[row * horizon * a + s * m + j] * std[j] + mean[j];
                }
            }
            latent(simulate(sims.get(), start, steps), out, row * d);
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
}
