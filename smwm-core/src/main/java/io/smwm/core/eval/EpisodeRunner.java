package io.smwm.core.eval;

import io.smwm.core.env.Environment;
import io.smwm.core.env.RgbImage;
import io.smwm.core.plan.LatentModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs E evaluation episodes in lock-step (REFERENCE §4): each env is set to its pair's stored start state, the
 * goal frames are encoded in one batch, and at every step the episodes whose action chunk is used up get a new
 * one from the controller in one batched call. An episode succeeds if {@code env.isSuccess(goalState)} holds at
 * any step 0..budget (step 0 included: a start that already meets the goal counts, for every method alike). Each
 * record also says whether the pair was solved at the start and carries the start state's goal error
 * ({@code env.goalError(goalState)} before any action), so reports can separate such pairs.
 *
 * <p>A model with frame history h ({@link LatentModel#history()}) sees each episode's last h frames: the pair's
 * recorded frames before the start ({@link StartGoalPair#startHistory()}), then the executed ones; where fewer
 * exist the earliest is repeated. Its goal observation is the goal frame repeated h times: the goal at rest.
 */
public final class EpisodeRunner {
    private final Supplier<Environment> envFactory;
    private final LatentModel model;
    private final EvalConfig cfg;

    /** Episodes and kept filmstrips of one run. */
    public record Outcome(List<EpisodeRecord> episodes, List<Filmstrip> filmstrips) {}

    /**
     * @param envFactory a fresh env per episode (configured like the pairs' source: same task, size, distractors)
     * @param model      the latent model; may be null only if no controller needs latents and latent curves
     *                   are off
     */
    public EpisodeRunner(Supplier<Environment> envFactory, LatentModel model, EvalConfig cfg) {
        this.envFactory = envFactory;
        this.model = model;
        this.cfg = cfg;
    }

    /** Runs the whole pair list: {@code run(controller, pairs, 0, budget, seed)}. */
    public Outcome run(Controller controller, List<StartGoalPair> pairs, int budget, long seed) {
        return run(controller, pairs, 0, budget, seed);
    }

    /**
     * Runs the contiguous slice [firstEpisode, firstEpisode + pairs.size()) of a longer pair list. Episode records
     * come back in pair order; filmstrips are kept for the episodes whose GLOBAL index is below
     * {@code eval.filmstripEpisodes}. With the same seed, the slices of a list concatenated equal the run of the
     * whole list (per-episode streams depend on the global index only; see {@link Controller#begin}).
     */
    public Outcome run(Controller controller, List<StartGoalPair> pairs, int firstEpisode, int budget, long seed) {
        if (firstEpisode < 0) {
            throw new IllegalArgumentException("firstEpisode must be >= 0, got " + firstEpisode);
        }
        int n = pairs.size();
        boolean latents = model != null && (controller.needsLatents() || cfg.latentCurve());
        if (controller.needsLatents() && model == null) {
            throw new IllegalArgumentException(controller.name() + " needs a latent model");
        }
        int d = latents ? model.latentDim() : 0;
        int hist = latents ? model.history() : 1;
        Environment[] envs = new Environment[n];
        RgbImage[] frames = new RgbImage[n];
        @SuppressWarnings("unchecked")
        ArrayDeque<RgbImage>[] recent = new ArrayDeque[n]; // each episode's last `hist` frames, oldest first
        List<RgbImage> goalFrames = new ArrayList<>(n * hist);
        List<Map<String, Double>> startError = new ArrayList<>(n);
        for (int e = 0; e < n; e++) {
            StartGoalPair p = pairs.get(e);
            envs[e] = envFactory.get();
            envs[e].reset(0);
            envs[e].setState(p.startState());
            envs[e].setDistractorState(p.startDistractorState());
            frames[e] = envs[e].render();
            recent[e] = new ArrayDeque<>(hist);
            List<RgbImage> before = p.startHistory();
            for (int i = Math.max(0, before.size() - (hist - 1)); i < before.size(); i++) {
                recent[e].addLast(before.get(i));
            }
            recent[e].addLast(frames[e]);
            while (recent[e].size() < hist) {
                recent[e].addFirst(recent[e].peekFirst());
            }
            for (int i = 0; i < hist; i++) {
                goalFrames.add(p.goalFrame());
            }
            startError.add(envs[e].goalErrorSpec().toMap(envs[e].goalError(p.goalState())));
        }
        float[] goalZ = latents ? model.encode(goalFrames) : null;
        controller.begin(pairs, controller.needsLatents() ? goalZ : null, seed, firstEpisode);

        int[] posIdx = envs.length > 0 ? envs[0].positionStateIndices() : new int[0];
        boolean[] active = new boolean[n];
        int[] successStep = new int[n];
        float[][] stateCurve = new float[n][budget + 1];
        float[][] latentCurve = cfg.latentCurve() && latents ? new float[n][budget + 1] : null;
        @SuppressWarnings("unchecked")
        ArrayDeque<float[]>[] queues = new ArrayDeque[n];
        List<List<Double>> planMs = new ArrayList<>();
        List<List<Double>> planCosts = new ArrayList<>();
        int[] steps = new int[n];
        int film = Math.max(0, Math.min(cfg.filmstripEpisodes() - firstEpisode, n));
        int every = model != null ? model.frameskip() : 5;
        List<List<RgbImage>> filmFrames = new ArrayList<>();
        List<List<String>> filmCaps = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            active[e] = true;
            successStep[e] = -1;
            queues[e] = new ArrayDeque<>();
            planMs.add(new ArrayList<>());
            planCosts.add(new ArrayList<>());
            if (e < film) {
                filmFrames.add(new ArrayList<>(List.of(frames[e])));
                filmCaps.add(new ArrayList<>(List.of("t=0")));
            }
        }
        float[][] current = new float[n][]; // z_t of each episode's current frame (when encoded)
        if (latents) {
            encodeActive(recent, active, current);
        }
        record(0, envs, pairs, active, successStep, stateCurve, latentCurve, current, goalZ, d, posIdx);

        for (int t = 1; t <= budget; t++) {
            int[] act = indices(active);
            if (act.length == 0) {
                break;
            }
            int[] need = Arrays.stream(act).filter(e -> queues[e].isEmpty()).toArray();
            if (need.length > 0) {
                float[] z = null;
                if (controller.needsLatents()) {
                    z = new float[need.length * d];
                    for (int i = 0; i < need.length; i++) {
                        System.arraycopy(current[need[i]], 0, z, i * d, d);
                    }
                }
                long t0 = System.nanoTime();
                float[][][] chunks = controller.act(need, z);
                double ms = (System.nanoTime() - t0) / 1e6 / need.length;
                double[] costs = controller.lastPlanCosts();
                for (int i = 0; i < need.length; i++) {
                    if (chunks[i].length == 0) {
                        throw new IllegalStateException(controller.name() + " returned no actions");
                    }
                    queues[need[i]].addAll(Arrays.asList(chunks[i]));
                    if (controller.needsLatents()) {
                        planMs.get(need[i]).add(ms);
                    }
                    if (costs != null) {
                        planCosts.get(need[i]).add(costs[i]);
                    }
                }
            }
            for (int e : act) {
                frames[e] = envs[e].step(queues[e].poll()).observation();
                recent[e].addLast(frames[e]);
                if (recent[e].size() > hist) {
                    recent[e].removeFirst();
                }
                steps[e] = t;
                if (e < film && (t % every == 0 || t == budget)) {
                    filmFrames.get(e).add(frames[e]);
                    filmCaps.get(e).add("t=" + t);
                }
            }
            if (latents && (cfg.latentCurve() || needsAny(queues, active))) {
                encodeActive(recent, active, current);
            }
            record(t, envs, pairs, active, successStep, stateCurve, latentCurve, current, goalZ, d, posIdx);
            for (int e : act) {
                if (successStep[e] >= 0 && cfg.stopOnSuccess()) {
                    active[e] = false;
                    if (e < film && !filmCaps.get(e).get(filmCaps.get(e).size() - 1).equals("t=" + t)) {
                        filmFrames.get(e).add(frames[e]);
                        filmCaps.get(e).add("t=" + t);
                    }
                }
            }
        }

        List<EpisodeRecord> records = new ArrayList<>(n);
        List<Filmstrip> strips = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            int last = steps[e];
            for (int t = last + 1; t <= budget; t++) { // hold the last value after a stop
                stateCurve[e][t] = stateCurve[e][last];
                if (latentCurve != null) {
                    latentCurve[e][t] = latentCurve[e][last];
                }
            }
            double min = Double.POSITIVE_INFINITY;
            for (float v : stateCurve[e]) {
                min = Math.min(min, v);
            }
            StartGoalPair p = pairs.get(e);
            records.add(new EpisodeRecord(controller.name(), p.goalOffset(), budget, p.id(), successStep[e] >= 0,
                    successStep[e], last, stateCurve[e][last], min,
                    latentCurve == null ? Double.NaN : latentCurve[e][last], planMs.get(e).size(),
                    planMs.get(e).stream().mapToDouble(Double::doubleValue).toArray(), stateCurve[e],
                    latentCurve == null ? null : latentCurve[e],
                    planCosts.get(e).stream().mapToDouble(Double::doubleValue).toArray(), controller.demoCost(e),
                    successStep[e] == 0, startError.get(e)));
            if (e < film) {
                List<RgbImage> fr = new ArrayList<>(filmFrames.get(e));
                List<String> cap = new ArrayList<>(filmCaps.get(e));
                fr.add(p.goalFrame());
                cap.add("goal");
                strips.add(new Filmstrip(controller.name(), p.goalOffset(), p.id(), successStep[e] >= 0, fr, cap));
            }
        }
        return new Outcome(records, strips);
    }

    private static boolean needsAny(ArrayDeque<float[]>[] queues, boolean[] active) {
        for (int e = 0; e < queues.length; e++) {
            if (active[e] && queues[e].isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Encodes the active episodes' current observations (their last h frames) in one batch into {@code out[e]}. */
    private void encodeActive(ArrayDeque<RgbImage>[] recent, boolean[] active, float[][] out) {
        List<RgbImage> batch = new ArrayList<>();
        for (int e = 0; e < recent.length; e++) {
            if (active[e]) {
                batch.addAll(recent[e]);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        float[] z = model.encode(batch);
        int d = model.latentDim();
        for (int e = 0, row = 0; e < recent.length; e++) {
            if (active[e]) {
                out[e] = Arrays.copyOfRange(z, row * d, ++row * d);
            }
        }
    }

    private static int[] indices(boolean[] active) {
        int c = 0;
        for (boolean a : active) {
            c += a ? 1 : 0;
        }
        int[] out = new int[c];
        for (int e = 0, i = 0; e < active.length; e++) {
            if (active[e]) {
                out[i++] = e;
            }
        }
        return out;
    }

    /** Success test and distances at step t for the active episodes (current[e] = z_t of episode e). */
    private static void record(int t, Environment[] envs, List<StartGoalPair> pairs, boolean[] active,
                               int[] successStep, float[][] stateCurve, float[][] latentCurve, float[][] current,
                               float[] goalZ, int d, int[] posIdx) {
        for (int e = 0; e < envs.length; e++) {
            if (!active[e]) {
                continue;
            }
            float[] goal = pairs.get(e).goalState();
            if (successStep[e] < 0 && envs[e].isSuccess(goal)) {
                successStep[e] = t;
            }
            stateCurve[e][t] = (float) stateDistance(envs[e].state(), goal, posIdx);
            if (latentCurve != null && current[e] != null) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double diff = current[e][j] - goalZ[e * d + j];
                    s += diff * diff;
                }
                latentCurve[e][t] = (float) Math.sqrt(s);
            }
        }
    }

    /** Euclidean distance over the position components where the task has them, else over the whole state. */
    static double stateDistance(float[] state, float[] goal, int[] posIdx) {
        double s = 0;
        if (posIdx.length > 0) {
            for (int i : posIdx) {
                s += (state[i] - goal[i]) * (double) (state[i] - goal[i]);
            }
        } else {
            for (int i = 0; i < state.length; i++) {
                s += (state[i] - goal[i]) * (double) (state[i] - goal[i]);
            }
        }
        return Math.sqrt(s);
    }
}
