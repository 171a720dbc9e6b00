package io.smwm.core.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.util.UserError;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code loss.method} and its keys: parsing, defaults, validation, overrides, old configs and checkpoints. */
class LossConfigTest {

    @Test
    void defaultIsSmwmWithLeWmAndVicregDefaults() {
        LossConfig d = ConfigLoader.parse("", "x").loss();
        assertEquals(LossConfig.DEFAULT, d);
        assertEquals(new LossConfig(10, "smwm", 0.09, 1024, 17, 1.0, 0.04), d);
        assertEquals(new LossConfig(10, null, 0.09, 1024, 17, 1.0, 0.04), d, "null method = smwm");
        List<String> keys = new ArrayList<>();
        ConfigLoader.toTree(ExperimentConfig.DEFAULT).get("loss").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("lambda", "method", "sigregWeight", "sigregProjections", "sigregKnots", "vicregVar",
                "vicregCov", "rolloutSteps", "rolloutWeight", "rolloutFromEpoch"), keys);
        assertEquals(1, d.rolloutSteps(), "the paper's one-step loss by default");
    }

    @Test
    void rolloutStepsAreReadWithTheRunsTheyNeed() {
        ExperimentConfig c = ConfigLoader.parse("loss:\n  rolloutSteps: 4\n  rolloutWeight: 0.5\ntrain:\n  chunk: 4\n",
                "x");
        assertEquals(new LossConfig(10).withRollout(4, 0.5), c.loss());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("loss:\n  rolloutSteps: 4\n", "x.yaml"));
        assertTrue(e.getMessage().startsWith("x.yaml: ") && e.getMessage().contains("train.chunk >= 4"),
                e.getMessage());
    }

    @Test
    void methodsAndTheirKeysParseAndRoundTrip() {
        ExperimentConfig s = ConfigLoader.parse("loss:\n  method: sigreg\n  sigregWeight: 0.2\n  sigregProjections: 64\n"
                + "  sigregKnots: 9\n", "s.yaml");
        assertEquals(new LossConfig(0, "sigreg", 0.2, 64, 9, 1.0, 0.04), s.loss());
        ExperimentConfig v = ConfigLoader.parse("loss:\n  method: vicreg-idm\n  lambda: 2\n  vicregVar: 3\n"
                + "  vicregCov: 0.5\n", "v.yaml");
        assertEquals(new LossConfig(2, "vicreg-idm", 0.09, 1024, 17, 3, 0.5), v.loss());
        for (ExperimentConfig c : List.of(s, v)) {
            assertEquals(c, ConfigLoader.fromTree(ConfigLoader.toTree(c), "tree"));
            assertEquals(c, ConfigLoader.parse(ConfigLoader.toYaml(c), "yaml"));
        }
    }

    @Test
    void forwardIsAnAliasForLambdaZero_andSigregHasNoInverseTerm() {
        assertEquals(0.0, ConfigLoader.parse("loss:\n  method: forward\n  lambda: 3\n", "f").loss().lambda());
        assertEquals(0.0, new LossConfig(5).withMethod("sigreg").lambda());
        assertEquals(5.0, new LossConfig(5).withMethod("vicreg-idm").lambda());
        assertTrue(LossConfig.hasInverseTerm("smwm") && LossConfig.hasInverseTerm("vicreg-idm"));
        assertTrue(!LossConfig.hasInverseTerm("forward") && !LossConfig.hasInverseTerm("sigreg"));
    }

    @Test
    void unknownMethodIsAClearErrorListingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.parse("loss:\n  method: byol\n", "x.yaml"));
        assertTrue(e.getMessage().startsWith("x.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains("loss.method must be one of [smwm, forward, sigreg, vicreg-idm], got byol"),
                e.getMessage());
        for (String bad : List.of("sigregWeight: -1", "sigregProjections: 0", "sigregKnots: 1", "vicregVar: -0.5",
                "vicregCov: .nan", "sigregProjections: 100000"))
            assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("loss:\n  " + bad + "\n", "x"), bad);
        e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("loss:\n  sigregKnot: 3\n", "x"));
        assertTrue(e.getMessage().contains("unknown key 'loss.sigregKnot'") && e.getMessage().contains("sigregKnots"),
                e.getMessage());
    }

    @Test
    void oldConfigsAndCheckpointsLoadAsSmwm() throws Exception {
        // a config tree as checkpoints wrote it before loss.method existed: loss holds lambda only
        ObjectMapper json = new ObjectMapper();
        var tree = ConfigLoader.toTree(ConfigLoader.forTask("tworoom"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("loss")).retain("lambda");
        ExperimentConfig old = ConfigLoader.fromTree(json.readTree(tree.toString()), "old");
        assertEquals(new LossConfig(1.0), old.loss());
        assertEquals("smwm", old.loss().method());
        Path golden = Path.of(getClass().getResource("/golden-checkpoint-v1/manifest.json").toURI()).getParent();
        assertEquals("smwm", CheckpointIO.load(golden).config().loss().method());
    }

    @Test
    void methodOverrideFlowsLikeLambda() {
        ExperimentConfig base = ConfigLoader.forTask("tworoom"); // λ 1
        ConfigOverrides vic = new ConfigOverrides(null, null, null, null, null, null, "vicreg-idm");
        assertEquals(new LossConfig(1.0).withMethod("vicreg-idm"), vic.apply(base).loss());
        assertEquals(Map.of("loss.method", "vicreg-idm"), vic.modelAndObjective());
        assertEquals(0.0, new ConfigOverrides(null, null, null, null, null, null, "forward").apply(base).loss().lambda());
        assertEquals(2.0, new ConfigOverrides(2.0, null, null, null, null, null, "vicreg-idm").apply(base).loss()
                .lambda());
        // --lambda keeps the config's method and its other keys
        ExperimentConfig sig = ConfigLoader.parse("loss:\n  method: vicreg-idm\n  vicregCov: 0.3\n", "x");
        assertEquals(new LossConfig(4, "vicreg-idm", 0.09, 1024, 17, 1.0, 0.3),
                new ConfigOverrides(4.0, null, null, null, null, null).apply(sig).loss());
        UserError e = assertThrows(UserError.class,
                () -> new ConfigOverrides(2.0, null, null, null, null, null, "forward").apply(base));
        assertTrue(e.getMessage().contains("--lambda 2.0 has no effect with loss.method forward"), e.getMessage());
        assertEquals(0.0, new ConfigOverrides(0.0, null, null, null, null, null, "sigreg").apply(base).loss().lambda());
        e = assertThrows(UserError.class,
                () -> new ConfigOverrides(null, null, null, null, null, null, "lewm").apply(base));
        assertTrue(e.getMessage().contains("[smwm, forward, sigreg, vicreg-idm]"), e.getMessage());
        assertEquals(new ConfigOverrides(1.0, 2, null, null, null, null),
                new ConfigOverrides(1.0, 2, null, null, null, null, null));
    }
}
