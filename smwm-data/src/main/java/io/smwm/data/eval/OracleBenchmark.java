package io.smwm.data.eval;

import io.smwm.core.env.cube.Cube;
import io.smwm.core.env.reacher.Reacher;
import io.smwm.core.util.UserError;
import io.smwm.data.table.TrajectoryReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code smwm benchmark oracle}: the table's task picks the perfect model ({@link ReacherOracleBenchmark}, {@link CubeOracleBenchmark}). */
public final class OracleBenchmark {
    private OracleBenchmark() {}

    /** Runs the oracle benchmark of the table's task; see the task's class for what it prints. */
    public static void run(PrintStream out, String table, Path run, int episodes, long seed) throws IOException {
        String env;
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            env = r.metadata().env().id();
        }
        switch (env) {
            case Reacher.ID -> ReacherOracleBenchmark.run(out, table, run, episodes, seed);
            case Cube.ID -> CubeOracleBenchmark.run(out, table, run, episodes, seed);
            default -> throw new UserError("benchmark oracle has perfect models of reacher and cube; " + table
                    + " holds " + env);
        }
    }
}
