package io.smwm.core.eval;

import io.smwm.core.env.Environment;
import io.smwm.core.render.RgbImage;
import io.smwm.core.plan.LatentModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs E evaluation episodes in lock-step (the paper's evaluation protocol): each env is set to its pair's stored start state, the
 * goal frames are encoded in one batch, and at every step the episodes whose action chunk is used up get a new
 * one from the controller in one batched call. An episode succeeds if {@code env.isSuccess(goalState)} holds at
 * any step 0..budget (step 0 included: a start that already meets the goal counts, for every method alike). Each
 * record also says whether the pair was solved at the start and carries the start state's goal error
 * ({@code env.goalError(goalState)} before any action), so reports can separate such pairs.
 *
 * <p>A model with context c &gt; 1 ({@link LatentModel#context()}) plans from the latents of the current frame and
 * of the frames k, 2k, … env steps before it: the pair's recorded frames before the start
 * ({@link StartGoalPair#startHistory()}), then the executed ones; where a frame that far back does not exist the
 * earliest one there is stands in. The goal is one frame, as for every model.
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
        int ctx = latents ? model.context() : 1;
        int span = (ctx - 1) * (latents ? model.frameskip() : 1) + 1; // latents kept per episode: steps t-span+1..t
        Environment[] envs = new Environment[n];
        RgbImage[] frames = new RgbImage[n];
        @SuppressWarnings("unchecked")
        ArrayDeque<float[]>[] past = new ArrayDeque[n]; // each episode's latents of its last `span` frames
        List<RgbImage> goalFrames = new ArrayList<>(n);
        List<RgbImage> before = new ArrayList<>(); // context > 1: the pairs' recorded frames before their starts
        int[] beforeCount = new int[n];
        List<Map<String, Double>> startError = new ArrayList<>(n);
        for (int e = 0; e < n; e++) {
            StartGoalPair p = pairs.get(e);
            envs[e] = envFactory.get();
            envs[e].reset(0);
            envs[e].setState(p.startState());
            envs[e].setDistractorState(p.startDistractorState());
            frames[e] = envs[e].render();
            past[e] = new ArrayDeque<>(span);
            if (span > 1) {
                List<RgbImage> h = p.startHistory();
                List<RgbImage> kept = h.subList(Math.max(0, h.size() - (span - 1)), h.size());
                before.addAll(kept);
                beforeCount[e] = kept.size();
            }
            goalFrames.add(p.goalFrame());
            startError.add(envs[e].goalErrorSpec().toMap(envs[e].goalError(p.goalState())));
        }
        float[] goalZ = latents ? model.encode(goalFrames) : null;
        controller.begin(pairs, controller.needsLatents() ? goalZ : null, seed, firstEpisode);

        boolean[] active = new boolean[n];
        int[] successStep = new int[n];
        float[][] stateCurve = new float[n][budget + 1];
        float[][] latentCurve = cfg.latentCurve() && latents ? new float[n][budget + 1] : null;
        @SuppressWarnings("unchecked")
        ArrayDeque<float[]>[] queues = new ArrayDeque[n];
        List<List<Double>> planMs = new ArrayList<>();
        List<List<Double>> planCosts = new ArrayList<>();
        int[] steps = new int[n];
        int[] firstChunk = new int[n]; // primitive actions of each episode's first plan that are executed (0: none yet)
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
        List<List<float[]>> statesKept = cfg.recordStates() ? new ArrayList<>(n) : null; // executed states, actions
        List<List<float[]>> actionsKept = cfg.recordStates() ? new ArrayList<>(n) : null;
        if (statesKept != null) {
            for (int e = 0; e < n; e++) {
                statesKept.add(new ArrayList<>(List.of(envs[e].state()))); // state() is a copy
                actionsKept.add(new ArrayList<>());
            }
        }
        float[][] current = new float[n][]; // z_t of each episode's current frame (when encoded)
        if (latents) {
            float[] zb = before.isEmpty() ? new float[0] : model.encode(before);
            for (int e = 0, row = 0; e < n; e++) {
                for (int i = 0; i < beforeCount[e]; i++, row++) {
                    past[e].addLast(Arrays.copyOfRange(zb, row * d, (row + 1) * d));
                }
            }
            encodeActive(frames, active, current, past, span);
        }
        record(0, envs, pairs, active, successStep, stateCurve, latentCurve, current, goalZ, d);

        for (int t = 1; t <= budget; t++) {
            int[] act = indices(active);
            if (act.length == 0) {
                break;
            }
            int[] need = Arrays.stream(act).filter(e -> queues[e].isEmpty()).toArray();
            if (need.length > 0) {
                float[] z = null;
                if (controller.needsLatents()) {
                    z = new float[need.length * ctx * d];
                    for (int i = 0; i < need.length; i++) {
                        planningState(past[need[i]], ctx, span, d, z, i * ctx * d);
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
                    if (firstChunk[need[i]] == 0 && costs != null) {
                        firstChunk[need[i]] = t - 1 + chunks[i].length;
                    }
                    if (controller.needsLatents()) {
                        planMs.get(need[i]).add(ms);
                    }
                    if (costs != null) {
                        planCosts.get(need[i]).add(costs[i]);
                    }
                }
            }
            for (int e : act) {
                float[] action = queues[e].poll();
                frames[e] = envs[e].step(action).observation();
                steps[e] = t;
                if (statesKept != null) {
                    actionsKept.get(e).add(action.clone());
                    statesKept.get(e).add(envs[e].state());
                }
                if (e < film && (t % every == 0 || t == budget)) {
                    filmFrames.get(e).add(frames[e]);
                    filmCaps.get(e).add("t=" + t);
                }
            }
            if (latents && (cfg.latentCurve() || ctx > 1 || needsAny(queues, active))) {
                encodeActive(frames, active, current, past, span);
            }
            record(t, envs, pairs, active, successStep, stateCurve, latentCurve, current, goalZ, d);
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
            double realised = latentCurve != null && firstChunk[e] > 0 && firstChunk[e] <= last
                    ? Math.pow(latentCurve[e][firstChunk[e]], 2) : Double.NaN;
            records.add(new EpisodeRecord(controller.name(), p.goalOffset(), budget, p.id(), successStep[e] >= 0,
                    successStep[e], last, stateCurve[e][last], min,
                    latentCurve == null ? Double.NaN : latentCurve[e][last], planMs.get(e).size(),
                    planMs.get(e).stream().mapToDouble(Double::doubleValue).toArray(), stateCurve[e],
                    latentCurve == null ? null : latentCurve[e],
                    planCosts.get(e).stream().mapToDouble(Double::doubleValue).toArray(), controller.demoCost(e), realised,
                    successStep[e] == 0, startError.get(e), envs[e].state().clone(), p.goalState().clone(),
                    statesKept == null ? null : statesKept.get(e).toArray(float[][]::new),
                    actionsKept == null ? null : actionsKept.get(e).toArray(float[][]::new)));
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

    /**
     * Encodes the active episodes' frames in one batch into {@code out[e]} and appends each latent to the episode's
     * {@code past} (keeping the last {@code span}).
     */
    private void encodeActive(RgbImage[] frames, boolean[] active, float[][] out, ArrayDeque<float[]>[] past,
                              int span) {
        List<RgbImage> batch = new ArrayList<>();
        for (int e = 0; e < frames.length; e++) {
            if (active[e]) {
                batch.add(frames[e]);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        float[] z = model.encode(batch);
        int d = model.latentDim();
        for (int e = 0, row = 0; e < frames.length; e++) {
            if (active[e]) {
                out[e] = Arrays.copyOfRange(z, row * d, ++row * d);
                past[e].addLast(out[e]);
                while (past[e].size() > span) {
                    past[e].removeFirst();
                }
            }
        }
    }

    /**
     * Writes the planning state [z_{t−(c−1)k}, …, z_t] into {@code dst} at {@code off}: the latents {@code span − 1},
     * …, k, 0 steps back in {@code past} (whose last entry is z_t); where the episode has fewer, the earliest kept.
     */
    private static void planningState(ArrayDeque<float[]> past, int ctx, int span, int d, float[] dst, int off) {
        float[][] byAge = past.toArray(new float[0][]); // oldest first, last = z_t
        int k = ctx == 1 ? 1 : (span - 1) / (ctx - 1);
        for (int j = 0; j < ctx; j++) {
            int back = (ctx - 1 - j) * k;
            int idx = Math.max(0, byAge.length - 1 - back);
            System.arraycopy(byAge[idx], 0, dst, off + j * d, d);
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

    /**
     * Success test and distances at step t for the active episodes (current[e] = z_t of episode e): the state
     * curve holds the first component of the task's goal error (its own success metric, e.g. TwoRoom's agent
     * distance, Reacher's largest joint error).
     */
    private static void record(int t, Environment[] envs, List<StartGoalPair> pairs, boolean[] active,
                               int[] successStep, float[][] stateCurve, float[][] latentCurve, float[][] current,
                               float[] goalZ, int d) {
        for (int e = 0; e < envs.length; e++) {
            if (!active[e]) {
                continue;
            }
            float[] goal = pairs.get(e).goalState();
            double[] err = envs[e].goalError(goal);
            if (successStep[e] < 0 && envs[e].goalErrorSpec().isMet(err)) {
                successStep[e] = t;
            }
            stateCurve[e][t] = (float) err[0];
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

}
