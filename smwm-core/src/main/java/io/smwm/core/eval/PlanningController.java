package io.smwm.core.eval;

import io.smwm.core.plan.LatentModel;
import io.smwm.core.plan.PlanProblem;
import io.smwm.core.plan.PlanResult;
import io.smwm.core.plan.Planner;
import io.smwm.core.util.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Receding-horizon control with a planner: at each re-planning point, plan H model steps toward the goal latent
 * for every listed episode in one batch, execute the first {@code executeModelSteps} of them (k primitive
 * actions each), then re-plan warm-started from the executed plan shifted by that many steps. Solve s of episode
 * e (global index: firstEpisode + position in the slice) uses seed derive(derive(seed, "plan", e), "solve", s),
 * independent of the batch and the slice it is solved in.
 */
public final class PlanningController implements Controller {
    private final String name;
    private final Planner planner;
    private final LatentModel model;
    private final int executeModelSteps;
    private float[] goals;
    private float[][] warm;
    private int[] solves;
    private long seed;
    private int firstEpisode;

    public PlanningController(String name, Planner planner, LatentModel model, int executeModelSteps) {
        if (executeModelSteps < 1 || executeModelSteps > planner.config().horizon()) {
            throw new IllegalArgumentException("eval.executeModelSteps must be in [1, planner.horizon="
                    + planner.config().horizon() + "], got " + executeModelSteps);
        }
        this.name = name;
        this.planner = planner;
        this.model = model;
        this.executeModelSteps = executeModelSteps;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean needsLatents() {
        return true;
    }

    @Override
    public void begin(List<StartGoalPair> pairs, float[] goalLatents, long seed, int firstEpisode) {
        if (firstEpisode < 0) {
            throw new IllegalArgumentException("firstEpisode must be >= 0, got " + firstEpisode);
        }
        this.firstEpisode = firstEpisode;
        this.goals = goalLatents;
        this.warm = new float[pairs.size()][];
        this.solves = new int[pairs.size()];
        this.seed = seed;
    }

    @Override
    public float[][][] act(int[] episodes, float[] latents) {
        int d = model.latentDim();
        List<PlanProblem> problems = new ArrayList<>(episodes.length);
        for (int i = 0; i < episodes.length; i++) {
            int e = episodes[i];
            long s = Seeds.derive(Seeds.derive(seed, "plan", firstEpisode + e), "solve", solves[e]++);
            problems.add(new PlanProblem(Arrays.copyOfRange(latents, i * d, (i + 1) * d),
                    Arrays.copyOfRange(goals, e * d, (e + 1) * d), warm[e], s));
        }
        List<PlanResult> results = planner.plan(problems);
        int steps = executeModelSteps * model.frameskip();
        float[][][] out = new float[episodes.length][][];
        for (int i = 0; i < episodes.length; i++) {
            PlanResult r = results.get(i);
            warm[episodes[i]] = r.shifted(executeModelSteps, model.modelActionDim());
            out[i] = Arrays.copyOf(r.envActions(), steps);
        }
        return out;
    }
}
