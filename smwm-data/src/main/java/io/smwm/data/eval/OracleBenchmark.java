package io.smwm.data.eval;

import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.cube.Cube;
import io.smwm.core.env.pusht.PushT;
import io.smwm.core.env.reacher.Reacher;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import io.smwm.data.table.TrajectoryReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code smwm benchmark oracle}: the table's task picks the perfect model ({@link ReacherOracleBenchmark}, {@link SimulatorOracleBenchmark}). */
public final class OracleBenchmark {
    private OracleBenchmark() {}

    /**
     * What an oracle benchmark reads from its table: the metadata, the held-out split of {@code run}'s config (or of
     * the default config), the frameskip k, and the action mean and std per primitive dimension (std floored at
     * 1e-3), after checking that the table holds {@code envId}.
     */
    record Setup(TableMetadata meta, EpisodeSplit split, int frameskip, float[] mean, float[] std) {
        static Setup read(String table, Path run, String envId, String what) throws IOException {
            TableMetadata meta;
            TableStats stats;
            try (TrajectoryReader r = TrajectoryReader.open(table)) {
                meta = r.metadata();
                stats = r.stats();
            }
            if (!envId.equals(meta.env().id())) {
                throw new UserError(what + " needs a " + envId + " table, " + table + " holds " + meta.env().id());
            }
            ExperimentConfig cfg = run == null ? ExperimentConfig.DEFAULT
                    : CheckpointIO.load(run.resolve("checkpoint")).config();
            int m = stats.action().mean().length;
            float[] mean = new float[m], std = new float[m];
            for (int j = 0; j < m; j++) {
                mean[j] = (float) stats.action().mean()[j];
                std[j] = (float) Math.max(1e-3, stats.action().std()[j]);
            }
            return new Setup(meta, TrainingData.split(meta, cfg), meta.frameskip(), mean, std);
        }
    }

    /** Push-T's two oracles: the block's pose alone (the success test's view) and with the agent (a frame's). */
    private static Map<String, SimulatorOracleBenchmark.Factory> pushtOracles() {
        Map<String, SimulatorOracleBenchmark.Factory> m = new LinkedHashMap<>();
        m.put("oracle (block)", SimulatorOracleBenchmark.PUSHT_BLOCK);
        m.put("oracle (block, agent)", SimulatorOracleBenchmark.PUSHT);
        return m;
    }

    /** Runs the oracle benchmark of the table's task; see the task's class for what it prints. */
    public static void run(PrintStream out, String table, Path run, int episodes, long seed) throws IOException {
        String env;
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            env = r.metadata().env().id();
        }
        switch (env) {
            case Reacher.ID -> ReacherOracleBenchmark.run(out, table, run, episodes, seed);
            case Cube.ID -> SimulatorOracleBenchmark.run(out, table, Cube.ID,
                    Map.of("oracle (scene)", SimulatorOracleBenchmark.CUBE), run, episodes, seed);
            case PushT.ID -> SimulatorOracleBenchmark.run(out, table, PushT.ID, pushtOracles(), run, episodes, seed);
            default -> throw new UserError("benchmark oracle has perfect models of reacher, pusht and cube; " + table
                    + " holds " + env);
        }
    }
}
