package io.smwm.data.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link TableValidator} found wrong with a table: one {@link Problem} per kind, with how often it
 * occurred and the first few examples.
 *
 * @param path     the table checked
 * @param files    data files looked at
 * @param rows     rows read
 * @param episodes distinct episodes seen
 * @param problems problems by kind, in {@link Kind} order; empty when the table is valid
 */
public record ValidationReport(String path, int files, long rows, long episodes, List<Problem> problems) {
    /** Examples kept per kind. */
    public static final int MAX_EXAMPLES = 5;

    /** Problem classes, each with what it means. */
    public enum Kind {
        NOT_A_TABLE("the path does not exist or holds neither meta/ nor data/"),
        METADATA_MISSING("meta/info.json or meta/stats.json is missing"),
        METADATA_INVALID("meta/info.json or meta/stats.json cannot be parsed or is inconsistent on its own"),
        EMPTY_TABLE("the table has no data files or no rows"),
        UNREADABLE_FILE("a data file cannot be opened or read to the end (truncated, corrupt)"),
        MISSING_COLUMN("a required column is absent"),
        WRONG_COLUMN_TYPE("a column does not have the format's Parquet type"),
        EXTRA_COLUMN("a column the format does not define"),
        FRAME_GAP("frame_index skips values within an episode (or does not start at 0)"),
        DUPLICATE_FRAME("frame_index repeats within an episode"),
        FRAME_OUT_OF_ORDER("frame_index decreases within an episode"),
        EPISODE_INTERLEAVED("an episode's rows are not contiguous: it reappears after another episode"),
        EPISODE_SPLIT_ACROSS_FILES("an episode continues from one data file into the next"),
        EPISODES_NOT_ASCENDING("episode_index decreases between episodes or files"),
        EPISODE_INDEX_GAP("episode indices are not 0..episodes-1"),
        BAD_EPISODE_FLAGS("is_first/is_last/is_terminal disagree with the row's place in its episode"),
        LAST_ACTION_NOT_ZERO("the last row of an episode has a non-zero action"),
        NON_FINITE_VALUE("NaN or Inf in action, observation_state or distractor_state"),
        IMAGE_SIZE_MISMATCH("observation_image byte length differs from H*W*C"),
        ACTION_DIM_MISMATCH("action length differs from metadata action.dim"),
        STATE_DIM_MISMATCH("observation_state or distractor_state length differs from metadata"),
        EPISODE_LENGTH_MISMATCH("a non-terminal episode does not have steps_per_episode+1 rows, or one has more"),
        COUNT_MISMATCH("metadata episode/frame counts disagree with the data"),
        FILES_MISMATCH("metadata's files list disagrees with data/ (missing, unlisted, wrong ranges or counts)"),
        FINGERPRINT_MISMATCH("the content fingerprint differs from metadata's"),
        STATS_MISMATCH("meta/stats.json counts, dimensions or values disagree with the data");

        public final String meaning;

        Kind(String meaning) {
            this.meaning = meaning;
        }
    }

    /** One kind of problem: how many occurrences and the first few examples. */
    public record Problem(Kind kind, long count, List<String> examples) {
        public Problem {
            examples = List.copyOf(examples);
        }
    }

    public ValidationReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() { return problems.isEmpty(); }

    public boolean has(Kind kind) { return problem(kind) != null; }

    /** The problem of this kind, or null. */
    public Problem problem(Kind kind) {
        return problems.stream().filter(p -> p.kind() == kind).findFirst().orElse(null);
    }

    /** A human summary, one block per problem kind. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("table ").append(path).append(": ").append(files).append(" files, ").append(rows)
                .append(" rows, ").append(episodes).append(" episodes: ");
        if (ok()) {
            return sb.append("OK").toString();
        }
        sb.append(problems.size()).append(problems.size() == 1 ? " kind of problem\n" : " kinds of problem\n");
        for (Problem p : problems) {
            sb.append("  ").append(p.kind()).append(" x").append(p.count()).append(" (").append(p.kind().meaning)
                    .append(")\n");
            for (String e : p.examples()) {
                sb.append("    - ").append(e).append('\n');
            }
            if (p.count() > p.examples().size()) {
                sb.append("    ... and ").append(p.count() - p.examples().size()).append(" more\n");
            }
        }
        return sb.toString();
    }

    /** One line: every kind of problem with its count and first example ("OK" when valid). */
    public String summary() {
        if (ok()) {
            return "OK";
        }
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            sb.append(sb.length() == 0 ? "" : "; ").append(p.kind()).append(" x").append(p.count());
            if (!p.examples().isEmpty()) {
                String e = p.examples().get(0);
                sb.append(" (").append(e.length() > 200 ? e.substring(0, 200) + "..." : e).append(')');
            }
        }
        return sb.toString();
    }

    public String toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("path", path);
        n.put("ok", ok());
        n.put("files", files);
        n.put("rows", rows);
        n.put("episodes", episodes);
        var arr = n.putArray("problems");
        for (Problem p : problems) {
            ObjectNode o = arr.addObject();
            o.put("kind", p.kind().name());
            o.put("count", p.count());
            o.put("meaning", p.kind().meaning);
            p.examples().forEach(o.putArray("examples")::add);
        }
        return Json.write(n);
    }

    /** Collects problems while validating. */
    static final class Collector {
        private final Map<Kind, long[]> counts = new EnumMap<>(Kind.class);
        private final Map<Kind, List<String>> examples = new EnumMap<>(Kind.class);

        void add(Kind kind, String example) {
            counts.computeIfAbsent(kind, k -> new long[1])[0]++;
            List<String> ex = examples.computeIfAbsent(kind, k -> new ArrayList<>());
            if (ex.size() < MAX_EXAMPLES) {
                ex.add(example);
            }
        }

        boolean has(Kind kind) { return counts.containsKey(kind); }

        ValidationReport report(String path, int files, long rows, long episodes) {
            List<Problem> out = new ArrayList<>();
            counts.forEach((k, c) -> out.add(new Problem(k, c[0], examples.get(k))));
            return new ValidationReport(path, files, rows, episodes, out);
        }
    }
}
