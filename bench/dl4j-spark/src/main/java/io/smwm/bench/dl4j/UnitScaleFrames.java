package io.smwm.bench.dl4j;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Input preprocessor of the encoder's first convolution: raw uint8 pixels (how the batches are stored and exported,
 * 4x smaller than float) to float in [0, 1], x · (1/255) in float, which is exactly SMWM's
 * {@code (b & 0xFF) * (1f / 255f)}. Nothing upstream of it has parameters, so its backward pass only hands the
 * gradient on unchanged (it is discarded at the network inputs).
 */
public final class UnitScaleFrames implements InputPreProcessor {
    private static final long serialVersionUID = 1L;
    private static final float SCALE = 1f / 255f;

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.castTo(ArrayType.ACTIVATIONS, DataType.FLOAT, input, true).muli(SCALE);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, output);
    }

    @Override
    public InputPreProcessor clone() {
        return new UnitScaleFrames();
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return inputType;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitScaleFrames;
    }

    @Override
    public int hashCode() {
        return UnitScaleFrames.class.hashCode();
    }
}
