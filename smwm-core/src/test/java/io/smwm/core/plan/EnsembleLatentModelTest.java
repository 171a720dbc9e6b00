package io.smwm.core.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.render.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnsembleLatentModelTest {

    /**
     * Member with latent dimension {@code dim}, context 2, A = 2, frameskip 1: encode(o)_j = gain·(j+1)·(first byte);
     * the terminal latent is gain·(older context latent) + (newer context latent) + gain·Σ_h a_h[j mod 2], so a wrong
     * split of the ensemble's state (another member's numbers, or the context frames swapped) changes it. Its stand-in
     * inverse model's residual is gain times the mean squared action.
     */
    private static final class Member implements LatentModel {
        final int dim;
        final float gain;
        final float actionScale;
        final float actionShift;
        final boolean cubic;
        final boolean inverse;

        Member(int dim, float gain, float actionScale, boolean inverse) {
            this(dim, gain, actionScale, 0f, false, inverse);
        }

        /** Env action u = scale·a + shift for a normalised action a; normalising adds u³ when {@code cubic} (not a z-score). */
        Member(int dim, float gain, float actionScale, float actionShift, boolean cubic, boolean inverse) {
            this.dim = dim;
            this.gain = gain;
            this.actionScale = actionScale;
            this.actionShift = actionShift;
            this.cubic = cubic;
            this.inverse = inverse;
        }

        @Override public int latentDim() { return dim; }
        @Override public int primitiveActionDim() { return 2; }
        @Override public int frameskip() { return 1; }
        @Override public int context() { return 2; }

        @Override
        public float[] encode(List<RgbImage> frames) {
            float[] z = new float[dim * frames.size()];
            for (int i = 0; i < frames.size(); i++) {
                for (int j = 0; j < dim; j++) z[i * dim + j] = gain * (j + 1) * frames.get(i).data()[0];
            }
            return z;
        }

        @Override
        public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
            for (int g = 0; g < groups; g++) {
                for (int n = 0; n < perGroup; n++) {
                    int row = g * perGroup + n;
                    for (int j = 0; j < dim; j++) {
                        float z = gain * z0[g * 2 * dim + j] + z0[g * 2 * dim + dim + j];
                        for (int h = 0; h < horizon; h++) z += gain * actions[(row * horizon + h) * 2 + j % 2];
                        out[row * dim + j] = z;
                    }
                }
            }
        }

        @Override public boolean scoresInverseConsistency() { return inverse; }

        @Override
        public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out,
                                    float[] inverseResidual) {
            if (!inverse) LatentModel.super.rolloutTerminal(z0, groups, perGroup, actions, horizon, out, inverseResidual);
            rolloutTerminal(z0, groups, perGroup, actions, horizon, out);
            for (int r = 0; r < groups * perGroup; r++) {
                float s = 0;
                for (int i = 0; i < horizon * 2; i++) s += actions[r * horizon * 2 + i] * actions[r * horizon * 2 + i];
                inverseResidual[r] = gain * s / (horizon * 2);
            }
        }

        @Override
        public float[] unnormalise(float[] a) {
            float[] u = a.clone();
            for (int i = 0; i < u.length; i++) u[i] = u[i] * actionScale + actionShift; // cubic: not inverted (unused)
            return u;
        }

        @Override
        public float[] normalise(float[] a) {
            float[] u = a.clone();
            for (int i = 0; i < u.length; i++) u[i] = (u[i] - actionShift) / actionScale + (cubic ? u[i] * u[i] * u[i] : 0);
            return u;
        }
    }

    private static RgbImage frame(int v) {
        return new RgbImage(1, 1, new byte[] {(byte) v, 0, 0});
    }

    @Test
    void encodeAndRollout_concatenateTheMembers_eachFromItsOwnPartOfTheContext() {
        Member a = new Member(2, 1f, 0.5f, true), b = new Member(3, 2f, 0.5f, true);
        EnsembleLatentModel e = new EnsembleLatentModel(List.of(a, b));
        assertEquals(5, e.latentDim());
        assertEquals(2, e.context());
        assertEquals(2, e.size());
        List<RgbImage> frames = List.of(frame(3), frame(7));
        float[] z = e.encode(frames);
        assertArrayEquals(new float[] {3, 6, 6, 12, 18, 7, 14, 14, 28, 42}, z, 0f, "[f1(o), f2(o)] per frame");

        // two groups (episodes) of two candidates, horizon 3; group g's state is [z(older), z(newer)] of the ensemble
        int groups = 2, per = 2, h = 3;
        float[] z0 = new float[groups * 2 * 5];
        float[][] za = new float[groups][], zb = new float[groups][];
        for (int g = 0; g < groups; g++) {
            float[] older = e.encode(List.of(frame(1 + g))), newer = e.encode(List.of(frame(4 + 2 * g)));
            System.arraycopy(older, 0, z0, g * 10, 5);
            System.arraycopy(newer, 0, z0, g * 10 + 5, 5);
            za[g] = concat(a.encode(List.of(frame(1 + g))), a.encode(List.of(frame(4 + 2 * g))));
            zb[g] = concat(b.encode(List.of(frame(1 + g))), b.encode(List.of(frame(4 + 2 * g))));
        }
        float[] actions = new float[groups * per * h * 2];
        for (int i = 0; i < actions.length; i++) actions[i] = (i % 7) * 0.25f - 0.5f;
        float[] out = new float[groups * per * 5], res = new float[groups * per];
        e.rolloutTerminal(z0, groups, per, actions, h, out, res);
        for (int g = 0; g < groups; g++) {
            float[] act = java.util.Arrays.copyOfRange(actions, g * per * h * 2, (g + 1) * per * h * 2);
            float[] oa = new float[per * 2], ob = new float[per * 3], ra = new float[per], rb = new float[per];
            a.rolloutTerminal(za[g], 1, per, act, h, oa, ra);
            b.rolloutTerminal(zb[g], 1, per, act, h, ob, rb);
            for (int n = 0; n < per; n++) {
                int row = g * per + n;
                assertArrayEquals(concat(java.util.Arrays.copyOfRange(oa, n * 2, n * 2 + 2),
                        java.util.Arrays.copyOfRange(ob, n * 3, n * 3 + 3)),
                        java.util.Arrays.copyOfRange(out, row * 5, row * 5 + 5), 1e-6f, "row " + row);
                assertEquals(ra[n] + rb[n], res[row], 1e-6f, "the residuals are summed");
            }
        }
        // without residuals: the same terminal latents
        float[] out2 = new float[out.length];
        e.rolloutTerminal(z0, groups, per, actions, h, out2);
        assertArrayEquals(out, out2, 0f);
        // the planner's distance in the ensemble's latent is the sum of the members' distances
        float[] goal = e.encode(List.of(frame(9)));
        float[] ga = a.encode(List.of(frame(9))), gb = b.encode(List.of(frame(9)));
        float dist = 0, da = 0, db = 0;
        for (int j = 0; j < 5; j++) dist += (out[j] - goal[j]) * (out[j] - goal[j]);
        for (int j = 0; j < 2; j++) da += (out[j] - ga[j]) * (out[j] - ga[j]);
        for (int j = 0; j < 3; j++) db += (out[2 + j] - gb[j]) * (out[2 + j] - gb[j]);
        assertEquals(da + db, dist, 1e-4f);
    }

    @Test
    void oneMember_isThatMember() {
        Member a = new Member(3, 1.5f, 2f, true);
        EnsembleLatentModel e = new EnsembleLatentModel(List.of(a));
        float[] z0 = concat(a.encode(List.of(frame(2))), a.encode(List.of(frame(5))));
        float[] actions = {0.1f, -0.2f, 0.3f, 0.4f};
        float[] o1 = new float[3], o2 = new float[3], r1 = new float[1], r2 = new float[1];
        e.rolloutTerminal(z0, 1, 1, actions, 2, o1, r1);
        a.rolloutTerminal(z0, 1, 1, actions, 2, o2, r2);
        assertArrayEquals(o2, o1, 0f);
        assertArrayEquals(r2, r1, 0f);
        assertArrayEquals(a.unnormalise(new float[] {1, -1}), e.unnormalise(new float[] {1, -1}), 0f);
        assertArrayEquals(a.normalise(new float[] {1, -1}), e.normalise(new float[] {1, -1}), 0f);
    }

    @Test
    void membersOfAnotherActionSpace_orANonAffineNormalisation_orWithoutAnInverseModel_areRefusedOrReported() {
        IllegalArgumentException norm = assertThrows(IllegalArgumentException.class, () -> new EnsembleLatentModel(
                List.of(new Member(2, 1f, 0.5f, true), new Member(2, 1f, 0.5f, 0f, true, true))));
        assertTrue(norm.getMessage().contains("not an affine map"), norm.getMessage());
        LatentModel oneContext = new LinearLatentModel(1, 2, new float[] {1, 1}, 1f);
        IllegalArgumentException ctx = assertThrows(IllegalArgumentException.class,
                () -> new EnsembleLatentModel(List.of(new Member(2, 1f, 1f, true), oneContext)));
        assertTrue(ctx.getMessage().contains("context 1"), ctx.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EnsembleLatentModel(List.of()));

        EnsembleLatentModel mixed = new EnsembleLatentModel(List.of(new Member(2, 1f, 1f, true),
                new Member(2, 1f, 1f, false)));
        assertFalse(mixed.scoresInverseConsistency());
        assertThrows(UnsupportedOperationException.class,
                () -> mixed.rolloutTerminal(new float[8], 1, 1, new float[2], 1, new float[4], new float[1]));
        assertTrue(new EnsembleLatentModel(List.of(new Member(2, 1f, 1f, true))).scoresInverseConsistency());
    }

    @Test
    void aMemberTrainedOnAnotherTable_ratesTheSameEnvActions_inItsOwnNormalisation() {
        // member 1 reads a normalised action a as the env action 0.5·a; member 2's table gives 0.8·a' + 0.3
        Member a = new Member(2, 1f, 0.5f, true), b = new Member(3, 2f, 0.8f, 0.3f, false, true);
        EnsembleLatentModel e = new EnsembleLatentModel(List.of(a, b));
        assertFalse(e.convertsActions(0));
        assertTrue(e.convertsActions(1));
        assertFalse(new EnsembleLatentModel(List.of(a, new Member(3, 2f, 0.5f, true))).convertsActions(1),
                "a member that normalises alike is handed the actions as they are");
        int per = 3, h = 2;
        float[] z0 = concat(e.encode(List.of(frame(2))), e.encode(List.of(frame(5))));
        float[] zb = concat(b.encode(List.of(frame(2))), b.encode(List.of(frame(5))));
        float[] actions = new float[per * h * 2];
        for (int i = 0; i < actions.length; i++) actions[i] = (i % 5) * 0.4f - 0.9f;
        float[] converted = new float[actions.length];
        for (int i = 0; i < actions.length; i++) converted[i] = (0.5f * actions[i] - 0.3f) / 0.8f; // the same env action
        float[] out = new float[per * 5], res = new float[per];
        e.rolloutTerminal(z0, 1, per, actions, h, out, res);
        float[] oa = new float[per * 2], ob = new float[per * 3], ra = new float[per], rb = new float[per];
        a.rolloutTerminal(concat(a.encode(List.of(frame(2))), a.encode(List.of(frame(5)))), 1, per, actions, h, oa, ra);
        b.rolloutTerminal(zb, 1, per, converted, h, ob, rb);
        for (int n = 0; n < per; n++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(oa, n * 2, n * 2 + 2),
                    java.util.Arrays.copyOfRange(out, n * 5, n * 5 + 2), 1e-6f, "member 1, row " + n);
            assertArrayEquals(java.util.Arrays.copyOfRange(ob, n * 3, n * 3 + 3),
                    java.util.Arrays.copyOfRange(out, n * 5 + 2, n * 5 + 5), 1e-5f, "member 2 on converted actions, row " + n);
            assertEquals(ra[n] + rb[n], res[n], 1e-5f, "residuals, each in its member's normalisation, summed");
        }
        // the planner's maps are member 1's
        assertArrayEquals(a.unnormalise(new float[] {1, -1}), e.unnormalise(new float[] {1, -1}), 0f);
        // the caller's actions are left as they were
        assertEquals(-0.9f, actions[0], 0f);
    }

    private static float[] concat(float[] x, float[] y) {
        float[] out = new float[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
