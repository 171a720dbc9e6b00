package io.smwm.spark.run;

import java.nio.file.Path;

/**
 * One scheduled retraining: train a candidate into a model registry, evaluate it on the registry's benchmark pairs
 * and promote it if the gate holds ({@link RetrainRun}).
 *
 * @param registry   the registry directory, a local path or a URI (file:, hdfs:, s3a:, ...; created when new or
 *                   empty)
 * @param train      how to train the candidate, as {@code smwm train} takes it; its {@code out} is ignored (the
 *                   candidate is trained into the registry), {@code failOnCollapse} is honoured (on by default in
 *                   {@code retrain})
 * @param warmStart  start from the promoted version's checkpoint (from scratch while nothing is promoted)
 * @param gate       the gate file (YAML); null: the defaults ({@link io.smwm.spark.registry.GateConfig#DEFAULTS})
 * @param benchmark  how to draw the benchmark pairs when the registry has none yet; a value given for a registry that
 *                   has them must equal the stored one
 * @param evalMaster Spark master to spread the benchmark evaluation over executors; null: plan on the driver
 * @param evalSlices with {@code evalMaster}: tasks; null: Spark's default parallelism
 */
public record RetrainRequest(String registry, TrainRequest train, boolean warmStart, Path gate, BenchmarkSpec benchmark,
                             String evalMaster, Integer evalSlices) {
    public RetrainRequest {
        if (benchmark == null) benchmark = BenchmarkSpec.DEFAULTS;
    }

    /**
     * How the benchmark pairs are drawn on a registry's first retrain; null fields take the defaults (100 pairs, goal
     * offset 25, evaluation seed 0, the paper's CEM), or, on later retrains, the stored values.
     *
     * @param episodes   start/goal pairs
     * @param goalOffset env steps from start to goal (budget 2 × offset, the paper's protocol)
     * @param seed       evaluation seed (pairs, planner streams, random baseline)
     * @param planner    "cem" or "mppi"
     * @param samples    planner candidates per iteration
     * @param iterations planner iterations per solve
     * @param table      draw from every episode of this table (a held-out benchmark table); null: from the held-out
     *                   episodes of the first candidate's table, under its train/validation split
     */
    public record BenchmarkSpec(Integer episodes, Integer goalOffset, Long seed, String planner, Integer samples,
                                Integer iterations, String table) {
        public static final BenchmarkSpec DEFAULTS = new BenchmarkSpec(null, null, null, null, null, null, null);
        public static final int DEFAULT_EPISODES = 100, DEFAULT_GOAL_OFFSET = 25;
    }
}
