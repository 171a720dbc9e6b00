package io.smwm.data.maintain;

import com.fasterxml.jackson.databind.JsonNode;
import io.smwm.core.env.Environment;
import io.smwm.core.env.StepResult;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.generate.TableSink;
import io.smwm.data.table.Episode;
import io.smwm.data.table.Json;
import io.smwm.data.table.TableDescription;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code table from-report}: the episodes a planner executed in an evaluation, as a new trajectory table, so that
 * what the planner did (and what it really led to) can be trained on.
 *
 * <p>Input: an evaluation report written with {@code evaluate --record-states} (report.json: every episode's
 * {@code pair_id} "epNNNNNN@tT", executed {@code states} [steps + 1][S] and {@code actions} [steps][m]) and the table
 * it was evaluated on (its fingerprint must be the report's {@code provenance.table_fingerprint}). Episode i of the
 * new table is the i-th report episode of the chosen method (e.g. "cem"), in report order: the env of the table's
 * task is set to the pair's start (the state and distractor state of row T of episode NNNNNN in the table), every
 * frame is rendered anew while the recorded actions are replayed, and each replayed state is checked against the
 * recorded one (at most {@link #STATE_TOLERANCE} apart); a replay that departs, a start that is not the recorded
 * one, or a report without recorded states is refused with a {@link UserError} and nothing is written at the output.
 * Episodes keep the length they were run for (an evaluation stops an episode at success), so the table's
 * {@code steps_per_episode} is 0 when they differ.
 *
 * <p>The table's env, frameskip, state names and action bounds are the source table's; its generator records the
 * report's evaluation seed and the policy "report:METHOD". Written through {@link TableSink}: atomically.
 */
public final class ReportEpisodes {
    /** Largest absolute difference allowed between a replayed and a recorded state component. */
    public static final double STATE_TOLERANCE = 1e-4;

    private static final Pattern PAIR_ID = Pattern.compile("ep(\\d+)@t(\\d+)");

    /**
     * What was written.
     *
     * @param metadata the new table's metadata
     * @param solved   episodes the report counts as successes
     * @param steps    actions over all episodes
     */
    public record Result(TableMetadata metadata, int solved, long steps) {}

    private ReportEpisodes() {}

    /**
     * Writes the report's episodes of {@code method} as a new table at {@code out}.
     *
     * @param report          report.json, or the report directory holding it
     * @param table           the table the report's pairs were drawn from
     * @param method          the report's method whose episodes are kept ("cem", "mppi", "random"); null: the planner's
     *                        ({@code config["planner.method"]})
     * @param episodesPerFile episodes per data file, >= 1
     */
    public static Result write(Configuration conf, String report, String table, String out, String method,
                               boolean overwrite, int episodesPerFile) {
        JsonNode root = readReport(conf, report);
        String m = method != null ? method : root.path("config").path("planner.method").asText("");
        if (m.isEmpty()) {
            throw new UserError(report + ": the report names no planner method; give --method");
        }
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode e : root.path("episodes")) {
            if (m.equals(e.path("method").asText())) {
                kept.add(e);
            }
        }
        if (kept.isEmpty()) {
            throw new UserError(report + " has no episodes of method '" + m + "'");
        }
        if (!kept.get(0).has("states") || !kept.get(0).has("actions")) {
            throw new UserError(report + " has no executed states and actions: evaluate with --record-states");
        }
        try (TrajectoryReader reader = TrajectoryReader.open(conf, table)) {
            TableMetadata meta = reader.metadata();
            String fp = root.path("provenance").path("table_fingerprint").asText("");
            if (!fp.isEmpty() && !fp.equals(meta.fingerprint())) {
                throw new UserError(report + " was evaluated on a table with fingerprint " + fp + ", not " + table
                        + " (" + meta.fingerprint() + ")");
            }
            Map<Long, Map<Integer, float[][]>> starts = startRows(reader, kept);
            Environment env = Environments.create(meta.env().id(), TrainingData.envConfig(meta));
            TableDescription d = new TableDescription(meta.env(), meta.frameskip(), meta.state().names(),
                    meta.action().low(), meta.action().high(), new TableMetadata.Generator(
                    root.path("provenance").path("eval_seed").asLong(0), "report:" + m, episodesPerFile,
                    TableMetadata.toolVersion(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
            int solved = 0;
            long steps = 0;
            try (TableSink sink = TableSink.create(conf, out, overwrite, d, episodesPerFile)) {
                for (int i = 0; i < kept.size(); i++) {
                    JsonNode e = kept.get(i);
                    int[] at = pairRow(e);
                    float[][] start = starts.get((long) at[0]).get(at[1]);
                    Episode ep = replay(env, i, e, start[0], start[1], meta.action().dim());
                    sink.write(ep);
                    solved += e.path("success").asBoolean(false) ? 1 : 0;
                    steps += ep.steps();
                }
                return new Result(sink.commit(), solved, steps);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * Episode {@code index}: the env set to {@code state} and {@code distractor}, the report episode's actions
     * replayed with every frame rendered, each state checked against the recorded one.
     */
    static Episode replay(Environment env, long index, JsonNode e, float[] state, float[] distractor, int m) {
        String id = e.path("pair_id").asText();
        float[][] recorded = matrix(e, "states");
        float[][] acts = matrix(e, "actions");
        int n = acts.length;
        if (recorded.length != n + 1) {
            throw new UserError("episode " + id + ": " + recorded.length + " states for " + n + " actions");
        }
        check(id, 0, recorded[0], state, "its start is not row " + id + " of the table");
        env.setState(state);
        env.setDistractorState(distractor);
        byte[][] frames = new byte[n + 1][];
        float[][] states = new float[n + 1][], distractors = new float[n + 1][], actions = new float[n + 1][];
        frames[0] = env.render().data().clone();
        states[0] = env.state();
        distractors[0] = env.distractorState();
        boolean terminal = false;
        for (int t = 0; t < n; t++) {
            if (acts[t].length != m) {
                throw new UserError("episode " + id + ": action " + t + " has " + acts[t].length
                        + " components, the table's actions " + m);
            }
            if (terminal) {
                throw new UserError("episode " + id + ": the env ended the episode at step " + t + " of " + n);
            }
            actions[t] = acts[t];
            StepResult r = env.step(acts[t]);
            frames[t + 1] = r.observation().data().clone();
            states[t + 1] = env.state();
            distractors[t + 1] = env.distractorState();
            terminal = r.terminal();
            check(id, t + 1, recorded[t + 1], states[t + 1], "the replay departs from the recorded states");
        }
        actions[n] = new float[m];
        var spec = env.spec();
        return new Episode(index, spec.imageWidth(), spec.imageHeight(), frames, states, distractors, actions,
                terminal);
    }

    private static void check(String id, int t, float[] recorded, float[] actual, String what) {
        if (recorded.length != actual.length) {
            throw new UserError("episode " + id + ": state " + t + " has " + recorded.length
                    + " components, the env's " + actual.length);
        }
        for (int j = 0; j < actual.length; j++) {
            if (!(Math.abs(recorded[j] - actual[j]) <= STATE_TOLERANCE)) {
                throw new UserError("episode " + id + ", step " + t + ": " + what + " (component " + j + ": "
                        + actual[j] + " against " + recorded[j] + " recorded)");
            }
        }
    }

    /** The table rows the kept episodes start from: episode → start frame → {state, distractor state}. */
    private static Map<Long, Map<Integer, float[][]>> startRows(TrajectoryReader reader, List<JsonNode> kept) {
        Map<Long, TreeSet<Integer>> wanted = new HashMap<>();
        for (JsonNode e : kept) {
            int[] at = pairRow(e);
            wanted.computeIfAbsent((long) at[0], k -> new TreeSet<>()).add(at[1]);
        }
        Map<Long, Map<Integer, float[][]>> rows = new HashMap<>();
        List<TableMetadata.FileEntry> files = reader.metadata().files();
        for (int f = 0; f < files.size(); f++) {
            TableMetadata.FileEntry fe = files.get(f);
            if (wanted.keySet().stream().noneMatch(k -> k >= fe.firstEpisode() && k <= fe.lastEpisode())) {
                continue;
            }
            for (Iterator<Episode> it = reader.episodes(f); it.hasNext(); ) {
                Episode ep = it.next();
                TreeSet<Integer> ts = wanted.get(ep.episodeIndex());
                if (ts == null) {
                    continue;
                }
                Map<Integer, float[][]> byT = new HashMap<>();
                for (int t : ts) {
                    if (t >= ep.frameCount()) {
                        throw new UserError("pair ep" + ep.episodeIndex() + "@t" + t + ": the table's episode "
                                + ep.episodeIndex() + " has " + ep.frameCount() + " frames");
                    }
                    byT.put(t, new float[][] {ep.states()[t], ep.distractorStates()[t]});
                }
                rows.put(ep.episodeIndex(), byT);
            }
        }
        for (long k : wanted.keySet()) {
            if (!rows.containsKey(k)) {
                throw new UserError("the report's pairs start in episode " + k + ", which the table does not have");
            }
        }
        return rows;
    }

    private static int[] pairRow(JsonNode e) {
        String id = e.path("pair_id").asText();
        Matcher mm = PAIR_ID.matcher(id);
        if (!mm.matches()) {
            throw new UserError("pair id '" + id + "' does not name a table row (epNNNNNN@tT): the report's pairs "
                    + "were not drawn from a table");
        }
        return new int[] {Integer.parseInt(mm.group(1)), Integer.parseInt(mm.group(2))};
    }

    private static float[][] matrix(JsonNode e, String key) {
        JsonNode rows = e.path(key);
        if (!rows.isArray()) {
            throw new UserError("episode " + e.path("pair_id").asText() + " has no '" + key + "': evaluate with "
                    + "--record-states");
        }
        float[][] out = new float[rows.size()][];
        for (int t = 0; t < out.length; t++) {
            JsonNode row = rows.get(t);
            out[t] = new float[row.size()];
            for (int j = 0; j < out[t].length; j++) {
                out[t][j] = (float) row.get(j).asDouble();
            }
        }
        return out;
    }

    private static JsonNode readReport(Configuration conf, String report) {
        Path p = new Path(report);
        try {
            if (p.getFileSystem(conf).getFileStatus(p).isDirectory()) {
                p = new Path(p, "report.json");
            }
            JsonNode root = Json.tree(Json.readFile(conf, p));
            if (!"smwm.eval.report".equals(root.path("schema").asText())) {
                throw new UserError(p + " is not an evaluation report (schema '" + root.path("schema").asText()
                        + "', expected smwm.eval.report)");
            }
            return root;
        } catch (java.io.FileNotFoundException e) {
            throw new UserError("no report at " + p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(p + ": " + e.getMessage());
        }
    }
}
