package io.smwm.spark.cli;

import io.smwm.spark.run.SparkSessions;
import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.table.TableMetadata;
import io.smwm.spark.generate.DistributedGenerator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code smwm generate}: simulate episodes with a behaviour policy and write a trajectory table on Spark. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulate episodes and write a Parquet trajectory table (on Spark; embedded local[*] by default).")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--env", required = true, description = "Environment id (e.g. tworoom, dotworld).")
    String env;

    @Option(names = "--variant", defaultValue = "default", description = "Named variant of the environment (default: ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--episodes", defaultValue = "1000", description = "Number of episodes (default: ${DEFAULT-VALUE}).")
    long episodes;

    @Option(names = "--steps", defaultValue = "100", description = "Actions per episode; each episode has steps+1 frames (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "0", description = "Root seed; every episode's seed derives from it (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Output table directory (any Hadoop path: file:, hdfs:, s3a:).")
    String out;

    @Option(names = "--distractors", split = ",", description = "Visual distractors, comma-separated: flicker, moving-background, random-dots.")
    List<String> distractors = List.of();

    @Option(names = "--param", description = "Task parameter KEY=VALUE, repeatable (e.g. dotworld: start=central, layout=i,r; an unknown key is an error naming the valid ones).")
    Map<String, String> params = new java.util.LinkedHashMap<>();

    @Option(names = "--policy", description = "Behaviour policy (default: the task's own data policy).")
    String policy;

    @Option(names = "--image-size", defaultValue = "64", description = "Square frame side in pixels (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--frameskip", defaultValue = "5", description = "Primitive steps per model step, recorded in the metadata (default: ${DEFAULT-VALUE}).")
    int frameskip;

    @Option(names = "--episodes-per-file", defaultValue = "50", description = "Episodes in each Parquet part file (default: ${DEFAULT-VALUE}).")
    int episodesPerFile;

    @Option(names = "--master", description = "Spark master URL (default: from spark-submit, else local[*]).")
    String master;

    @Option(names = "--overwrite", description = "Replace an existing table at --out.")
    boolean overwrite;

    @Override
    public Integer call() {
        GenerationSpec spec = new GenerationSpec(env, new EnvConfig(variant, imageSize, distractors, Map.copyOf(params)),
                policy, episodes, steps, seed, frameskip, episodesPerFile);
        SparkSession spark = SparkSessions.create("smwm generate " + env, master);
        try {
            long t0 = System.nanoTime();
            TableMetadata meta;
            try (SparkProgress p = SparkProgress.start(spark, "generate", spec.parts(), "parts")) {
                meta = DistributedGenerator.run(spark, spec, out, overwrite);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("wrote %d episodes, %d frames to %s in %.1f s (%.0f frames/s) on %s%n",
                    meta.episodes(), meta.frames(), out, secs, meta.frames() / secs, spark.sparkContext().master());
            System.out.println("fingerprint " + meta.fingerprint());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
