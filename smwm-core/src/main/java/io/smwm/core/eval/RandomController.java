package io.smwm.core.eval;

import io.smwm.core.util.Seeds;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random-policy baseline: independent uniform actions within the env's bounds, one stream per episode,
 * seeded from the run seed and the episode's global index.
 */
public final class RandomController implements Controller {
    private final float[] low;
    private final float[] high;
    private SplittableRandom[] rngs;

    public RandomController(float[] actionLow, float[] actionHigh) {
        this.low = actionLow.clone();
        this.high = actionHigh.clone();
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public boolean needsLatents() {
        return false;
    }

    @Override
    public void begin(List<StartGoalPair> pairs, float[] goalLatents, long seed, int firstEpisode) {
        rngs = new SplittableRandom[pairs.size()];
        for (int e = 0; e < rngs.length; e++) {
            rngs[e] = new SplittableRandom(Seeds.derive(seed, "random", firstEpisode + e));
        }
    }

    @Override
    public float[][][] act(int[] episodes, float[] latents) {
        float[][][] out = new float[episodes.length][1][low.length];
        for (int i = 0; i < episodes.length; i++) {
            SplittableRandom r = rngs[episodes[i]];
            for (int j = 0; j < low.length; j++) {
                out[i][0][j] = (float) (low[j] + (high[j] - low[j]) * r.nextDouble());
            }
        }
        return out;
    }
}
