package io.smwm.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.TableMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment a table's metadata rebuilds for evaluation is the one that generated it, config params included. */
class TrainingDataEnvConfigTest {

    @Test
    void envConfig_replaysTheTasksConfigParams_andNotItsDerivedConstants(@TempDir Path dir) {
        GenerationSpec spec = new GenerationSpec("pusht", new EnvConfig("default", 16, List.of(),
                Map.of("block_mass", "30")), "pusher-fixed", 2, 4, 5L, 2, 2);
        TableMetadata meta = LocalGenerator.generate(spec, dir.resolve("t").toString(), false);
        assertEquals("0.08", meta.env().params().get("action_scale"), "the metadata also holds derived constants");
        EnvConfig cfg = TrainingData.envConfig(meta);
        assertEquals(Map.of("block_mass", "30.0"), cfg.params());
        assertEquals(16, cfg.imageSize());
        // the rebuilt env pushes a block as heavy as the generating one: same step from the same state
        Environment gen = Environments.create("pusht", spec.envConfig()), rebuilt = Environments.create("pusht", cfg),
                light = Environments.create("pusht", EnvConfig.defaults().withImageSize(16));
        float[] s = {0.5f, 0.35f, 0, 0, 0.5f, 0.5f, 0, 0, 0, 0};
        for (Environment e : new Environment[] {gen, rebuilt, light}) {
            e.reset(1);
            e.setState(s);
            for (int t = 0; t < 3; t++) {
                e.step(new float[] {0, 0.6f});
            }
        }
        assertArrayEquals(gen.state(), rebuilt.state());
        org.junit.jupiter.api.Assertions.assertTrue(light.state()[5] > rebuilt.state()[5] + 1e-3,
                "the default block would have been pushed farther: " + light.state()[5] + " vs " + rebuilt.state()[5]);
    }
}
