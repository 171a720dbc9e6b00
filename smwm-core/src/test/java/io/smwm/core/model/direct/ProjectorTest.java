package io.smwm.core.model.direct;

import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.ModelConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.loss.WorldModelLoss;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.ParamSpec;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.model.direct.DirectWorldModelTest.Batch;
import io.smwm.core.train.Learner;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encoder's projector ({@code model.projector}): BatchNorm with batch statistics in training passes, checked by
 * finite differences of the training loss; running statistics everywhere else, checked against the SameDiff graph.
 */
class ProjectorTest {
    /** 16-px frames, two conv layers, context 2, centred frames, coordinate channels, residual g, a 6-unit projector. */
    static final ModelConfig PROJ = new ModelConfig(16, 3, List.of(4, 8), 8, 16, 2, 2, 2, true, true, true, 0, 6);

    static long offset(ModelConfig c, String name) {
        long off = 0;
        for (ParamSpec s : WorldModelGraph.paramSpecs(c)) {
            if (s.name().equals(name)) return off;
            off += s.length();
        }
        throw new IllegalArgumentException(name);
    }

    static long length(ModelConfig c, String name) {
        return WorldModelGraph.paramSpecs(c).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow()
                .length();
    }

    /** A model whose BatchNorm scale and shift are not the identity, so both matter. */
    static DirectWorldModel model(long seed) {
        INDArray flat = WorldModelGraph.build(PROJ, new LossConfig(1.0), seed).flatParams().dup();
        SplittableRandom r = new SplittableRandom(seed);
        long g = offset(PROJ, WorldModelGraph.BN_GAMMA), b = offset(PROJ, WorldModelGraph.BN_BETA);
        for (int j = 0; j < PROJ.projector(); j++) {
            flat.putScalar(g + j, 0.5 + r.nextDouble());
            flat.putScalar(b + j, 0.6 * r.nextDouble() - 0.3);
        }
        return new DirectWorldModel(PROJ, 1.0, flat);
    }

    static double trainingLoss(DirectWorldModel m, Batch b) {
        return m.lossAndGradient(b.obsT(), b.actions(), b.obsTk()).loss().total();
    }

    private static void assertGradientsMatchFiniteDifferences(Batch b) {
        DirectWorldModel m = model(3);
        trainingLoss(m, b);
        float[] grad = m.gradient().toFloatVector();
        INDArray p = m.params();
        double eps = 2e-3;
        // (not the last convolution's bias: it shifts whole channels, which BatchNorm all but cancels, so its loss is
        // dominated by ReLU and max-pool kinks and no finite difference is stable)
        for (String name : List.of("enc_conv0_W", "enc_conv1_W", "enc_coord_W", "enc_proj_W", WorldModelGraph.BN_GAMMA,
                WorldModelGraph.BN_BETA, "enc_fc_W", "enc_fc_b")) {
            long off = offset(PROJ, name), len = length(PROJ, name), best = off;
            for (long i = off; i < off + len; i++) if (Math.abs(grad[(int) i]) > Math.abs(grad[(int) best])) best = i;
            double orig = p.getDouble(best);
            p.putScalar(best, orig + eps);
            double up = trainingLoss(m, b);
            p.putScalar(best, orig - eps);
            double down = trainingLoss(m, b);
            p.putScalar(best, orig);
            double numeric = (up - down) / (2 * eps), analytic = grad[(int) best];
            assertTrue(Math.abs(analytic) > 1e-4, name + " has a gradient: " + analytic);
            assertEquals(numeric, analytic, 0.03 * Math.abs(analytic) + 2e-5, name + " at " + (best - off));
        }
        // BatchNorm removes the mean a bias before it adds: the projector's bias gets no gradient; nor do the running
        // statistics, which are not trained
        double projBias = 0, biggest = 0;
        for (long i = offset(PROJ, "enc_proj_b"); i < offset(PROJ, "enc_proj_b") + PROJ.projector(); i++)
            projBias = Math.max(projBias, Math.abs(grad[(int) i]));
        for (float x : grad) biggest = Math.max(biggest, Math.abs(x));
        assertTrue(projBias < 1e-5 * biggest, "projector bias gradient " + projBias + " of " + biggest);
        for (String stat : List.of(WorldModelGraph.BN_MEAN, WorldModelGraph.BN_VAR))
            for (long i = offset(PROJ, stat); i < offset(PROJ, stat) + PROJ.projector(); i++)
                assertEquals(0f, grad[(int) i], stat);
    }

    @Test
    void trainingPass_gradientsMatchFiniteDifferencesOfItsLoss() {
        assertGradientsMatchFiniteDifferences(DirectWorldModelTest.randomBatch(PROJ, 5, 7));
    }

    @Test
    void trainingPass_onRunsWithSharedFrames_countsEachFrameOnceAndPaddingNever() {
        // 9 transitions of a run: 11 distinct frames among 27, encoded in a padded workspace
        assertGradientsMatchFiniteDifferences(DirectWorldModelTest.runBatch(PROJ, 9, 8));
    }

    @Test
    void runningStatistics_moveByTheMomentum_andInferenceMatchesTheGraph() {
        DirectWorldModel m = model(5);
        Batch b = DirectWorldModelTest.randomBatch(PROJ, 6, 9);
        INDArray p = m.params();
        long mo = offset(PROJ, WorldModelGraph.BN_MEAN), vo = offset(PROJ, WorldModelGraph.BN_VAR);
        trainingLoss(m, b);
        float[] mean1 = new float[PROJ.projector()], var1 = new float[PROJ.projector()];
        for (int j = 0; j < mean1.length; j++) {
            mean1[j] = p.getFloat(mo + j);
            var1[j] = p.getFloat(vo + j);
        }
        trainingLoss(m, b); // the same batch and parameters: the same batch statistics again
        double mom = ModelConfig.BN_MOMENTUM, keep = 1 - mom;
        for (int j = 0; j < mean1.length; j++) {
            assertTrue(Math.abs(mean1[j]) > 1e-4, "the running mean moved");
            // from 0 and 1: after one pass m·μ and (1−m) + m·σ², after two (1 − (1−m)²)·μ and (1−m)² + (1 − (1−m)²)·σ²
            assertEquals(mean1[j] * (1 - keep * keep) / mom, p.getFloat(mo + j), 1e-5 * (1 + Math.abs(mean1[j])));
            double var = (var1[j] - keep) / mom;
            assertEquals(keep * keep + (1 - keep * keep) * var, p.getFloat(vo + j), 1e-5 * (1 + var));
        }
        // the SameDiff graph with these parameters is the model at inference: the same z and the same loss terms
        WorldModelGraph graph = WorldModelGraph.build(PROJ, new LossConfig(1.0), 1);
        graph.setFlatParams(p);
        INDArray zWant = graph.output(Map.of(WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(b.obsTk(), PROJ)),
                WorldModelGraph.Z_TK).get(WorldModelGraph.Z_TK);
        INDArray zGot = m.encode(b.obsTk());
        assertTrue(zWant.sub(zGot).amaxNumber().doubleValue() < 1e-5, "encode differs from the graph's z");
        LossTerms want = WorldModelLoss.read(graph.output(Map.of(
                WorldModelGraph.OBS_T, WorldModelGraph.imagesToInput(b.obsT(), PROJ, PROJ.context()),
                WorldModelGraph.OBS_TK, WorldModelGraph.imagesToInput(b.obsTk(), PROJ),
                WorldModelGraph.ACTION, Nd4j.create(b.actions())), WorldModelLoss.NAMES.toArray(new String[0])));
        assertEquals(want.total(), m.loss(b.obsT(), b.actions(), b.obsTk()).total(), 1e-5 * Math.max(1, want.total()));
        // and a training pass, with batch statistics, is a different function of the same frames
        assertTrue(Math.abs(trainingLoss(m, b) - want.total()) > 1e-4, "training uses the batch's statistics");
    }

    @Test
    void projector_trainsOnlyWithTheDirectEngine() {
        TrainConfig samediff = TrainConfig.DEFAULT.withEngine(TrainConfig.ENGINE_SAMEDIFF);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExperimentConfig(PROJ, LossConfig.DEFAULT, samediff));
        assertTrue(e.getMessage().contains("model.projector"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Learner(WorldModelGraph.build(PROJ, LossConfig.DEFAULT, 1),
                samediff, Normalizer.identity(PROJ.actionDim(), PROJ.frameskip())));
        assertThrows(IllegalArgumentException.class, () -> PROJ.withProjector(-1));
        // the paper's head is unchanged: no projector arrays, the same parameter count as before
        assertEquals(0, PROJ.withProjector(0).projector());
        assertTrue(WorldModelGraph.paramSpecs(PROJ.withProjector(0)).stream()
                .noneMatch(s -> s.name().startsWith("enc_proj") || s.name().startsWith("enc_bn")));
        assertEquals(WorldModelGraph.paramSpecs(PROJ).stream().mapToLong(ParamSpec::length).sum(), PROJ.parameterCount());
    }
}
