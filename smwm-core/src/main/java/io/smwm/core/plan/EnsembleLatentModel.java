package io.smwm.core.plan;

import io.smwm.core.render.RgbImage;
import java.util.Arrays;
import java.util.List;

/**
 * Several world models of the same task seen as one: the latent is the concatenation of the members' latents, so a
 * planner's squared L2 cost ‖ẑ_H − z_g‖² is the sum of the members' costs, and a plan scores well only where every
 * member predicts it reaches the goal. Members trained apart (another seed) are wrong in different places, so the
 * action sequences one member extrapolates on are outvoted by the others: an ensemble against the plans a single
 * forward model rates well for its own errors.
 *
 * <p>Shapes: member i has latent dimension D_i; this model's D = Σ D_i, a latent [D] is [z¹, z², …] (member 1's
 * D_1 numbers first). A planning state [c·D] is the c context latents, each so concatenated; member i sees its own
 * [c·D_i]. The inverse residual ({@link #rolloutTerminal(float[], int, int, float[], int, float[], float[])}) is the
 * sum of the members' residuals, as the distance is the sum of theirs, so a weight on it weighs the same against the
 * distance as it does for one model.
 *
 * <p>Members must agree on the action space (primitive action dimension and frameskip) and on the context c; they
 * are checked on construction. Actions are in member 1's normalisation (the planner samples in it, and
 * {@link #normalise}/{@link #unnormalise} are member 1's). A member trained on another table z-scores actions by that
 * table's statistics: it is handed each candidate's actions converted into its own normalisation,
 * a' = normalise'(unnormalise₁(a)), so every member rates the same env actions (its inverse residual is then in its
 * own normalisation, as it would be alone). Rows stay independent; not thread-safe (the members' buffers are reused).
 */
public final class EnsembleLatentModel implements LatentModel {
    private final LatentModel[] members;
    private final int[] dims;
    private final int[] offsets;
    private final int d;
    private final int c;
    private float[][] memberState = new float[0][];
    private float[][] memberOut = new float[0][];
    private float[] memberResidual = new float[0];
    /** Per member: null where it normalises as member 1 does, else the affine map a'_j = scale_j·a_j + shift_j [A]. */
    private final float[][] actionScale;
    private final float[][] actionShift;
    private float[][] memberActions = new float[0][];

    /**
     * @param members at least one model; all with the same action space and context
     * @throws IllegalArgumentException when they differ
     */
    public EnsembleLatentModel(List<? extends LatentModel> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        this.members = members.toArray(new LatentModel[0]);
        LatentModel first = this.members[0];
        this.dims = new int[this.members.length];
        this.offsets = new int[this.members.length];
        this.actionScale = new float[this.members.length][];
        this.actionShift = new float[this.members.length][];
        int total = 0;
        for (int i = 0; i < this.members.length; i++) {
            LatentModel m = this.members[i];
            if (m.primitiveActionDim() != first.primitiveActionDim() || m.frameskip() != first.frameskip()
                    || m.context() != first.context()) {
                throw new IllegalArgumentException("ensemble member " + (i + 1) + " has action dimension "
                        + m.primitiveActionDim() + ", frameskip " + m.frameskip() + " and context " + m.context()
                        + "; member 1 has " + first.primitiveActionDim() + ", " + first.frameskip() + " and "
                        + first.context() + ": members must be models of the same task and action space");
            }
            actionConversion(first, m, i);
            dims[i] = m.latentDim();
            offsets[i] = total;
            total += dims[i];
        }
        this.d = total;
        this.c = first.context();
    }

    /**
     * Sets member i's action conversion from member 1's normalised actions, the map normalise_i(unnormalise_1(a)) read
     * per component from probes at 0 and 1 and checked at 2; none where it is the identity (the same normalisation).
     *
     * @throws IllegalArgumentException when the composed map is not affine per component (not a z-score)
     */
    private void actionConversion(LatentModel first, LatentModel m, int i) {
        int a = first.modelActionDim();
        float[] shift = m.normalise(first.unnormalise(new float[a]));
        float[] ones = new float[a], twos = new float[a];
        Arrays.fill(ones, 1f);
        Arrays.fill(twos, 2f);
        float[] at1 = m.normalise(first.unnormalise(ones)), at2 = m.normalise(first.unnormalise(twos));
        float[] scale = new float[a];
        boolean identity = true;
        for (int j = 0; j < a; j++) {
            scale[j] = at1[j] - shift[j];
            if (!(Math.abs(at2[j] - (shift[j] + 2 * scale[j])) <= 1e-4f * Math.max(1f, Math.abs(at2[j])))) {
                throw new IllegalArgumentException("ensemble member " + (i + 1) + ": its action normalisation is not "
                        + "an affine map of member 1's (action number " + j + ")");
            }
            identity &= Math.abs(scale[j] - 1f) <= 1e-5f && Math.abs(shift[j]) <= 1e-5f;
        }
        if (!identity) {
            actionScale[i] = scale;
            actionShift[i] = shift;
        }
    }

    /** True when member i (0-based) is handed converted actions: it normalises them otherwise than member 1. */
    public boolean convertsActions(int i) {
        return actionScale[i] != null;
    }

    /** The number of members. */
    public int size() {
        return members.length;
    }

    @Override
    public int latentDim() {
        return d;
    }

    @Override
    public int primitiveActionDim() {
        return members[0].primitiveActionDim();
    }

    @Override
    public int frameskip() {
        return members[0].frameskip();
    }

    @Override
    public int context() {
        return c;
    }

    /** [B, D]: row b is [f¹(o_b), f²(o_b), …]. */
    @Override
    public float[] encode(List<RgbImage> frames) {
        int b = frames.size();
        float[] out = new float[b * d];
        for (int i = 0; i < members.length; i++) {
            float[] z = members[i].encode(frames);
            for (int r = 0; r < b; r++) {
                System.arraycopy(z, r * dims[i], out, r * d + offsets[i], dims[i]);
            }
        }
        return out;
    }

    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out) {
        rolloutTerminal(z0, groups, perGroup, actions, horizon, out, null);
    }

    /** True when every member has an inverse model. */
    @Override
    public boolean scoresInverseConsistency() {
        for (LatentModel m : members) {
            if (!m.scoresInverseConsistency()) return false;
        }
        return true;
    }

    /** Each member's rollout from its part of the states; the terminal latents concatenated, the residuals summed. */
    @Override
    public void rolloutTerminal(float[] z0, int groups, int perGroup, float[] actions, int horizon, float[] out,
                                float[] inverseResidual) {
        if (inverseResidual != null && !scoresInverseConsistency()) {
            throw new UnsupportedOperationException("an ensemble member has no inverse model");
        }
        int rows = groups * perGroup;
        ensureBuffers(groups, rows);
        if (inverseResidual != null) {
            Arrays.fill(inverseResidual, 0, rows, 0f);
        }
        for (int i = 0; i < members.length; i++) {
            float[] s = memberState[i];
            for (int g = 0; g < groups; g++) {
                for (int j = 0; j < c; j++) {
                    System.arraycopy(z0, (g * c + j) * d + offsets[i], s, (g * c + j) * dims[i], dims[i]);
                }
            }
            float[] act = actions;
            if (actionScale[i] != null) {
                int a = actionScale[i].length, n = rows * horizon * a;
                if (memberActions[i].length < n) memberActions[i] = new float[n];
                act = memberActions[i];
                float[] sc = actionScale[i], sh = actionShift[i];
                for (int o = 0; o < n; o += a) {
                    for (int j = 0; j < a; j++) act[o + j] = sc[j] * actions[o + j] + sh[j];
                }
            }
            if (inverseResidual == null) {
                members[i].rolloutTerminal(s, groups, perGroup, act, horizon, memberOut[i]);
            } else {
                members[i].rolloutTerminal(s, groups, perGroup, act, horizon, memberOut[i], memberResidual);
                for (int r = 0; r < rows; r++) {
                    inverseResidual[r] += memberResidual[r];
                }
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(memberOut[i], r * dims[i], out, r * d + offsets[i], dims[i]);
            }
        }
    }

    private void ensureBuffers(int groups, int rows) {
        if (memberState.length != members.length) {
            memberState = new float[members.length][0];
            memberOut = new float[members.length][0];
            memberActions = new float[members.length][0];
        }
        for (int i = 0; i < members.length; i++) {
            if (memberState[i].length < groups * c * dims[i]) memberState[i] = new float[groups * c * dims[i]];
            if (memberOut[i].length < rows * dims[i]) memberOut[i] = new float[rows * dims[i]];
        }
        if (memberResidual.length < rows) {
            memberResidual = new float[rows];
        }
    }

    /** Member 1's map (the others are handed actions converted from it). */
    @Override
    public float[] unnormalise(float[] normalisedModelAction) {
        return members[0].unnormalise(normalisedModelAction);
    }

    @Override
    public float[] normalise(float[] modelAction) {
        return members[0].normalise(modelAction);
    }
}
