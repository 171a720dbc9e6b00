package io.smwm.spark.cli;

import io.smwm.core.env.EnvConfig;
import io.smwm.core.render.RgbImage;
import io.smwm.core.viz.ContactSheet;
import io.smwm.data.generate.EpisodeGenerator;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.table.Episode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code smwm render}: a contact sheet of episodes of a task, simulated in memory (no Spark, no table). */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulate a few episodes of a task with its data policy and write a PNG contact sheet.")
final class RenderCommand implements Callable<Integer> {
    @Option(names = "--env", required = true, description = "Environment id.")
    String env;

    @Option(names = "--variant", defaultValue = "default", description = "Variant (default: ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--distractors", split = ",", description = "Distractors, comma-separated.")
    List<String> distractors = List.of();

    @Option(names = "--policy", description = "Behaviour policy (default: the task's data policy).")
    String policy;

    @Option(names = "--seed", defaultValue = "0", description = "Root seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--episodes", defaultValue = "3", description = "Rows: episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--steps", defaultValue = "40", description = "Steps per episode (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--frames", defaultValue = "10", description = "Frames shown per episode (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--image-size", defaultValue = "64", description = "Frame side in pixels (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--out", required = true, description = "Output PNG file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        GenerationSpec spec = new GenerationSpec(env, new EnvConfig(variant, imageSize, distractors, Map.of()), policy,
                episodes, steps, seed, 5, Math.max(1, episodes));
        EpisodeGenerator gen = new EpisodeGenerator(spec);
        String title = env + " (" + gen.envSpec().variant() + ")"
                + (distractors.isEmpty() ? "" : " + " + String.join(", ", distractors)) + ", seed " + seed;
        ContactSheet sheet = new ContactSheet(title, imageSize <= 64 ? 2 : 1);
        for (int e = 0; e < episodes; e++) {
            Episode ep = gen.generate(e);
            int len = ep.frames().length;
            int cols = Math.min(frames, len);
            List<RgbImage> imgs = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            for (int c = 0; c < cols; c++) {
                int t = cols == 1 ? 0 : (int) Math.round(c * (len - 1) / (double) (cols - 1));
                imgs.add(new RgbImage(ep.imageWidth(), ep.imageHeight(), ep.frames()[t]));
                caps.add("t=" + t);
            }
            sheet.addRow("episode " + e, imgs, caps);
        }
        sheet.writePng(out);
        System.out.println("wrote " + out);
        return 0;
    }
}
