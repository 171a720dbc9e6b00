package io.smwm.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Per-dimension inverse R²: tells which action dimensions a latent recovers. */
class LinalgR2Test {
    @Test
    void perColumn_perfectColumnOne_noiseColumnNearZero_constantColumnNaN_meanSkipsNaN() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 2000;
        double[][] target = new double[n][3], pred = new double[n][3];
        for (int i = 0; i < n; i++) {
            target[i][0] = r.nextGaussian();
            pred[i][0] = target[i][0];
            target[i][1] = r.nextGaussian();
            pred[i][1] = 0; // predicts the mean: R² ≈ 0
            target[i][2] = 3;
            pred[i][2] = 3;
        }
        double[] per = Linalg.r2PerColumn(pred, target);
        assertEquals(1.0, per[0], 1e-12);
        assertTrue(Math.abs(per[1]) < 0.01, "mean predictor R² " + per[1]);
        assertTrue(Double.isNaN(per[2]));
        assertEquals((per[0] + per[1]) / 2, Linalg.r2(pred, target), 1e-12);
        var rep = LatentDiagnostics.report(new double[][] {{0, 1}, {1, 0}, {2, 2}, {3, 1}}, pred, target, null, 1);
        double[] inRep = (double[]) rep.get("inverse_r2_per_dim");
        assertEquals(per[1], inRep[1], 1e-12);
    }
}
