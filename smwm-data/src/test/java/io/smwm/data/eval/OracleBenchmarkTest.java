package io.smwm.data.eval;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.util.UserError;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.testing.TestTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The oracle benchmark picks the table's task, and refuses a task it has no perfect model of. */
class OracleBenchmarkTest {

    @Test
    void aTableOfAnotherTask_isRefusedNamingItsTask(@TempDir Path dir) throws Exception {
        String table = TestTables.makeValid(dir);
        String env;
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            env = r.metadata().env().id();
        }
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        UserError e = assertThrows(UserError.class, () -> OracleBenchmark.run(out, table, null, 1, 7));
        assertTrue(e.getMessage().contains("reacher, pusht and cube") && e.getMessage().contains("holds " + env),
                e.getMessage());
        e = assertThrows(UserError.class, () -> SimulatorOracleBenchmark.run(out, table, "cube",
                java.util.Map.of("o", SimulatorOracleBenchmark.CUBE), null, 1, 7));
        assertTrue(e.getMessage().contains("needs a cube table"), e.getMessage());
        e = assertThrows(UserError.class, () -> SimulatorOracleBenchmark.run(out, table, "pusht",
                java.util.Map.of("o", SimulatorOracleBenchmark.PUSHT), null, 1, 7));
        assertTrue(e.getMessage().contains("needs a pusht table"), e.getMessage());
    }
}
