package io.smwm.spark.run;

import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ConfigOverrides;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.plan.PlannerConfig;
import io.smwm.core.util.UserError;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.table.TableMetadata;
import io.smwm.spark.train.AveragingConfig;
import io.smwm.spark.generate.DistributedGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The whole pipeline on one machine for one task: generate a small table with the task's default data policy on
 * embedded Spark, train on it (the bundled config named like the task when there is one, else the defaults sized to
 * the table), and evaluate planning toward goal images against the random policy on the driver.
 */
public final class Quickstart {
    /** The tasks the quickstart runs, the first the default. */
    public static final List<String> ENVS = List.of("tworoom", "reacher", "pusht", "cube");
    /** Where TwoRoom's quickstart goes; the other tasks go to runs/quickstart-ENV. */
    public static final String TWOROOM_OUT = "runs/quickstart";
    /**
     * Episodes and epochs per task when not given: 300 × 2 for TwoRoom and Push-T; Reacher and Cube need more data
     * and training to plan well above random (600 × 3; their configs' schedules are made for three epochs).
     */
    public static final Map<String, int[]> SIZE = Map.of("tworoom", new int[] {300, 2}, "reacher",
            new int[] {600, 3}, "pusht", new int[] {300, 2}, "cube", new int[] {600, 3});
    static final int STEPS = 100, BATCH_SIZE = 64;

    /**
     * The three steps: {@code generation} null when an existing table is reused.
     */
    public record Plan(Path dir, GenerationSpec generation, TrainRequest train, EvaluationRequest evaluation) {
        public String table() { return dir.resolve("table").toString(); }
    }

    /** What the pipeline produced; {@code table} is null when the table was reused. */
    public record Outcome(TableMetadata table, TrainRun.Outcome train, EvaluationRun.Outcome evaluation) {}

    private Quickstart() {}

    /** The default output directory of {@code env}. */
    public static Path defaultDir(String env) {
        return Path.of("tworoom".equals(env) ? TWOROOM_OUT : "runs/quickstart-" + env);
    }

    /**
     * The pipeline for {@code env} in {@code dir}; {@code episodes}/{@code epochs} null take {@link #SIZE}'s.
     * It generates when there is no table in {@code dir} or {@code overwrite} is set.
     *
     * @throws UserError when {@code env} is not one of {@link #ENVS}
     */
    public static Plan plan(String env, Path dir, Integer episodes, Integer epochs, int evalEpisodes, long seed,
                            boolean overwrite) {
        if (!ENVS.contains(env))
            throw new UserError("unknown --env '" + env + "' for quickstart; valid: " + String.join(", ", ENVS));
        Path table = dir.resolve("table"), run = dir.resolve("run");
        GenerationSpec gen = Files.isDirectory(table) && !overwrite ? null
                : new GenerationSpec(env, new EnvConfig("default", EnvConfig.DEFAULT_IMAGE_SIZE, List.of(), Map.of()),
                null, episodes != null ? episodes : SIZE.get(env)[0], STEPS, seed,
                GenerationSpec.DEFAULT_FRAMESKIP, GenerationSpec.DEFAULT_EPISODES_PER_FILE);
        ConfigOverrides o = new ConfigOverrides(null, epochs != null ? epochs : SIZE.get(env)[1], BATCH_SIZE, seed,
                null, null);
        TrainRequest train = new TrainRequest(table.toString(), run,
                ConfigLoader.BUNDLED_TASKS.contains(env) ? env : null, o, null, null, null, true,
                AveragingConfig.DEFAULT_CHECKPOINT_EVERY, null, true, false, false, false);
        EvaluationRequest eval = new EvaluationRequest(run, table.toString(), null, evalEpisodes, List.of(25), null, 5,
                seed, PlannerConfig.cem(), null, null, true, false);
        return new Plan(dir, gen, train, eval);
    }

    /** Runs the plan: generation and training on one embedded Spark session, then evaluation on the driver. */
    public static Outcome run(Plan p, Consumer<String> console) throws IOException {
        TableMetadata meta = null;
        TrainRun.Outcome trained;
        console.accept(p.generation() == null ? "== 1/3 generate: reusing " + p.table()
                + " (pass --overwrite to regenerate)" : "== 1/3 generate");
        SparkSession spark = SparkSessions.create("smwm quickstart", null);
        try {
            if (p.generation() != null) {
                long t0 = System.nanoTime();
                meta = DistributedGenerator.run(spark, p.generation(), p.table(), true);
                console.accept(String.format("wrote %d episodes, %d frames to %s in %.1f s", meta.episodes(),
                        meta.frames(), p.table(), (System.nanoTime() - t0) / 1e9));
            }
            console.accept("== 2/3 train");
            trained = TrainRun.execute(p.train(), spark, console);
        } finally {
            spark.stop();
        }
        console.accept("== 3/3 evaluate");
        return new Outcome(meta, trained, EvaluationRun.execute(p.evaluation(), console));
    }
}
