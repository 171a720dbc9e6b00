package io.smwm.spark.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.spark.compare.ComparePlan.Eval;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What {@code smwm compare} reads from and deletes in a cell's directory: its completion marker, its evaluation
 * reports, the round times of its training. Nothing here writes; unreadable files read as absent (the cell is then
 * redone), since every file compare relies on is written atomically.
 */
final class CellFiles {
    /** The completion marker of a cell, written last. */
    static final String MARKER = "cell-done.json";
    static final String MARKER_SCHEMA = "smwm.compare.cell";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CellFiles() {}

    /** The cell's completion marker, or null when there is none or it is not one (then the cell is redone). */
    static JsonNode readMarker(Path dir) {
        Path m = dir.resolve(MARKER);
        if (!Files.isRegularFile(m)) return null;
        try {
            JsonNode n = JSON.readTree(m.toFile());
            return n != null && MARKER_SCHEMA.equals(n.path("schema").asText()) ? n : null;
        } catch (IOException e) {
            return null; // written atomically, so only a hand-edited marker is unreadable: the cell is redone
        }
    }

    /** {@code o} as a JSON tree, through text, so that number types compare equal. */
    static JsonNode tree(Object o) {
        try {
            return JSON.readTree(JSON.writeValueAsString(o)); // through text, so that number types compare equal
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An evaluation report of this seed with the plan's pairs, offset and planner. */
    static boolean reportComplete(Path dir, long seed, Eval ev, String planner) {
        Path f = dir.resolve("report.json");
        if (!Files.isRegularFile(f)) return false;
        try {
            JsonNode rep = JSON.readTree(f.toFile());
            if (rep.path("provenance").path("eval_seed").asLong(-1) != seed) return false;
            for (JsonNode r : rep.path("results"))
                if (planner.equals(r.path("method").asText()) && r.path("goal_offset").asInt() == ev.offset()
                        && r.path("episodes").asInt() == ev.episodes()) return true;
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The evaluation's wall seconds from its report (0 when unreadable). */
    static double reportSeconds(Path dir) {
        try {
            return JSON.readTree(dir.resolve("report.json").toFile()).path("provenance").path("wall_seconds")
                    .asDouble();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The summed round times in metrics.jsonl: training time across interrupted and resumed invocations. */
    static double roundSeconds(Path run) {
        Path f = run.resolve("metrics").resolve("metrics.jsonl");
        if (!Files.isRegularFile(f)) return 0;
        double s = 0;
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.contains("\"round_s\"")) continue;
                try {
                    s += JSON.readTree(line).path("round_s").asDouble();
                } catch (IOException e) {
                    // a line cut by a kill
                }
            }
        } catch (IOException e) {
            return s;
        }
        return s;
    }

    /** Deletes a directory tree (nothing when it does not exist). */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
