package io.smwm.data.generate;

import io.smwm.core.env.EnvSpec;
import io.smwm.data.table.TableMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a whole table in this JVM, parts one after another: the same files, content and fingerprint as the
 * distributed job, without Spark. For tests, fixtures and small tables. On failure the staging directory is
 * removed and outDir is left as it was.
 */
public final class LocalGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(LocalGenerator.class);

    private LocalGenerator() {}

    /** With the registry's environment and policy. */
    public static TableMetadata generate(GenerationSpec spec, String outDir, boolean overwrite) {
        return generate(new Configuration(), spec, EnvSource.registry(spec), outDir, overwrite);
    }

    public static TableMetadata generate(GenerationSpec spec, EnvSource source, String outDir, boolean overwrite) {
        return generate(new Configuration(), spec, source, outDir, overwrite);
    }

    public static TableMetadata generate(Configuration conf, GenerationSpec spec, EnvSource source, String outDir,
                                         boolean overwrite) {
        TableCommitter.checkOutput(conf, outDir, overwrite);
        StagingLeftovers.clean(conf, outDir).forEach(LOG::warn);
        EnvSpec envSpec = source.env().get().spec();
        String staging = TableCommitter.stagingDirFor(outDir);
        boolean committed = false;
        try {
            StagingLeftovers.claim(conf, staging);
            List<PartResult> parts = new ArrayList<>();
            for (int p = 0; p < spec.parts(); p++) {
                parts.add(PartWriter.writePart(conf, staging, spec, p, source));
            }
            TableMetadata md = TableCommitter.commit(conf, staging, outDir, spec, envSpec, parts, overwrite);
            committed = true;
            return md;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the staging directory " + staging, e);
        } finally {
            if (!committed) {
                try {
                    Path s = new Path(staging);
                    s.getFileSystem(conf).delete(s, true);
                } catch (IOException e) {
                    LOG.warn("cannot remove staging directory {} after a failure: {}", staging, e.toString());
                }
            }
        }
    }
}
