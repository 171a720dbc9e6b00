package io.smwm.core.eval;

import io.smwm.core.train.TrainResult;
import io.smwm.core.stats.LatentDiagnostics;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.train.InMemoryTransitionSource;
import io.smwm.core.train.LocalTrainer;
import io.smwm.core.train.TransitionBatch;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Manual experiment (not a unit test): a small stand-in for the paper's dot world (32x32, dots of radius 2,
 * per-axis displacement uniform in [-8, 8] px, actions divided by 8) to calibrate the significant-components rule.
 * Run: java -cp test-classes:classes:CP io.smwm.core.eval.DotWorldProbe independent|coupled steps outDir
 */
public final class DotWorldProbe {
    static final int S = 32, R = 2, MAXD = 8;
    static final int[][] COLOURS = {{220, 30, 30}, {30, 30, 220}, {30, 160, 30}, {200, 160, 0}};

    public static void main(String[] args) {
        String kind = args[0];
        int steps = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        int dots = 2, m = kind.equals("independent") ? 4 : 2;
        TransitionBatch all = generate(kind, dots, 24000, 1);
        InMemoryTransitionSource src = new InMemoryTransitionSource(all);
        InMemoryTransitionSource[] tv = src.split(0.05, 2);
        int bs = 64, epochs = Math.max(1, (int) Math.ceil(steps * (double) bs / tv[0].size()));
        ExperimentConfig cfg = new ExperimentConfig(new ModelConfig(S, 3, List.of(16, 32, 64), 16, 128, m, 1, 1, false),
                new LossConfig(10), new TrainConfig(1e-3, bs, epochs, 5, 0.05, 0, 0.9, 0.999, 1e-8, 1.0, "direct", 1, 0));
        LocalTrainer t = new LocalTrainer(cfg, Normalizer.fit(tv[0].all().actions(), m, 1), out, "dotprobe-" + kind, "");
        TrainResult r = t.fit(tv[0], tv[1]);
        Map<String, Object> d = DiagnosticsReport.write(r.model(), tv[1].all(), 3, out.resolve("diagnostics"));
        double[] ratio = (double[]) d.get("explained_variance_ratio");
        System.out.printf("%s: val %s | std %.4f erank %.2f sig(5%%)=%d sig(1%%)=%d sig(2%%)=%d inverse_r2 %.3f probe_r2 %.3f%n"
                        + "  explained variance: %s%n", kind, r.last().val(), (double) d.get("latent_std_mean"),
                (double) d.get("effective_rank"), LatentDiagnostics.significantComponents(ratio, 0.05),
                LatentDiagnostics.significantComponents(ratio, 0.01), LatentDiagnostics.significantComponents(ratio, 0.02),
                (double) d.get("inverse_r2"), (double) d.get("probe_r2"),
                Arrays.toString(Arrays.stream(ratio).limit(10).map(x -> Math.round(x * 1000) / 1000.0).toArray()));
    }

    /** independent: each dot has its own (dx, dy) in the action; coupled: both dots share one (dx, dy). */
    static TransitionBatch generate(String kind, int dots, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean indep = kind.equals("independent");
        int m = indep ? 2 * dots : 2;
        byte[][] o = new byte[n][], o2 = new byte[n][];
        float[][] a = new float[n][m], st = new float[n][2 * dots];
        for (int i = 0; i < n; i++) {
            int[] x = new int[dots], y = new int[dots], x2 = new int[dots], y2 = new int[dots];
            int sdx = r.nextInt(2 * MAXD + 1) - MAXD, sdy = r.nextInt(2 * MAXD + 1) - MAXD;
            for (int k = 0; k < dots; k++) {
                x[k] = R + r.nextInt(S - 2 * R);
                y[k] = R + r.nextInt(S - 2 * R);
                int dx = indep ? r.nextInt(2 * MAXD + 1) - MAXD : sdx, dy = indep ? r.nextInt(2 * MAXD + 1) - MAXD : sdy;
                x2[k] = Math.max(R, Math.min(S - 1 - R, x[k] + dx));
                y2[k] = Math.max(R, Math.min(S - 1 - R, y[k] + dy));
                if (indep) {
                    a[i][2 * k] = dx / (float) MAXD;
                    a[i][2 * k + 1] = dy / (float) MAXD;
                }
                st[i][2 * k] = x[k];
                st[i][2 * k + 1] = y[k];
            }
            if (!indep) {
                a[i][0] = sdx / (float) MAXD;
                a[i][1] = sdy / (float) MAXD;
            }
            o[i] = render(x, y);
            o2[i] = render(x2, y2);
        }
        return new TransitionBatch(o, a, o2, st);
    }

    static byte[] render(int[] x, int[] y) {
        byte[] img = new byte[S * S * 3];
        Arrays.fill(img, (byte) 255);
        for (int k = 0; k < x.length; k++)
            for (int py = y[k] - R; py <= y[k] + R; py++)
                for (int px = x[k] - R; px <= x[k] + R; px++)
                    if ((px - x[k]) * (px - x[k]) + (py - y[k]) * (py - y[k]) <= R * R)
                        for (int c = 0; c < 3; c++) img[(py * S + px) * 3 + c] = (byte) COLOURS[k][c];
        return img;
    }
}
