package io.smwm.core.model.direct;

import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.WorldModelLoss;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.train.Learner;
import io.smwm.core.train.TransitionBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollout term ({@code loss.rolloutSteps}): its value against g rolled out by the planner's kernel on the encoded
 * frames, its gradient against finite differences, and nothing changed for batches without runs.
 */
class RolloutTest {
    /** 16-px frames, context 2, every option, residual g. */
    static final ModelConfig RESIDUAL = new ModelConfig(16, 3, List.of(4, 8), 8, 16, 2, 2, 2, true, true, true);
    /** The same with g's output tanh, context 1. */
    static final ModelConfig TANH_C1 = new ModelConfig(16, 3, List.of(4, 8), 8, 16, 2, 2, 1, false, false, false);

    /** Episodes of random frames cut into transitions: rows 0–3 one run of episode A, rows 4–6 one of episode B. */
    record Runs(byte[][] obsT, float[][] actions, byte[][] obsTk, int[][] rowsOfRuns) {}

    static Runs runs(ModelConfig c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int frame = c.imageSize() * c.imageSize() * c.channels(), ctx = c.context();
        int[] lengths = {4, 3};
        int rows = 7;
        byte[][] ot = new byte[rows][], otk = new byte[rows][];
        float[][] a = new float[rows][c.modelActionDim()];
        int[][] runRows = new int[lengths.length][];
        int row = 0;
        for (int e = 0; e < lengths.length; e++) {
            byte[][] frames = new byte[lengths[e] + ctx][frame];
            for (byte[] f : frames) for (int j = 0; j < frame; j++) f[j] = (byte) r.nextInt(256);
            runRows[e] = new int[lengths[e]];
            for (int t = 0; t < lengths[e]; t++, row++) {
                runRows[e][t] = row;
                ot[row] = new byte[ctx * frame];
                for (int f = 0; f < ctx; f++) System.arraycopy(frames[t + f], 0, ot[row], f * frame, frame);
                otk[row] = frames[t + ctx].clone();
                for (int j = 0; j < a[row].length; j++) a[row][j] = (float) r.nextGaussian();
            }
        }
        return new Runs(ot, a, otk, runRows);
    }

    /** The graph's seeded initialisation of {@code c} [numParams]. */
    static INDArray initialParams(ModelConfig c, long seed) {
        return WorldModelGraph.build(c, new LossConfig(1), seed).flatParams();
    }

    static LossConfig rollout(double lambda, int steps, double weight) {
        return new LossConfig(lambda).withRollout(steps, weight);
    }

    /** L_roll recomputed outside the engine: encode, roll g out with the planner's kernel, compare. */
    static double expectedRoll(ModelConfig c, INDArray params, Runs b, int horizon) {
        WorldModel m = WorldModel.of(c, new LossConfig(1), Normalizer.identity(c.actionDim(), c.frameskip()), params);
        double sse = 0;
        int count = 0;
        for (int[] run : b.rowsOfRuns()) {
            for (int s = 0; s < run.length; s += horizon) {
                int len = Math.min(horizon, run.length - s);
                if (len < 2) continue;
                int b0 = run[s];
                INDArray s0 = m.encodeContext(new byte[][] {b.obsT()[b0]});
                INDArray acts = Nd4j.create(DataType.FLOAT, 1, len, c.modelActionDim());
                for (int j = 0; j < len; j++)
                    for (int d = 0; d < c.modelActionDim(); d++) acts.putScalar(new long[] {0, j, d}, b.actions()[b0 + j][d]);
                INDArray pred = m.rollout(s0, acts);
                for (int j = 2; j <= len; j++) {
                    INDArray target = m.encode(new byte[][] {b.obsTk()[b0 + j - 1]});
                    INDArray p = pred.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(j - 1)).reshape(1, c.latentDim());
                    sse += p.sub(target).norm2Number().doubleValue() * p.sub(target).norm2Number().doubleValue();
                    count++;
                }
            }
        }
        return sse / ((double) count * c.latentDim());
    }

    @Test
    void theTermIsGsOwnOpenLoopErrorAlongTheRuns() {
        for (ModelConfig c : List.of(RESIDUAL, TANH_C1)) {
            Runs b = runs(c, 3);
            INDArray params = initialParams(c, 11);
            DirectWorldModel dm = new DirectWorldModel(c, rollout(1, 3, 0.5), params);
            LossTerms t = dm.lossAndGradient(b.obsT(), b.actions(), b.obsTk()).loss();
            double want = expectedRoll(c, params, b, 3);
            assertTrue(want > 1e-4, "a rollout error to compare: " + want);
            assertEquals(want, t.term(LossTerms.ROLL), 1e-5 * Math.max(1, want), "L_roll, context " + c.context());
            DirectWorldModel plain = new DirectWorldModel(c, new LossConfig(1), params);
            LossTerms p = plain.loss(b.obsT(), b.actions(), b.obsTk());
            assertEquals(p.fwd(), t.fwd(), 1e-7, "L_fwd unchanged");
            assertEquals(p.total() + 0.5 * want, t.total(), 1e-5, "L = the one-step objective + w·L_roll");
            assertEquals(t.total(), dm.loss(b.obsT(), b.actions(), b.obsTk()).total(), 1e-7, "forward-only pass");
            // runs of two: segments (0,1), (2,3), (4,5); row 6 alone
            double two = new DirectWorldModel(c, rollout(1, 2, 1), params).loss(b.obsT(), b.actions(), b.obsTk())
                    .term(LossTerms.ROLL);
            assertEquals(expectedRoll(c, params, b, 2), two, 1e-5 * Math.max(1, two), "H = 2");
        }
    }

    /** The directional derivative of L_roll along random directions against central differences. */
    @Test
    void theGradientIsTheTermsDerivative() {
        for (ModelConfig c : List.of(RESIDUAL, TANH_C1)) {
            Runs b = runs(c, 5);
            INDArray params = initialParams(c, 13);
            DirectWorldModel with = new DirectWorldModel(c, rollout(0.7, 3, 1), params);
            with.lossAndGradient(b.obsT(), b.actions(), b.obsTk());
            INDArray gWith = with.gradient().dup();
            DirectWorldModel without = new DirectWorldModel(c, new LossConfig(0.7), params);
            without.lossAndGradient(b.obsT(), b.actions(), b.obsTk());
            INDArray gRoll = gWith.sub(without.gradient()); // the rollout term's own gradient
            assertTrue(gRoll.norm2Number().doubleValue() > 1e-4, "the term has a gradient");
            SplittableRandom r = new SplittableRandom(9);
            for (int k = 0; k < 4; k++) {
                INDArray v = Nd4j.create(DataType.FLOAT, params.length());
                for (long i = 0; i < params.length(); i++) v.putScalar(i, r.nextGaussian());
                v.divi(v.norm2Number());
                double eps = 1e-2;
                double up = roll(c, params.add(v.mul(eps)), b), down = roll(c, params.sub(v.mul(eps)), b);
                double fd = (up - down) / (2 * eps), an = gRoll.mul(v).sumNumber().doubleValue();
                assertEquals(fd, an, 2e-2 * Math.max(Math.abs(fd), 1e-3), "context " + c.context() + ", direction " + k
                        + ": finite difference " + fd + ", gradient " + an);
            }
        }
    }

    private static double roll(ModelConfig c, INDArray params, Runs b) {
        return new DirectWorldModel(c, rollout(0.7, 3, 1), params).loss(b.obsT(), b.actions(), b.obsTk())
                .term(LossTerms.ROLL);
    }

    /** A training step through the trainer's learner: the term is reported and the steps lower the objective. */
    @Test
    void trainingStepsLowerTheObjectiveWithTheTerm() {
        Learner l = new Learner(RESIDUAL, rollout(1, 3, 1), TrainConfig.DEFAULT.withLr(1e-3).withSeed(3).withChunk(4),
                Normalizer.identity(2, 2), 4);
        Runs r = runs(RESIDUAL, 7);
        TransitionBatch b = new TransitionBatch(r.obsT(), r.actions(), r.obsTk());
        LossTerms before = l.evaluate(b);
        assertEquals(List.of(LossTerms.FWD, LossTerms.INV, LossTerms.ROLL, LossTerms.TOTAL), before.names());
        Learner.StepResult first = l.step(b);
        assertEquals(before.term(LossTerms.ROLL), first.loss().term(LossTerms.ROLL), 1e-6, "the step's own terms");
        for (int i = 0; i < 4; i++) l.step(b);
        LossTerms after = l.evaluate(b);
        assertTrue(after.total() < before.total(), before + " -> " + after);
        assertTrue(after.term(LossTerms.ROLL) < before.term(LossTerms.ROLL), before + " -> " + after);
    }

    @Test
    void beforeItsEpochTheTermIsMeasuredButNotTrained() {
        Runs b = runs(RESIDUAL, 3);
        INDArray params = initialParams(RESIDUAL, 11);
        DirectWorldModel late = new DirectWorldModel(RESIDUAL, rollout(1, 3, 1).withRolloutFromEpoch(2), params);
        DirectWorldModel plain = new DirectWorldModel(RESIDUAL, new LossConfig(1), params);
        LossTerms p = plain.lossAndGradient(b.obsT(), b.actions(), b.obsTk()).loss();
        LossTerms e1 = late.lossAndGradient(b.obsT(), b.actions(), b.obsTk()).loss();
        assertTrue(e1.term(LossTerms.ROLL) > 1e-4, "reported in epoch 1");
        assertEquals(p.total(), e1.total(), 1e-12, "not in L in epoch 1");
        assertEquals(0.0, late.gradient().sub(plain.gradient()).amaxNumber().doubleValue(), 1e-12, "nor in its gradient");
        late.setEpoch(2);
        LossTerms e2 = late.lossAndGradient(b.obsT(), b.actions(), b.obsTk()).loss();
        assertEquals(p.total() + e2.term(LossTerms.ROLL), e2.total(), 1e-6, "in L from epoch 2");
        assertTrue(late.gradient().sub(plain.gradient()).amaxNumber().doubleValue() > 1e-6, "and in its gradient");
        assertEquals(0.0, rollout(1, 3, 1).withRolloutFromEpoch(2).rolloutWeightAt(1));
        assertEquals(1.0, rollout(1, 3, 1).withRolloutFromEpoch(2).rolloutWeightAt(3));
    }

    @Test
    void aBatchWithoutRunsIsTheOneStepLoss() {
        DirectWorldModelTest.Batch b = DirectWorldModelTest.randomBatch(RESIDUAL, 6, 4);
        INDArray params = initialParams(RESIDUAL, 11);
        DirectWorldModel with = new DirectWorldModel(RESIDUAL, rollout(1, 4, 1), params);
        LossTerms t = with.lossAndGradient(b.obsT(), b.actions(), b.obsTk()).loss();
        DirectWorldModel without = new DirectWorldModel(RESIDUAL, new LossConfig(1), params);
        LossTerms p = without.lossAndGradient(b.obsT(), b.actions(), b.obsTk()).loss();
        assertEquals(0.0, t.term(LossTerms.ROLL), "no runs, no rollout error");
        assertEquals(p.total(), t.total(), 1e-12);
        assertEquals(0.0, with.gradient().sub(without.gradient()).amaxNumber().doubleValue(), 1e-12, "same gradient");
        assertEquals(List.of(LossTerms.FWD, LossTerms.INV, LossTerms.ROLL, LossTerms.TOTAL),
                WorldModelLoss.names(rollout(1, 4, 1)), "reported by name");
        assertFalse(new LossConfig(1).rollout(), "off by default: the paper's one-step loss");
    }

    @Test
    void theTermNeedsRunsAndTheDirectEngine() {
        TrainConfig runsOf4 = TrainConfig.DEFAULT.withChunk(4);
        ExperimentConfig ok = new ExperimentConfig(RESIDUAL, rollout(1, 4, 1), runsOf4);
        assertEquals(4, ok.loss().rolloutSteps());
        IllegalArgumentException shortRuns = assertThrows(IllegalArgumentException.class,
                () -> new ExperimentConfig(RESIDUAL, rollout(1, 4, 1), TrainConfig.DEFAULT.withChunk(2)));
        assertTrue(shortRuns.getMessage().contains("train.chunk >= 4"), shortRuns.getMessage());
        IllegalArgumentException graph = assertThrows(IllegalArgumentException.class, () -> new ExperimentConfig(
                RESIDUAL, rollout(1, 4, 1), runsOf4.withEngine(TrainConfig.ENGINE_SAMEDIFF)));
        assertTrue(graph.getMessage().contains("train.engine direct"), graph.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rollout(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> rollout(1, 2, -1));
    }
}
