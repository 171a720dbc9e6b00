package io.smwm.core.train;

import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.loss.LossTerms;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training-throughput benchmark of the default (toy, 64x64) world model on random data: transitions/s and achieved
 * GFLOP/s at batch 64 and 256 after warm-up steps, with a breakdown of where a step's time goes (image conversion,
 * SameDiff forward+backward, Adam and parameter copies). FLOPs are counted analytically
 * ({@link #trainFlopsPerTransition}). Run: {@code java -cp ... -Dorg.nd4j.autodiff.samediff=false
 * io.smwm.core.train.TrainBenchmark [warmup=15] [steps=10] [batches=64,256]} with OMP_NUM_THREADS set to the cores.
 * Prints (this is a command-line tool).
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    /**
     * Forward FLOPs of one transition's training graph (2 per multiply-add; element-wise ops, pooling and biases
     * ignored): the encoder on each frame (o_t's c context frames and o_{t+k}), g once and h once.
     */
    public static long forwardFlopsPerTransition(ModelConfig c) {
        return (c.context() + 1L) * encoderFlops(c)[0] + headFlops(c);
    }

    /**
     * Forward + backward FLOPs per transition: backward = 2 × forward per layer (input gradient + weight gradient),
     * except the first conv, whose input gradient is not needed (1 × forward).
     */
    public static long trainFlopsPerTransition(ModelConfig c) {
        long[] enc = encoderFlops(c);
        long fwd = forwardFlopsPerTransition(c);
        long bwd = 2 * ((c.context() + 1L) * enc[0] - (c.context() + 1L) * enc[1] / 2) + 2 * headFlops(c);
        return fwd + bwd;
    }

    /** {encoder forward FLOPs, first conv forward FLOPs} for one image. */
    static long[] encoderFlops(ModelConfig c) {
        long side = c.imageSize(), in = c.channels(), total = 0, first = 0;
        for (int i = 0; i < c.convChannels().size(); i++) {
            long out = c.convChannels().get(i);
            side = (side + 1) / 2;
            long f = 2L * 9 * in * out * side * side;
            if (i == 0) first = f;
            total += f;
            in = out;
        }
        total += 2L * c.flatFeatures() * c.latentDim();
        return new long[]{total, first};
    }

    /**
     * Forward FLOPs of one step of the forward model g, (c·D + A) -> H -> H -> D (2 per multiply-add, biases
     * ignored).
     */
    public static long forwardModelFlops(ModelConfig c) {
        long l = c.latentDim(), h = c.hidden(), a = c.modelActionDim();
        return 2 * ((c.context() * l + a) * h + h * h + h * l);
    }

    static long headFlops(ModelConfig c) {
        long l = c.latentDim(), h = c.hidden(), a = c.modelActionDim();
        long inv = 2 * ((c.context() + 1) * l * h + h * h + h * a);
        return forwardModelFlops(c) + inv;
    }

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 15; // oneDNN primitives and JIT settle over ~10 steps
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String batches = args.length > 2 ? args[2] : "64,256";
        ModelConfig mc = ModelConfig.DEFAULT;
        long flops = trainFlopsPerTransition(mc);
        System.out.printf("default model: %d params, %.1f MFLOP forward, %.1f MFLOP forward+backward per transition"
                        + "; OMP_NUM_THREADS=%s%n", WorldModelGraph.paramSpecs(mc).stream()
                        .mapToLong(io.smwm.core.model.ParamSpec::length).sum(), forwardFlopsPerTransition(mc) / 1e6,
                flops / 1e6, System.getenv("OMP_NUM_THREADS"));
        for (String bs : batches.split(",")) {
            int b = Integer.parseInt(bs.trim());
            Learner l = new Learner(mc, LossConfig.DEFAULT, TrainConfig.DEFAULT, Normalizer.identity(2, 5), 1);
            TransitionBatch batch = randomBatch(mc, b, 7);
            long t0 = System.nanoTime();
            for (int i = 0; i < warmup; i++) l.step(batch);
            double warm = (System.nanoTime() - t0) / 1e9;
            // full steps first (the headline numbers: mean and median step), then the parts in separate loops
            double[] ms = new double[steps];
            long a = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                long s0 = System.nanoTime();
                l.step(batch);
                ms[i] = (System.nanoTime() - s0) / 1e6;
            }
            double perStep = (System.nanoTime() - a) / 1e9 / steps;
            double[] sorted = ms.clone();
            java.util.Arrays.sort(sorted);
            double median = sorted[steps / 2] / 1e3;
            a = System.nanoTime();
            Map<String, org.nd4j.linalg.api.ndarray.INDArray> ph = null;
            for (int i = 0; i < steps; i++) ph = l.placeholders(batch);
            double conv = (System.nanoTime() - a) / 1e9 / steps;
            l.graph().output(ph, LossTerms.TOTAL);
            a = System.nanoTime();
            for (int i = 0; i < steps; i++) l.graph().output(ph, LossTerms.TOTAL);
            double fwd = (System.nanoTime() - a) / 1e9 / steps;
            System.out.printf("batch %4d: mean %.1f ms/step = %.1f transitions/s = %.2f GFLOP/s; median %.1f ms/step ="
                            + " %.1f transitions/s = %.2f GFLOP/s | parts: images->NCHW %.1f ms, SameDiff forward only"
                            + " %.1f ms, so backward+Adam ~%.1f ms (median step) | %d warm-up steps took %.1f s%n",
                    b, perStep * 1e3, b / perStep, flops * b / perStep / 1e9, median * 1e3, b / median,
                    flops * b / median / 1e9, conv * 1e3, fwd * 1e3, (median - conv - fwd) * 1e3, warmup, warm);
            if (Boolean.getBoolean("smwm.bench.verbose")) System.out.println("  step ms: " + java.util.Arrays.toString(ms));
            if (Boolean.getBoolean("smwm.bench.profile")) profile(l, batch, Math.max(2, steps / 2));
        }
    }

    /** Per-op-type wall time over {@code steps} training steps (SameDiff listener; includes listener overhead). */
    static void profile(Learner l, TransitionBatch batch, int steps) {
        Map<String, double[]> byOp = new java.util.TreeMap<>();
        long[] start = new long[1];
        l.graph().addListeners(new org.nd4j.autodiff.listeners.BaseListener() {
            @Override
            public boolean isActive(org.nd4j.autodiff.listeners.Operation op) {
                return true;
            }

            @Override
            public void preOpExecution(org.nd4j.autodiff.samediff.SameDiff sd, org.nd4j.autodiff.listeners.At at,
                                       org.nd4j.autodiff.samediff.internal.SameDiffOp op,
                                       org.nd4j.linalg.api.ops.OpContext ctx) {
                start[0] = System.nanoTime();
            }

            @Override
            public void opExecution(org.nd4j.autodiff.samediff.SameDiff sd, org.nd4j.autodiff.listeners.At at,
                                    org.nd4j.linalg.dataset.api.MultiDataSet mds,
                                    org.nd4j.autodiff.samediff.internal.SameDiffOp op,
                                    org.nd4j.linalg.api.ops.OpContext ctx, org.nd4j.linalg.api.ndarray.INDArray[] out) {
                double[] v = byOp.computeIfAbsent(op.getOp().opName(), k -> new double[2]);
                v[0] += (System.nanoTime() - start[0]) / 1e6;
                v[1]++;
            }
        });
        long a = System.nanoTime();
        for (int i = 0; i < steps; i++) l.step(batch);
        double total = (System.nanoTime() - a) / 1e6 / steps, ops = 0;
        List<Map.Entry<String, double[]>> e = new java.util.ArrayList<>(byOp.entrySet());
        e.sort((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]));
        for (Map.Entry<String, double[]> x : e) ops += x.getValue()[0] / steps;
        System.out.printf("  profile, batch %d: %.1f ms/step, of which %.1f ms inside SameDiff ops:%n", batch.size(), total, ops);
        for (int i = 0; i < Math.min(12, e.size()); i++)
            System.out.printf("    %-28s %8.1f ms/step  (%d calls/step)%n", e.get(i).getKey(),
                    e.get(i).getValue()[0] / steps, (int) (e.get(i).getValue()[1] / steps));
    }

    static TransitionBatch randomBatch(ModelConfig c, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] o = new byte[n][c.contextBytes()], o2 = new byte[n][c.contextBytes()];
        float[][] a = new float[n][c.modelActionDim()];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < o[i].length; p++) {
                o[i][p] = (byte) r.nextInt(256);
                o2[i][p] = (byte) r.nextInt(256);
            }
            for (int j = 0; j < a[i].length; j++) a[i][j] = (float) (r.nextDouble() * 2 - 1);
        }
        return new TransitionBatch(o, a, o2);
    }
}
