package io.smwm.core.eval;

import io.smwm.core.plan.LatentModel;
import io.smwm.core.plan.PlanCost;
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
 * independent of the batch and the slice it is solved in. At an episode's first solve it also rates the pair's
 * recorded actions with the model ({@link #demoCost}), for failure diagnosis.
 */
public final class PlanningController implements Controller {
    private final String name;
    private final Planner planner;
    private final LatentModel model;
    private final int executeModelSteps;
    private float[] goals;
    private List<StartGoalPair> pairs;
    private double[] demoCosts;
    private final PlanCost demoCost;
    private double[] lastCosts;
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
        this.demoCost = new PlanCost(planner.config(), model);
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
        this.pairs = pairs;
        this.demoCosts = new double[pairs.size()];
        Arrays.fill(demoCosts, Double.NaN);
        this.warm = new float[pairs.size()][];
        this.solves = new int[pairs.size()];
        this.seed = seed;
    }

    @Override
    public float[][][] act(int[] episodes, float[] latents) {
        int d = model.latentDim(), sd = model.stateDim();
        computeDemoCosts(episodes, latents);
        List<PlanProblem> problems = new ArrayList<>(episodes.length);
        for (int i = 0; i < episodes.length; i++) {
            int e = episodes[i];
            long s = Seeds.derive(Seeds.derive(seed, "plan", firstEpisode + e), "solve", solves[e]++);
            problems.add(new PlanProblem(Arrays.copyOfRange(latents, i * sd, (i + 1) * sd),
                    Arrays.copyOfRange(goals, e * d, (e + 1) * d), warm[e], s));
        }
        List<PlanResult> results = planner.plan(problems);
        int steps = executeModelSteps * model.frameskip();
        float[][][] out = new float[episodes.length][][];
        lastCosts = new double[episodes.length];
        for (int i = 0; i < episodes.length; i++) {
            PlanResult r = results.get(i);
            lastCosts[i] = r.cost();
            warm[episodes[i]] = r.shifted(executeModelSteps, model.modelActionDim());
            out[i] = Arrays.copyOf(r.envActions(), steps);
        }
        return out;
    }

    @Override
    public double[] lastPlanCosts() {
        return lastCosts == null ? null : lastCosts.clone();
    }

    @Override
    public double demoCost(int episode) {
        return demoCosts[episode];
    }

    /**
     * At an episode's first solve (its latent is then the start's), rolls its pair's recorded actions out in the
     * model, in one batch over the listed episodes, and keeps the planner's cost of them ({@link PlanCost}: ‖ẑ − z_g‖²,
     * plus the planner's penalties if it has any). Only for pairs whose goal offset is the
     * plan's length H·k: then the recorded route and the first plan are both complete routes to the goal of the
     * same length and their predicted costs compare (a 5-step plan toward a goal 40 steps away does not).
     */
    private void computeDemoCosts(int[] episodes, float[] latents) {
        int d = model.latentDim(), sd = model.stateDim(), k = model.frameskip(), m = model.primitiveActionDim();
        int a = k * m, h = planner.config().horizon();
        List<Integer> rows = new ArrayList<>(); // positions i in episodes
        for (int i = 0; i < episodes.length; i++) {
            StartGoalPair p = pairs.get(episodes[i]);
            if (solves[episodes[i]] == 0 && p.recordedActions() != null && p.goalOffset() == h * k) {
                rows.add(i);
            }
        }
        int n = rows.size();
        if (n == 0) {
            return;
        }
        float[] z0 = new float[n * sd], acts = new float[n * h * a];
        float[] step = new float[a];
        for (int r = 0; r < n; r++) {
            int i = rows.get(r);
            System.arraycopy(latents, i * sd, z0, r * sd, sd);
            float[][] rec = pairs.get(episodes[i]).recordedActions();
            for (int s = 0; s < h; s++) {
                for (int j = 0; j < k; j++) {
                    System.arraycopy(rec[s * k + j], 0, step, j * m, m);
                }
                System.arraycopy(model.normalise(step), 0, acts, (r * h + s) * a, a);
            }
        }
        float[] goal = new float[n * d], costs = new float[n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(goals, episodes[rows.get(r)] * d, goal, r * d, d);
        }
        demoCost.evaluate(z0, goal, n, 1, acts, costs);
        for (int r = 0; r < n; r++) {
            demoCosts[episodes[rows.get(r)]] = costs[r];
        }
    }
}
