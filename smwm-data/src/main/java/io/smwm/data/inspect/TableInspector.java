package io.smwm.data.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.env.catalog.Coverages;
import io.smwm.core.render.RgbImage;
import io.smwm.core.viz.Plots;
import io.smwm.core.viz.ContactSheet;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import io.smwm.data.table.TrajectoryReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises a trajectory table for people and pipelines: counts, action and state statistics, episode lengths,
 * task-specific data coverage (see {@link Coverages}) and a PNG contact sheet of frames from a few episodes.
 *
 * <p>The JSON summary has stable keys: {@code path, format_version, env, image, episodes, frames, fingerprint,
 * episode_length {min,max,mean}, action {dim,mean,std,min,max}, state {dim,names,mean,std,min,max},
 * distractors, coverage {name: value}, contact_sheet, histograms {action, state: {names, lo, hi, counts}},
 * histogram_plot}.
 */
public final class TableInspector {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final String tablePath;

    public TableInspector(String tablePath) {
        this.tablePath = tablePath;
    }

    /**
     * Reads the table once (streaming), writes the contact sheet if {@code sheet} is not null and returns the
     * summary.
     *
     * @param sheet          PNG file for the contact sheet, or null for none
     * @param sheetEpisodes  rows of the sheet (episodes spread over the table)
     * @param sheetFrames    frames per row (spread over the episode)
     */
    public ObjectNode inspect(Path sheet, int sheetEpisodes, int sheetFrames) throws IOException {
        return inspect(sheet, sheetEpisodes, sheetFrames, null);
    }

    /** Bins per dimension of the action and state histograms. */
    public static final int HISTOGRAM_BINS = 20;

    /**
     * As {@link #inspect(Path, int, int)}, and also writes histograms of every action and state dimension
     * ({@value #HISTOGRAM_BINS} bins over the dimension's range) to {@code histogramPng} when it is not null; the
     * counts are in the summary either way. Actions a_0..a_{T-1} are counted (not the zero row after the last
     * frame), states s_0..s_T.
     */
    public ObjectNode inspect(Path sheet, int sheetEpisodes, int sheetFrames, Path histogramPng) throws IOException {
        try (TrajectoryReader reader = TrajectoryReader.open(tablePath)) {
            TableMetadata meta = reader.metadata();
            TableStats stats = reader.stats();
            List<Long> chosen = chooseEpisodes(meta, sheetEpisodes);
            Map<String, String> taskParams = TrainingData.envConfig(meta).params();
            ContactSheet cs = new ContactSheet(meta.env().id() + " (" + meta.env().variant() + ")"
                    + (taskParams.isEmpty() ? "" : " " + taskParams)
                    + (meta.env().distractors().isEmpty() ? "" : " + " + String.join(", ", meta.env().distractors()))
                    + ": " + meta.episodes() + " episodes, " + meta.frames() + " frames", 2);
            List<float[][]> states = new ArrayList<>();
            List<String> actionNames = new ArrayList<>();
            for (int i = 0; i < stats.action().dim(); i++) actionNames.add("action[" + i + "]");
            FeatureHistograms actionHist = new FeatureHistograms(actionNames, stats.action().min(),
                    stats.action().max(), HISTOGRAM_BINS);
            List<String> stateNames = meta.state().names().size() == stats.observationState().dim()
                    ? meta.state().names() : indexed("state", stats.observationState().dim());
            FeatureHistograms stateHist = new FeatureHistograms(stateNames, stats.observationState().min(),
                    stats.observationState().max(), HISTOGRAM_BINS);
            long minLen = Long.MAX_VALUE, maxLen = 0, sumLen = 0, n = 0;
            Iterator<Episode> it = reader.episodes();
            while (it.hasNext()) {
                Episode e = it.next();
                int len = e.frames().length;
                minLen = Math.min(minLen, len);
                maxLen = Math.max(maxLen, len);
                sumLen += len;
                n++;
                states.add(e.states());
                if (e.actions() != null) actionHist.add(e.actions(), Math.min(e.actions().length, len - 1));
                if (e.states() != null) stateHist.add(e.states(), e.states().length);
                if (chosen.contains(e.episodeIndex())) {
                    addRow(cs, e, sheetFrames);
                }
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("path", tablePath);
            out.put("format_version", meta.formatVersion());
            ObjectNode env = out.putObject("env");
            env.put("id", meta.env().id());
            env.put("variant", meta.env().variant());
            env.set("params", JSON.valueToTree(meta.env().params()));
            env.set("task_params", JSON.valueToTree(taskParams));
            ObjectNode image = out.putObject("image");
            image.put("height", meta.image().height());
            image.put("width", meta.image().width());
            image.put("channels", meta.image().channels());
            out.put("episodes", meta.episodes());
            out.put("frames", meta.frames());
            out.put("fingerprint", meta.fingerprint());
            ObjectNode lens = out.putObject("episode_length");
            lens.put("min", n == 0 ? 0 : minLen);
            lens.put("max", maxLen);
            lens.put("mean", n == 0 ? 0 : sumLen / (double) n);
            feature(out.putObject("action"), stats.action(), null);
            feature(out.putObject("state"), stats.observationState(), meta.state().names());
            ArrayNode d = out.putArray("distractors");
            meta.env().distractors().forEach(d::add);
            Map<String, Double> coverage = new LinkedHashMap<>(Coverages.of(meta.env().id(), meta.env().variant(), states));
            out.set("coverage", JSON.valueToTree(coverage));
            if (sheet != null && !chosen.isEmpty()) {
                cs.writePng(sheet);
                out.put("contact_sheet", sheet.toString());
            }
            ObjectNode h = out.putObject("histograms");
            h.set("action", actionHist.toJson(JSON));
            h.set("state", stateHist.toJson(JSON));
            if (histogramPng != null && n > 0) {
                List<String> names = new ArrayList<>(actionHist.names());
                names.addAll(stateHist.names());
                Plots.histograms(meta.env().id() + ": actions and states over " + n + " episodes", names,
                        concat(actionHist.lo(), stateHist.lo()), concat(actionHist.hi(), stateHist.hi()),
                        concat(actionHist.counts(), stateHist.counts()), histogramPng);
                out.put("histogram_plot", histogramPng.toString());
            }
            return out;
        }
    }

    private static List<String> indexed(String prefix, int d) {
        List<String> out = new ArrayList<>(d);
        for (int i = 0; i < d; i++) out.add(prefix + "[" + i + "]");
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static long[][] concat(long[][] a, long[][] b) {
        long[][] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    public static String toJson(ObjectNode summary) {
        try {
            return JSON.writeValueAsString(summary);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Episode indices spread evenly over the table's files (first episode of the chosen files). */
    static List<Long> chooseEpisodes(TableMetadata meta, int count) {
        List<Long> out = new ArrayList<>();
        List<TableMetadata.FileEntry> files = meta.files();
        if (files.isEmpty() || count <= 0) {
            return out;
        }
        long total = meta.episodes();
        long first = files.get(0).firstEpisode();
        for (int i = 0; i < count && i < total; i++) {
            long e = first + Math.round(i * (total - 1) / (double) Math.max(1, Math.min(count, total) - 1));
            if (!out.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    private static void addRow(ContactSheet cs, Episode e, int frames) {
        int len = e.frames().length;
        List<RgbImage> imgs = new ArrayList<>();
        List<String> caps = new ArrayList<>();
        int cols = Math.min(frames, len);
        for (int c = 0; c < cols; c++) {
            int t = cols == 1 ? 0 : (int) Math.round(c * (len - 1) / (double) (cols - 1));
            imgs.add(new RgbImage(e.imageWidth(), e.imageHeight(), e.frames()[t]));
            caps.add("t=" + t);
        }
        cs.addRow("episode " + e.episodeIndex() + " (" + (len - 1) + " steps)", imgs, caps);
    }

    private static void feature(ObjectNode node, TableStats.Feature f, List<String> names) {
        node.put("dim", f.dim());
        if (names != null) {
            node.set("names", JSON.valueToTree(names));
        }
        node.set("mean", JSON.valueToTree(f.mean()));
        node.set("std", JSON.valueToTree(f.std()));
        node.set("min", JSON.valueToTree(f.min()));
        node.set("max", JSON.valueToTree(f.max()));
    }
}
