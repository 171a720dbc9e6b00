package io.smwm.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.util.UserError;
import io.smwm.data.inspect.TableInspector;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smwm inspect}: counts, statistics, coverage and a contact sheet of a table. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Summarise a trajectory table (counts, action/state statistics, coverage) and write a PNG contact sheet.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "The table directory.")
    String path;

    @Option(names = "--json", description = "Print the summary as JSON (stable keys: episodes, frames, fingerprint, ...).")
    boolean json;

    @Option(names = "--sheet", paramLabel = "FILE", description = "Contact sheet PNG (default: PATH_contact_sheet.png beside the table).")
    Path sheet;

    @Option(names = "--sheet-episodes", defaultValue = "4", description = "Episodes on the contact sheet (default: ${DEFAULT-VALUE}).")
    int sheetEpisodes;

    @Option(names = "--sheet-frames", defaultValue = "8", description = "Frames per episode on the sheet (default: ${DEFAULT-VALUE}).")
    int sheetFrames;

    @Option(names = "--histograms", paramLabel = "FILE", description = "PNG of the action and state histograms "
            + "(default: PATH_histograms.png beside the table).")
    Path histograms;

    @Override
    public Integer call() throws Exception {
        if (sheetEpisodes < 0 || sheetEpisodes > 1000 || sheetFrames < 1 || sheetFrames > 1000) {
            throw new UserError("--sheet-episodes must be in [0, 1000] and --sheet-frames in [1, 1000], got "
                    + sheetEpisodes + " and " + sheetFrames);
        }
        Path out = sheet != null ? sheet : defaultSheet(path);
        Path hist = histograms != null ? histograms : beside(path, "_histograms.png");
        ObjectNode s = new TableInspector(path).inspect(out, sheetEpisodes, sheetFrames, hist);
        if (json) {
            System.out.println(TableInspector.toJson(s));
            return 0;
        }
        System.out.printf("table        %s%n", path);
        StringBuilder taskParams = new StringBuilder();
        s.at("/env/task_params").fields().forEachRemaining(e -> taskParams.append(' ').append(e.getKey()).append('=')
                .append(e.getValue().asText()));
        System.out.printf("env          %s (%s)%s%s%n", s.at("/env/id").asText(), s.at("/env/variant").asText(),
                taskParams, s.get("distractors").isEmpty() ? "" : " distractors " + s.get("distractors"));
        System.out.printf("episodes     %d, frames %d, length %s..%s (mean %.1f)%n", s.get("episodes").asLong(),
                s.get("frames").asLong(), s.at("/episode_length/min").asText(), s.at("/episode_length/max").asText(),
                s.at("/episode_length/mean").asDouble());
        System.out.printf("image        %dx%dx%d uint8%n", s.at("/image/height").asInt(), s.at("/image/width").asInt(),
                s.at("/image/channels").asInt());
        System.out.printf("fingerprint  %s%n", s.get("fingerprint").asText());
        printFeature("action", s.get("action"));
        printFeature("state", s.get("state"));
        System.out.println("coverage");
        Iterator<Map.Entry<String, JsonNode>> it = s.get("coverage").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            System.out.printf("  %-40s %.3f%n", e.getKey(), e.getValue().asDouble());
        }
        if (s.has("contact_sheet")) {
            System.out.println("contact sheet " + s.get("contact_sheet").asText());
        }
        if (s.has("histogram_plot")) {
            System.out.println("histograms    " + s.get("histogram_plot").asText());
        }
        return 0;
    }

    static Path defaultSheet(String tablePath) {
        return beside(tablePath, "_contact_sheet.png");
    }

    /** A local file named after the table's directory plus {@code suffix}, next to it. */
    static Path beside(String tablePath, String suffix) {
        String p = tablePath.replaceFirst("^file:", "").replaceAll("/+$", "");
        return Path.of(p + suffix);
    }

    private static void printFeature(String name, JsonNode f) {
        System.out.printf("%s (dim %d)%n", name, f.get("dim").asInt());
        System.out.printf("  %-14s %10s %10s %10s %10s%n", "", "mean", "std", "min", "max");
        for (int i = 0; i < f.get("dim").asInt(); i++) {
            String label = f.has("names") ? f.get("names").get(i).asText() : name + "[" + i + "]";
            System.out.printf("  %-14s %10.4f %10.4f %10.4f %10.4f%n", label, f.get("mean").get(i).asDouble(),
                    f.get("std").get(i).asDouble(), f.get("min").get(i).asDouble(), f.get("max").get(i).asDouble());
        }
    }
}
