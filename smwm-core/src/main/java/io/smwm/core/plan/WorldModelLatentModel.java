package io.smwm.core.plan;

import io.smwm.core.render.RgbImage;
import io.smwm.core.model.WorldModel;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adapts a trained {@link WorldModel} to the planner's {@link LatentModel}: encode = f, terminal rollout = g
 * applied H times ({@link WorldModel#rolloutTerminal}) with the latent of each row's group repeated over its
 * candidates. Rows are independent (the
 * model has no cross-batch operations), as {@link LatentModel} requires.
 */
public final class WorldModelLatentModel implements LatentModel {
    private final WorldModel model;
    private final int primitiveDim;

    public WorldModelLatentModel(WorldModel model) {
        this.model = model;
        this.primitiveDim = model.normalizer().primitiveDim();
    }

    @Override
    public int latentDim() { return model.config().latentDim(); }

    @Override
    public int primitiveActionDim() { return primitiveDim; }

    @Override
    public int frameskip() { return model.config().frameskip(); }

    @Override
    public int context() { return model.config().context(); }

    @Override
    public float[] encode(List<RgbImage> frames) {
        byte[][] b = new byte[frames.size()][];
        for (int i = 0; i < b.length; i++) {
            b[i] = frames.get(i).data();
        }
        return model.encode(b).castTo(DataType.FLOAT).data().asFloat();
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
        rolloutTerminal(z0, groups, perGroup, actions, horizon, out, null);
    }

    /** True: a trained world model has its inverse model h. */
    @Override
    public boolean scoresInverseConsistency() {
        return true;
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out,
                                float[] inverseResidual) {
        int d = stateDim(), a = modelActionDim(), rows = groups * perGroup;
        float[] rep = new float[rows * d];
        for (int g = 0; g < groups; g++) {
            for (int n = 0; n < perGroup; n++) {
                System.arraycopy(z0, g * d, rep, (g * perGroup + n) * d, d);
            }
        }
        INDArray z = Nd4j.create(rep, new long[] {rows, d}, 'c');
        INDArray act = Nd4j.create(java.util.Arrays.copyOf(actions, rows * horizon * a), new long[] {rows, horizon, a}, 'c');
        INDArray residual = inverseResidual == null ? null : Nd4j.create(DataType.FLOAT, rows);
        INDArray last = residual == null ? model.rolloutTerminal(z, act) // [rows, D], c order
                : model.rolloutTerminal(z, act, residual);
        System.arraycopy(last.data().asFloat(), 0, out, 0, rows * latentDim());
        if (residual != null) {
            System.arraycopy(residual.data().asFloat(), 0, inverseResidual, 0, rows);
        }
    }

    @Override
    public float[] unnormalise(float[] normalisedModelAction) {
        return model.normalizer().unnormalise(new float[][] {normalisedModelAction})[0];
    }

    @Override
    public float[] normalise(float[] modelAction) {
        return model.normalizer().normalise(new float[][] {modelAction})[0];
    }
}
