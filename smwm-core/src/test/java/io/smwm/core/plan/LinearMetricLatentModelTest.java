package io.smwm.core.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smwm.core.render.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearMetricLatentModelTest {
    /** M = [[2, 1], [0, 1]], M⁻¹ = [[0.5, −0.5], [0, 1]]. */
    private static final float[] M = {2, 1, 0, 1}, M_INV = {0.5f, -0.5f, 0, 1};

    /**
     * D = 2, context 2: encode(o) = (first byte, second byte); the terminal latent is the newest context latent
     * plus the sum of the actions, so a rollout's result shows whether it saw the raw latents.
     */
    private static final class Inner implements LatentModel {
        @Override public int latentDim() { return 2; }
        @Override public int primitiveActionDim() { return 2; }
        @Override public int frameskip() { return 1; }
        @Override public int context() { return 2; }

        @Override
        public float[] encode(List<RgbImage> frames) {
            float[] z = new float[2 * frames.size()];
            for (int i = 0; i < frames.size(); i++) {
                z[2 * i] = frames.get(i).data()[0];
                z[2 * i + 1] = frames.get(i).data()[1];
            }
            return z;
        }

        @Override
        public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
            for (int g = 0; g < groups; g++) {
                for (int n = 0; n < perGroup; n++) {
                    int row = g * perGroup + n;
                    for (int j = 0; j < 2; j++) {
                        float z = z0[g * 4 + 2 + j];
                        for (int h = 0; h < horizon; h++) {
                            z += actions[(row * horizon + h) * 2 + j];
                        }
                        out[row * 2 + j] = z;
                    }
                }
            }
        }

        @Override public float[] unnormalise(float[] a) { return a.clone(); }
        @Override public float[] normalise(float[] a) { return a.clone(); }
    }

    private static RgbImage frame(int a, int b) {
        byte[] px = new byte[3];
        px[0] = (byte) a;
        px[1] = (byte) b;
        return new RgbImage(1, 1, px);
    }

    @Test
    void encode_andRollouts_liveInTheMappedSpace_withTheInnerDynamics() {
        LatentModel m = new LinearMetricLatentModel(new Inner(), M, M_INV);
        assertEquals(2, m.context());
        float[] z = m.encode(List.of(frame(1, 2), frame(3, 4)));
        assertArrayEquals(new float[] {4, 2, 10, 4}, z, "M·(1, 2) and M·(3, 4)");
        // one group, two candidates, horizon 1: raw terminal = (3, 4) + a
        float[] actions = {1, 0, 0, 1};
        float[] out = new float[4];
        m.rolloutTerminal(z, 1, 2, actions, 1, out);
        assertArrayEquals(new float[] {2 * 4 + 4, 4, 2 * 3 + 5, 5}, out, 1e-5f, "M·(4, 4) and M·(3, 5)");
    }

    @Test
    void aPlannersCost_isTheSquaredDistanceUnderM() {
        LatentModel m = new LinearMetricLatentModel(new Inner(), M, M_INV);
        float[] goal = m.encode(List.of(frame(3, 4)));
        float[] start = m.encode(List.of(frame(0, 0), frame(3, 3)));
        float[] out = new float[2];
        m.rolloutTerminal(start, 1, 1, new float[] {0, 0}, 1, out);
        // raw terminal (3, 3), goal (3, 4): the difference (0, −1) under M is (−1, −1)
        double cost = Math.pow(out[0] - goal[0], 2) + Math.pow(out[1] - goal[1], 2);
        assertEquals(2.0, cost, 1e-5);
    }

    @Test
    void aMatrixOfTheWrongSize_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new LinearMetricLatentModel(new Inner(), new float[] {1, 0, 0}, M_INV));
    }
}
