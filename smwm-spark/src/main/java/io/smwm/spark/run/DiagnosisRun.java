package io.smwm.spark.run;

import io.smwm.core.util.UserError;
import io.smwm.data.diagnose.RunDiagnostics;
import io.smwm.data.table.TableValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One diagnosis of a trained run on a table's held-out episodes, as {@code smwm diagnose} and the toy studies start
 * it: checks the run and the table, then {@link RunDiagnostics} under the lock of {@code RUN/diagnostics}, which
 * writes diagnostics.json and its plots there.
 */
public final class DiagnosisRun {
    private DiagnosisRun() {}

    /**
     * @param samples most held-out transitions to encode, >= 1
     * @return the diagnostics by key, as written to {@code RUN/diagnostics/diagnostics.json}
     */
    public static Map<String, Object> execute(Path run, String data, int samples, boolean skipValidation,
                                              Consumer<String> console) throws IOException {
        if (samples < 1) throw new UserError("--samples must be >= 1, got " + samples);
        Path dir = run.resolve("diagnostics");
        RunDirs.checkNoOverlap("--run RUN/diagnostics", dir, "--data", RunDirs.local(data));
        RunDirs.recoverCheckpoint(run);
        if (!Files.isDirectory(run.resolve("checkpoint")))
            throw new UserError("no checkpoint at " + run.resolve("checkpoint") + "; train first (smwm train --out "
                    + run + ")");
        if (skipValidation)
            console.accept("note: --skip-validation: " + data + " is not validated before diagnosing");
        else
            new TableValidator().requireValid(data);
        try (RunLock lock = RunLock.acquire(dir, "smwm diagnose")) {
            return RunDiagnostics.run(run, data, samples);
        }
    }
}
