package io.smwm.core.train;

import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
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
 * Training-throughput benchmark of a world model (the default toy 64x64 one, or a bundled config's) on random data:
 * transitions/s and achieved
 * GFLOP/s at batch 64 and 256 for both engines ({@code train.engine} direct and samediff) and, where {@code python3}
 * with {@code torch} is installed, the same network in PyTorch ({@link TorchPeer}), measured in interleaved rounds
 * of one run so the ratios are fair on a shared machine; then where the direct engine's step goes, by phase. FLOPs are counted analytically
 * ({@link #trainFlopsPerTransition}). Run: {@code java -cp ... -Dorg.nd4j.autodiff.samediff=false
 * io.smwm.core.train.TrainBenchmark [warmup=15] [steps=10] [batches=64,256] [rounds=2] [chunk=4] [config]}
 * where {@code config} is a bundled config name (e.g. {@code reacher-full}: its model and λ; default: the defaults),
 * with OMP_NUM_THREADS set to
 * the cores. The direct engine is also timed on batches cut from runs of {@code chunk} consecutive transitions
 * ({@code train.chunk}), whose shared frames it encodes once; its GFLOP/s there count the nominal FLOPs of the
 * transitions trained (every frame encoded), so they show the examples' rate, not the arithmetic done.
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
        long in = c.channels(), total = 0, first = 0;
        for (int i = 0; i < c.convChannels().size(); i++) {
            long out = c.convChannels().get(i), side = c.convOutSide(i), k = c.convKernel(i);
            long f = 2L * k * k * in * out * side * side;
            if (i == 0) first = f;
            total += f;
            in = out;
        }
        total += c.projector() > 0 ? 2L * c.flatFeatures() * c.projector() + 2L * c.projector() * c.latentDim()
                : 2L * c.flatFeatures() * c.latentDim();
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
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int chunk = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        ExperimentConfig cfg = args.length <= 5 ? null : java.nio.file.Files.isRegularFile(java.nio.file.Path.of(args[5]))
                ? ConfigLoader.load(java.nio.file.Path.of(args[5])) : ConfigLoader.forTask(args[5]);
        ModelConfig mc = cfg == null ? ModelConfig.DEFAULT : cfg.model();
        LossConfig lc = cfg == null ? LossConfig.DEFAULT : cfg.loss();
        long flops = trainFlopsPerTransition(mc);
        TorchPeer torch = cfg == null ? TorchPeer.detect() : null; // the peer builds the default architecture only
        System.out.printf("%s model: %d params, %.1f MFLOP forward, %.1f MFLOP forward+backward per transition"
                        + "; OMP_NUM_THREADS=%s; %d interleaved rounds of %d steps after %d warm-up steps, best round's "
                        + "median step shown%n", cfg == null ? "default" : args[5],
                WorldModelGraph.paramSpecs(mc).stream()
                        .mapToLong(io.smwm.core.model.ParamSpec::length).sum(), forwardFlopsPerTransition(mc) / 1e6,
                flops / 1e6, System.getenv("OMP_NUM_THREADS"), rounds, steps, warmup);
        System.out.println(cfg != null ? "PyTorch peer: not measured (it builds the default model only)"
                : torch == null ? "PyTorch peer: not measured (no python3 with torch; Debian's python3-torch "
                + "installs it)" : "PyTorch peer: " + torch.describe());
        for (String bs : batches.split(",")) {
            int b = Integer.parseInt(bs.trim());
            TransitionBatch batch = randomBatch(mc, b, 7), runs = runBatch(mc, b, chunk, 8);
            Normalizer norm = Normalizer.identity(mc.actionDim(), mc.frameskip());
            Learner direct = new Learner(mc, lc, TrainConfig.DEFAULT.withEngine(TrainConfig.ENGINE_DIRECT), norm, 1);
            // the SameDiff graph cannot train a projector (its BatchNorm is the inference form): direct engine only
            Learner graph = mc.projector() > 0 ? null
                    : new Learner(mc, lc, TrainConfig.DEFAULT.withEngine(TrainConfig.ENGINE_SAMEDIFF), norm, 1);
            for (int i = 0; i < warmup; i++) direct.step(batch);
            for (int i = 0; i < warmup && graph != null; i++) graph.step(batch);
            for (int i = 0; i < warmup; i++) direct.step(runs);
            double inf = Double.POSITIVE_INFINITY;
            double[] best = {inf, inf, inf, inf};
            Map<String, Double> phases = Map.of();
            double phasesRoundMean = 0;
            for (int r = 0; r < rounds; r++) {
                direct.engineProfile(true);
                double[] d = stepMillis(direct, batch, steps);
                if (d[0] < best[0]) {
                    best[0] = d[0];
                    phases = direct.engineProfile(false);
                    phasesRoundMean = d[1];
                }
                if (graph != null) best[1] = Math.min(best[1], stepMillis(graph, batch, steps)[0]);
                if (torch != null) best[2] = Math.min(best[2], torch.medianStepMillis(b, warmup, steps));
                best[3] = Math.min(best[3], stepMillis(direct, runs, steps)[0]);
            }
            String[] names = {"direct engine", "SameDiff engine", "PyTorch " + (torch == null ? "" : torch.version()),
                    "direct, runs of " + chunk};
            for (int e = 0; e < 4; e++) {
                if (!Double.isFinite(best[e])) continue;
                System.out.printf("batch %4d %-18s %7.1f ms/step = %7.1f transitions/s = %6.2f GFLOP/s%s%n", b,
                        names[e], best[e], b * 1e3 / best[e], flops * b / best[e] / 1e6,
                        e == 0 ? "" : String.format("   direct/this = %.2fx", best[e] / best[0]));
            }
            double total = phases.values().stream().mapToDouble(Double::doubleValue).sum();
            StringBuilder sb = new StringBuilder(String.format("  direct step, where the time goes (ms/step, mean %.1f"
                    + " over that round):", phasesRoundMean));
            for (Map.Entry<String, Double> ph : phases.entrySet())
                sb.append(String.format(" %s %.1f;", ph.getKey(), ph.getValue() / steps));
            System.out.println(sb.append(String.format(" Adam and the rest %.1f", phasesRoundMean - total / steps)));
            if (Boolean.getBoolean("smwm.bench.profile") && graph != null) profile(graph, batch, Math.max(2, steps / 2));
        }
    }

    /** {median, mean} wall time of {@code steps} training steps, ms. */
    static double[] stepMillis(Learner l, TransitionBatch batch, int steps) {
        double[] ms = new double[steps];
        double sum = 0;
        for (int i = 0; i < steps; i++) {
            long s0 = System.nanoTime();
            l.step(batch);
            ms[i] = (System.nanoTime() - s0) / 1e6;
            sum += ms[i];
        }
        java.util.Arrays.sort(ms);
        return new double[] {ms[steps / 2], sum / steps};
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

    /**
     * n transitions cut from runs of {@code chunk} consecutive steps of random frames (run r, transition i: o_t =
     * frames i … i+c−1 of the run, o_{t+k} = frame i+c), as {@code train.chunk} makes them.
     */
    static TransitionBatch runBatch(ModelConfig c, int n, int chunk, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int frame = c.imageSize() * c.imageSize() * c.channels(), ctx = c.context();
        byte[][] o = new byte[n][], o2 = new byte[n][];
        float[][] a = new float[n][c.modelActionDim()];
        byte[][] run = null;
        for (int i = 0; i < n; i++) {
            int at = i % chunk;
            if (at == 0) {
                run = new byte[chunk + ctx][frame];
                for (byte[] f : run) for (int p = 0; p < frame; p++) f[p] = (byte) r.nextInt(256);
            }
            o[i] = new byte[ctx * frame];
            for (int q = 0; q < ctx; q++) System.arraycopy(run[at + q], 0, o[i], q * frame, frame);
            o2[i] = run[at + ctx].clone();
            for (int j = 0; j < a[i].length; j++) a[i][j] = (float) (r.nextDouble() * 2 - 1);
        }
        return new TransitionBatch(o, a, o2);
    }

    static TransitionBatch randomBatch(ModelConfig c, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] o = new byte[n][c.contextBytes()], o2 = new byte[n][c.imageBytes()]; // o_{t+k}: one frame
        float[][] a = new float[n][c.modelActionDim()];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < o[i].length; p++) o[i][p] = (byte) r.nextInt(256);
            for (int p = 0; p < o2[i].length; p++) o2[i][p] = (byte) r.nextInt(256);
            for (int j = 0; j < a[i].length; j++) a[i][j] = (float) (r.nextDouble() * 2 - 1);
        }
        return new TransitionBatch(o, a, o2);
    }
}
