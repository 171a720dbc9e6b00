package io.smwm.core.plan.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.Environment;
import io.smwm.core.env.catalog.Environments;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoRoomOracleModelTest {

    @Test
    void encode_readsTheAgentPositionFromPixels_withinAFractionOfAPixel() {
        Environment env = Environments.create("tworoom", EnvConfig.defaults());
        TwoRoomOracleModel m = new TwoRoomOracleModel();
        for (long s = 0; s < 20; s++) {
            env.reset(s);
            float[] z = m.encode(List.of(env.render()));
            assertArrayEquals(env.state(), z, 0.25f / 64, "seed " + s);
        }
    }

    @Test
    void rollout_awayFromWalls_matchesTheEnvExactlyEnough() {
        Environment env = Environments.create("tworoom", EnvConfig.defaults());
        TwoRoomOracleModel m = new TwoRoomOracleModel();
        env.setState(new float[] {0.2f, 0.3f});
        float[] raw = new float[10];
        for (int j = 0; j < 5; j++) {
            raw[2 * j] = 0.5f;
            raw[2 * j + 1] = -0.4f;
            env.step(new float[] {0.5f, -0.4f});
        }
        float[] out = new float[2];
        m.rolloutTerminal(new float[] {0.2f, 0.3f}, 1, 1, m.normalise(raw), 1, out);
        assertArrayEquals(env.state(), out, 1e-5f);
        assertEquals(0.5f, m.unnormalise(m.normalise(raw))[0], 1e-6);
    }
}
