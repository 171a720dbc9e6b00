package io.smwm.core.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.custom.XwPlusB;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The forward model g for planning (and, on request, the inverse model h's residual along a rollout): the layers of {@link WorldModelGraph}'s g ([s, a] [B, c·latentDim + k·m] ->
 * Linear(hidden)-ReLU -> Linear(hidden)-ReLU -> Linear(latentDim) -> tanh, or + z_t with {@code model.residualForward})
 * run as plain ND4J ops on buffers reused across calls, without a SameDiff session.
 *
 * <p>Why it exists (measured by {@code smwm benchmark plan}, see docs/benchmarks.md): a CEM solve is 45,000 candidate steps
 * through g. In the SameDiff graph the output tanh is ND4J's legacy element-wise op, which costs as much as a
 * third of a solve; here it is the declarable op {@code tanh}, which the oneDNN build runs vectorised, and each
 * step writes into the same buffers instead of allocating new arrays. The result equals the graph's
 * {@link WorldModelGraph#G_OUT} up to float rounding ({@code WorldModelTest} compares five steps at 1e-5).
 *
 * <p>Holds copies of g's parameters, so a later change to the graph's parameters is not seen (a {@link WorldModel}
 * never changes them). Not thread-safe: {@link WorldModel} calls it under its own lock.
 */
final class ForwardKernel {
    private final int latentDim;
    private final int context;
    private final int actionDim;
    private final boolean residual;
    /** g's layers W0, b0, W1, b1, W2, b2 ([s, a] -> Linear-ReLU -> Linear-ReLU -> Linear(latentDim)). */
    private final INDArray[] fwd;
    /** h's layers ([s, z'] [B, (c+1)·latentDim] -> Linear-ReLU -> Linear-ReLU -> Linear(k·m)), for the residual. */
    private final INDArray[] inv;
    private long capacity;
    private INDArray x, h0, h1, zOut, y, g0, g1, aHat;

    ForwardKernel(WorldModelGraph graph) {
        this.latentDim = graph.config().latentDim();
        this.context = graph.config().context();
        this.actionDim = graph.config().modelActionDim();
        this.residual = graph.config().residualForward();
        this.fwd = layers(graph, "fwd");
        this.inv = layers(graph, "inv");
    }

    /** A three-layer MLP's parameters {@code PREFIX_fc{0,1,2}_{W,b}} as float c-order copies. */
    private static INDArray[] layers(WorldModelGraph graph, String prefix) {
        INDArray[] p = new INDArray[6];
        for (int i = 0; i < 3; i++) {
            p[2 * i] = f32c(graph.param(prefix + "_fc" + i + "_W"));
            p[2 * i + 1] = f32c(graph.param(prefix + "_fc" + i + "_b"));
        }
        return p;
    }

    /** out = Linear(ReLU(Linear(ReLU(Linear(in))))) with {@code p}'s layers, the hidden layers in hA and hB. */
    private static void mlp(INDArray in, INDArray[] p, INDArray hA, INDArray hB, INDArray out) {
        Nd4j.exec(new XwPlusB(new INDArray[] {in, p[0], p[1]}, hA));
        Nd4j.exec(new RectifiedLinear(hA, hA, 0.0));
        Nd4j.exec(new XwPlusB(new INDArray[] {hA, p[2], p[3]}, hB));
        Nd4j.exec(new RectifiedLinear(hB, hB, 0.0));
        Nd4j.exec(new XwPlusB(new INDArray[] {hB, p[4], p[5]}, out));
    }

    /**
     * Open-loop rollout. s0 [B, c·latentDim] float, the planning state (the context latents, oldest first; z0 for
     * c = 1); actions [B, H, k·m] float, normalised. Each step predicts ẑ = g(s, a) and shifts it into the state.
     * Writes ẑ_{h+1} into {@code out[:, h, :]} when {@code out} [B, H, latentDim] is given, and returns the terminal
     * latent ẑ_H [B, latentDim] (a new array). When {@code inverseResidual} [B] float is given, it receives each
     * row's (1/(H·k·m)) Σ_h ‖h(ŝ_h, ẑ_{h+1}) − a_h‖², h evaluated on the state each step started from and the latent
     * it predicted.
     */
    INDArray rollout(INDArray z0, INDArray actions, INDArray out, INDArray inverseResidual) {
        long b = z0.size(0), h = actions.size(1);
        int sd = context * latentDim;
        grow(b);
        // the first b rows of each buffer: c-order row blocks starting at offset 0, so contiguous views
        INDArray x = rowsOf(this.x, b), h0 = rowsOf(this.h0, b), h1 = rowsOf(this.h1, b), z = rowsOf(zOut, b);
        INDArray y = rowsOf(this.y, b), g0 = rowsOf(this.g0, b), g1 = rowsOf(this.g1, b), aHat = rowsOf(this.aHat, b);
        INDArray yState = y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, sd));
        INDArray yNext = y.get(NDArrayIndex.all(), NDArrayIndex.interval(sd, sd + latentDim));
        INDArray xState = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, sd));
        if (inverseResidual != null) {
            inverseResidual.assign(0);
        }
        INDArray zPart = x.get(NDArrayIndex.all(), NDArrayIndex.interval(sd - latentDim, sd));
        INDArray aPart = x.get(NDArrayIndex.all(), NDArrayIndex.interval(sd, sd + actionDim));
        INDArray[] slots = new INDArray[context];
        for (int j = 0; j < context; j++) {
            slots[j] = x.get(NDArrayIndex.all(), NDArrayIndex.interval((long) j * latentDim, (j + 1L) * latentDim));
        }
        x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, sd)).assign(z0);
        for (long i = 0; i < h; i++) {
            aPart.assign(actions.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all()));
            mlp(x, fwd, h0, h1, z);
            if (residual) z.addi(zPart); // zPart holds the newest latent of the state this step started from
            else Nd4j.exec(DynamicCustomOp.builder("tanh").addInputs(z).addOutputs(z).build());
            if (out != null) {
                out.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all()).assign(z);
            }
            if (inverseResidual != null) { // x still holds the state this step started from
                yState.assign(xState);
                yNext.assign(z);
                mlp(y, inv, g0, g1, aHat);
                aHat.subi(aPart);
                inverseResidual.addi(aHat.mul(aHat).sum(1));
            }
            if (i + 1 < h) {
                for (int j = 0; j + 1 < context; j++) {
                    slots[j].assign(slots[j + 1]);
                }
                zPart.assign(z);
            }
        }
        if (inverseResidual != null) {
            inverseResidual.divi((double) h * actionDim);
        }
        return z.dup('c');
    }

    /**
     * Grows the buffers to at least b rows; never shrinks them. A planner alternates between E·N rows (its
     * candidates) and E rows (the final means) every solve, so reallocating on every change of b would allocate
     * the large buffers once per solve.
     */
    private void grow(long b) {
        if (b <= capacity) {
            return;
        }
        x = Nd4j.create(DataType.FLOAT, new long[] {b, (long) context * latentDim + actionDim}, 'c');
        h0 = Nd4j.create(DataType.FLOAT, new long[] {b, fwd[0].size(1)}, 'c');
        h1 = Nd4j.create(DataType.FLOAT, new long[] {b, fwd[2].size(1)}, 'c');
        zOut = Nd4j.create(DataType.FLOAT, new long[] {b, latentDim}, 'c');
        y = Nd4j.create(DataType.FLOAT, new long[] {b, (context + 1L) * latentDim}, 'c');
        g0 = Nd4j.create(DataType.FLOAT, new long[] {b, inv[0].size(1)}, 'c');
        g1 = Nd4j.create(DataType.FLOAT, new long[] {b, inv[2].size(1)}, 'c');
        aHat = Nd4j.create(DataType.FLOAT, new long[] {b, actionDim}, 'c');
        capacity = b;
    }

    private static INDArray rowsOf(INDArray buffer, long b) {
        return b == buffer.size(0) ? buffer : buffer.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
    }

    private static INDArray f32c(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c');
    }
}
