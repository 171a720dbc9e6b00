package io.smwm.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ConfigLoaderTest {

    @Test
    void emptyYaml_givesPaperDefaults() {
        ExperimentConfig c = ConfigLoader.parse("", "test");
        assertEquals(ExperimentConfig.DEFAULT, c);
        assertEquals(10.0, c.loss().lambda());
        assertEquals(5e-4, c.train().lr());
        assertEquals(256, c.train().batchSize());
        assertEquals(List.of(32, 64, 128), c.model().convChannels());
        assertEquals(10, c.model().modelActionDim());
        assertEquals(2048, c.model().flatFeatures());
    }

    @Test
    void everyBundledTask_loadsAndOverridesOnlyWhatDiffers() {
        for (String t : ConfigLoader.BUNDLED_TASKS) assertNotNull(ConfigLoader.forTask(t), t);
        assertEquals(1.0, ConfigLoader.forTask("tworoom").loss().lambda());
        assertEquals(5, ConfigLoader.forTask("tworoom").model().frameskip());
        // the full-size config trains the same model with the same loss as tworoom; only training differs
        ExperimentConfig full = ConfigLoader.forTask("tworoom-full");
        assertEquals(ConfigLoader.forTask("tworoom").model(), full.model());
        assertEquals(ConfigLoader.forTask("tworoom").loss(), full.loss());
        assertEquals(6, ConfigLoader.forTask("dotworld-combined").model().actionDim());
        assertEquals(1, ConfigLoader.forTask("dotworld-coupled").model().frameskip());
        // pusht: the defaults with the task's action dimension
        ExperimentConfig pusht = ConfigLoader.forTask("pusht");
        assertEquals(2, pusht.model().actionDim());
        assertEquals(ExperimentConfig.DEFAULT.loss(), pusht.loss());
        assertEquals(ExperimentConfig.DEFAULT.train(), pusht.train());
        assertEquals(ExperimentConfig.DEFAULT.model().imageSize(), pusht.model().imageSize());
    }

    /**
     * cube (the Cube quickstart) is cube-full in three epochs instead of seven (runs and the rollout term from epoch 2
     * in both), as its comment says.
     */
    @Test
    void cube_isCubeFullInThreeEpochs() {
        ExperimentConfig full = ConfigLoader.forTask("cube-full"), c = ConfigLoader.forTask("cube");
        var expected = ConfigLoader.toTree(full);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("train")).put("epochs", 3);
        assertEquals(ConfigLoader.fromTree(expected, "cube-full in three epochs"), c);
        assertEquals(5, c.model().actionDim());
        assertEquals(1.0, c.loss().lambda());
        assertEquals(3, c.train().epochs());
        assertEquals(0.1, c.plan().costWhitening(), "the whitened planning cost, as cube-full");
        assertEquals(30.0, c.plan().inverseWeight(), "the inverse-model check on the plans, as cube-full");
        assertArrayEquals(new int[] {1, 4, 4}, new int[] {c.train().chunkAt(1), c.train().chunkAt(2), c.train().chunkAt(3)});
    }

    @Test
    void unknownTask_listsValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.forTask("no-such-task"));
        assertTrue(e.getMessage().contains("tworoom") && e.getMessage().contains("dotworld-combined"), e.getMessage());
    }

    @Test
    void unknownKeys_allReportedWithValidKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("model:\n  latentDimm: 3\ntrain:\n  learningRate: 1\nplanner: {}\n", "x.yaml"));
        String m = e.getMessage();
        assertTrue(m.contains("unknown key 'model.latentDimm'") && m.contains("latentDim"), m);
        assertTrue(m.contains("unknown key 'train.learningRate'") && m.contains("lr"), m);
        assertTrue(m.contains("unknown section 'planner'"), m);
        assertTrue(m.startsWith("x.yaml"), m);
    }

    @Test
    void invalidValue_messageNamesKeyRuleAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("loss:\n  lambda: -1\n", "x.yaml"));
        assertTrue(e.getMessage().contains("loss.lambda must be a finite number >= 0.0, got -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("model:\n  latentDim: abc\n", "x.yaml"));
        assertTrue(e.getMessage().contains("model.latentDim") && e.getMessage().contains("abc"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("model:\n  latentDim: 6.5\n", "x.yaml"));
        assertTrue(e.getMessage().contains("model.latentDim"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("train:\n  valFraction: 1.5\n", "x.yaml"));
        assertTrue(e.getMessage().contains("train.valFraction must be in [0, 1), got 1.5"), e.getMessage());
    }

    @Test
    void averageEpochs_defaultsOff_bundledForReacherFull_andOldTreesReadAsOff() {
        assertEquals(0, ExperimentConfig.DEFAULT.train().averageEpochs());
        assertEquals(1, ConfigLoader.forTask("reacher-full").train().averageEpochs());
        assertEquals(0, ConfigLoader.forTask("reacher").train().averageEpochs());
        var old = ConfigLoader.toTree(ConfigLoader.forTask("reacher-full"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("train")).remove("averageEpochs");
        assertEquals(0, ConfigLoader.fromTree(old, "old").train().averageEpochs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("train:\n  averageEpochs: -1\n", "x.yaml"));
        assertTrue(e.getMessage().contains("train.averageEpochs"), e.getMessage());
    }

    /** pusht-full is reacher-full's recipe with λ 10 (both tasks have 2-D actions), as its comment says. */
    @Test
    void pushtFull_isReacherFullsRecipeWithLambda10() {
        ExperimentConfig r = ConfigLoader.forTask("reacher-full"), p = ConfigLoader.forTask("pusht-full");
        assertEquals(r.withLoss(r.loss().withLambda(10)), p);
        assertEquals(2, p.model().actionDim());
    }

    /** cube-full is reacher-full's recipe with the 5-D action and λ 1 (the Cube sweep's), as its comment says. */
    @Test
    void cubeFull_isReacherFullsRecipeWithTheCubesActionLambda1RunsFromEpoch2AndTheWhitenedPenalisedCost() {
        ExperimentConfig r = ConfigLoader.forTask("reacher-full"), c = ConfigLoader.forTask("cube-full");
        var expected = ConfigLoader.toTree(r.withLoss(r.loss().withLambda(1)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("model")).put("actionDim", 5);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("loss")).put("rolloutFromEpoch", 2);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("train")).put("chunkFromEpoch", 2);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("train")).put("valEpisodes", 60);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("plan")).put("costWhitening", 0.1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("plan")).put("inverseWeight", 30.0);
        assertEquals(ConfigLoader.fromTree(expected, "reacher-full with actionDim 5"), c);
        assertEquals(5, c.model().actionDim());
        assertEquals(0.0, r.plan().costWhitening(), "Reacher plans with the paper's cost");
        assertEquals(60, c.train().valEpisodes(), "validation on 60 of the 300 held-out episodes");
        assertEquals(0, r.train().valEpisodes());
    }

    @Test
    void valEpisodes_defaultsToAll_parses_roundTrips_isReadFromOldTrees_andRefusesNegatives() {
        assertEquals(0, ExperimentConfig.DEFAULT.train().valEpisodes());
        TrainConfig t = ConfigLoader.parse("train:\n  valEpisodes: 60\n", "x.yaml").train();
        assertEquals(60, t.valEpisodes());
        assertEquals(t, ConfigLoader.fromTree(ConfigLoader.toTree(ExperimentConfig.DEFAULT.withTrain(t)), "t").train());
        assertEquals(60, t.withEpochs(3).withChunk(4).withSeed(9).valEpisodes(), "the withers keep it");
        var old = ConfigLoader.toTree(ExperimentConfig.DEFAULT.withTrain(t));
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("train")).remove("valEpisodes");
        assertEquals(0, ConfigLoader.fromTree(old, "old").train().valEpisodes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("train:\n  valEpisodes: -1\n", "x.yaml"));
        assertTrue(e.getMessage().contains("train.valEpisodes"), e.getMessage());
    }

    @Test
    void splitSeed_defaultsToTheSeed_parses_roundTrips_isReadFromOldTrees_andSurvivesTheWithers() {
        assertNull(ExperimentConfig.DEFAULT.train().splitSeed());
        assertEquals(9L, ExperimentConfig.DEFAULT.train().withSeed(9).splitRoot(), "unset: the split follows the seed");
        TrainConfig t = ConfigLoader.parse("train:\n  seed: 8\n  splitSeed: 7\n", "x.yaml").train();
        assertEquals(8L, t.seed());
        assertEquals(7L, t.splitRoot());
        assertEquals(t, ConfigLoader.fromTree(ConfigLoader.toTree(ExperimentConfig.DEFAULT.withTrain(t)), "t").train());
        assertEquals(7L, t.withEpochs(3).withChunk(4).withSeed(9).withValEpisodes(5).splitRoot(), "the withers keep it");
        var old = ConfigLoader.toTree(ExperimentConfig.DEFAULT.withTrain(t));
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("train")).remove("splitSeed");
        assertEquals(8L, ConfigLoader.fromTree(old, "old").train().splitRoot(), "a checkpoint from before the key");
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("train:\n  splitSeed: x\n", "x.yaml"));
    }

    @Test
    void chunkFromEpoch_defaultsToRunsFromTheStart_schedulesTheRunLength_andRefusesRolloutBeforeIt() {
        assertEquals(1, ExperimentConfig.DEFAULT.train().chunkFromEpoch());
        TrainConfig t = ConfigLoader.parse("train:\n  chunk: 4\n  chunkFromEpoch: 3\n", "x.yaml").train();
        assertEquals(3, t.chunkFromEpoch());
        assertArrayEquals(new int[] {1, 1, 4, 4}, new int[] {t.chunkAt(1), t.chunkAt(2), t.chunkAt(3), t.chunkAt(4)});
        TrainConfig fromStart = ConfigLoader.parse("train:\n  chunk: 4\n", "x.yaml").train();
        assertEquals(4, fromStart.chunkAt(1));
        assertEquals(t, ConfigLoader.fromTree(ConfigLoader.toTree(ExperimentConfig.DEFAULT.withTrain(t)), "t").train());
        var old = ConfigLoader.toTree(ExperimentConfig.DEFAULT.withTrain(t));
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("train")).remove("chunkFromEpoch");
        assertEquals(4, ConfigLoader.fromTree(old, "old").train().chunkAt(1), "a tree without the key: runs from epoch 1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("train:\n  chunkFromEpoch: 0\n", "x.yaml"));
        assertTrue(e.getMessage().contains("train.chunkFromEpoch"), e.getMessage());
        // the rollout term needs runs in every epoch it trains in
        String rollout = "loss:\n  rolloutSteps: 4\n  rolloutFromEpoch: %d\ntrain:\n  epochs: 6\n  chunk: 4\n"
                + "  chunkFromEpoch: 3\n";
        e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse(String.format(rollout, 2), "r.yaml"));
        assertTrue(e.getMessage().contains("loss.rolloutFromEpoch 2") && e.getMessage().contains(">= 3"),
                e.getMessage());
        assertEquals(3, ConfigLoader.parse(String.format(rollout, 3), "r.yaml").loss().rolloutFromEpoch());
    }

    @Test
    void planSection_parsesDefaultsToThePapersSamplingAndIsReadFromOldCheckpointTrees() {
        assertFalse(ExperimentConfig.DEFAULT.plan().clipSamples());
        assertTrue(ConfigLoader.parse("plan:\n  clipSamples: true\n", "x.yaml").plan().clipSamples());
        assertTrue(ConfigLoader.forTask("reacher").plan().clipSamples());
        assertTrue(ConfigLoader.forTask("reacher-full").plan().clipSamples());
        assertFalse(ConfigLoader.forTask("tworoom").plan().clipSamples());
        ExperimentConfig c = ConfigLoader.forTask("reacher-full");
        assertEquals(c, ConfigLoader.parse(ConfigLoader.toYaml(c), "yaml"));
        // a checkpoint written before the section existed: its tree has model/loss/train only
        var old = ConfigLoader.toTree(c);
        old.remove("plan");
        assertEquals(c.withPlan(PlanConfig.DEFAULT), ConfigLoader.fromTree(old, "old"));
        // a checkpoint written before plan.costWhitening existed: the paper's cost
        var noWhitening = ConfigLoader.toTree(c);
        ((com.fasterxml.jackson.databind.node.ObjectNode) noWhitening.get("plan")).remove("costWhitening");
        assertEquals(c, ConfigLoader.fromTree(noWhitening, "old"));
        assertEquals(0.0, ExperimentConfig.DEFAULT.plan().costWhitening());
        assertEquals(0.1, ConfigLoader.parse("plan:\n  costWhitening: 0.1\n", "x.yaml").plan().costWhitening());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("plan:\n  costWhitening: 2\n", "x.yaml"));
        assertTrue(w.getMessage().contains("plan.costWhitening must be 0 (off) or a floor in (0, 1], got 2.0"),
                w.getMessage());
        // plan.inverseWeight: absent from older checkpoints (the paper's cost), checked when set
        var noInverse = ConfigLoader.toTree(c);
        ((com.fasterxml.jackson.databind.node.ObjectNode) noInverse.get("plan")).remove("inverseWeight");
        assertEquals(c, ConfigLoader.fromTree(noInverse, "old"));
        assertEquals(0.0, ExperimentConfig.DEFAULT.plan().inverseWeight());
        assertEquals(30.0, ConfigLoader.parse("plan:\n  inverseWeight: 30\n", "x.yaml").plan().inverseWeight());
        IllegalArgumentException iw = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("plan:\n  inverseWeight: -1\n", "x.yaml"));
        assertTrue(iw.getMessage().contains("plan.inverseWeight must be finite and >= 0, got -1.0"), iw.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("plan:\n  clip: true\n", "x.yaml"));
        assertTrue(e.getMessage().contains("unknown key 'plan.clip'") && e.getMessage().contains("clipSamples"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("plan:\n  clipSamples: 1\n", "x.yaml"));
        assertTrue(e.getMessage().contains("plan.clipSamples"), e.getMessage());
    }

    @Test
    void fullConfig_roundTripsThroughTree() {
        ExperimentConfig c = ConfigLoader.forTask("dotworld-independent");
        assertEquals(c, ConfigLoader.fromTree(ConfigLoader.toTree(c), "tree"));
        assertEquals(c, ConfigLoader.parse(ConfigLoader.toYaml(c), "yaml"));
    }

    @Test
    void hugeModel_refusedAtLoadNamingTheKeyInsteadOfOverflowingLater() {
        // hidden: 1000000 used to pass and then fail in training with "NegativeArraySizeException: -727379968"
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("model:\n  hidden: 1000000\n", "big.yaml"));
        assertTrue(e.getMessage().contains("model.hidden must be in [1, 65536], got 1000000"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("model:\n  hidden: 60000\n  latentDim: 60000\n", "big.yaml"));
        assertTrue(e.getMessage().contains("parameters") && e.getMessage().contains("model.hidden=60000"), e.getMessage());
        for (String bad : List.of("imageSize: 100000", "actionDim: 5000", "convChannels: [8, 99999]", "frameskip: -1"))
            assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("model:\n  " + bad + "\n", "x"), bad);
    }

    @Test
    void parameterCount_equalsTheGraphsParameterSpecs() {
        for (ModelConfig m : List.of(ModelConfig.DEFAULT, ConfigLoader.forTask("tworoom").model(),
                new ModelConfig(16, 3, List.of(4, 8, 8), 8, 16, 2, 5, 1, false),
                new ModelConfig(33, 1, List.of(5), 3, 7, 3, 2, 3, true),
                new ModelConfig(96, 3, List.of(32, 64, 128), 64, 256, 2, 5, 2, true, true, true, 3)))
            assertEquals(io.smwm.core.model.WorldModelGraph.paramSpecs(m).stream()
                    .mapToLong(io.smwm.core.model.ParamSpec::length).sum(), m.parameterCount(), m.toString());
    }

    @Test
    void stemPatch_parsesSizesTheEncoderAndRefusesWhatDoesNotTile() {
        assertEquals(0, ExperimentConfig.DEFAULT.model().stemPatch());
        ModelConfig m = ConfigLoader.parse("model:\n  imageSize: 96\n  stemPatch: 3\n", "x").model();
        assertEquals(3, m.stemPatch());
        // 96 px in 3×3 patches is 32 px, then the paper's 16, 8 and the pooled 4×4×128: the paper's flat features
        assertEquals(32, m.convOutSide(0));
        assertEquals(2048, m.flatFeatures());
        assertEquals(List.of(3, 3, 0), List.of(m.convKernel(0), m.convStride(0), m.convPad(0)));
        assertEquals(List.of(3, 2, 1), List.of(m.convKernel(1), m.convStride(1), m.convPad(1)));
        assertEquals(ModelConfig.DEFAULT.parameterCount(), m.parameterCount(), "a 3×3 patch has the paper's kernel");
        assertEquals(3, m.withContext(2).withImageSize(48).withLatentDim(8).stemPatch());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("model:\n  imageSize: 100\n  stemPatch: 3\n", "x"));
        assertTrue(e.getMessage().contains("multiple of model.stemPatch"), e.getMessage());
        for (String bad : List.of("stemPatch: 1", "stemPatch: -2", "stemPatch: 17"))
            assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("model:\n  " + bad + "\n", "x"), bad);
    }
}
