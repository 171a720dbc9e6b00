package io.smwm.spark.generate;

import io.smwm.core.env.EnvSpec;
import io.smwm.core.env.catalog.Environments;
import io.smwm.core.util.UserError;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.PartResult;
import io.smwm.data.generate.PartWriter;
import io.smwm.data.generate.StagingLeftovers;
import io.smwm.data.generate.TableCommitter;
import io.smwm.data.table.TableMetadata;
import io.smwm.spark.hadoop.ShippedHadoopConf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a trajectory table on Spark: one task per part file (a fixed block of whole episodes), each task
 * simulating its episodes with seeds derived from the spec's root seed and writing its Parquet file into a
 * staging directory; the driver then writes the metadata and moves the staging directory into place.
 *
 * <p>Because parts are fixed by the spec (not by the cluster) and every episode's seed depends only on the root
 * seed and its index, the content, the file layout and the fingerprint are identical for any number of
 * executors or cores. Tasks return their {@link PartResult} as JSON text (no Java object serialisation).
 */
public final class DistributedGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedGenerator.class);

    private DistributedGenerator() {}

    /**
     * Runs the generation and returns the committed table's metadata.
     *
     * @throws io.smwm.core.util.UserError (via TableCommitter) if the output exists and overwrite is false
     */
    public static TableMetadata run(SparkSession spark, GenerationSpec spec, String outDir, boolean overwrite) {
        Configuration hconf = spark.sparkContext().hadoopConfiguration();
        TableCommitter.checkOutput(hconf, outDir, overwrite);
        EnvSpec envSpec = Environments.create(spec.envId(), spec.envConfig()).spec(); // fail fast on bad names
        StagingLeftovers.clean(hconf, outDir).forEach(LOG::warn);
        String staging = TableCommitter.stagingDirFor(outDir);
        String specJson = spec.toJson();
        Map<String, String> confEntries = ShippedHadoopConf.entries(hconf);
        int parts = spec.parts();
        List<Integer> partIds = IntStream.range(0, parts).boxed().collect(Collectors.toList());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobDescription("smwm generate " + spec.envId() + ": " + spec.episodes() + " episodes in "
                + parts + " parts -> " + outDir);
        try {
            StagingLeftovers.claim(hconf, staging);
            List<String> json = jsc.parallelize(partIds, parts)
                    .map(p -> PartWriter.writePart(ShippedHadoopConf.toConf(confEntries), staging, GenerationSpec.fromJson(specJson), p)
                            .toJson())
                    .collect();
            List<PartResult> results = new ArrayList<>(json.size());
            for (String j : json) {
                results.add(PartResult.fromJson(j));
            }
            TableMetadata meta = TableCommitter.commit(hconf, staging, outDir, spec, envSpec, results, overwrite);
            LOG.info("committed {} episodes in {} parts to {}", spec.episodes(), parts, outDir);
            return meta;
        } catch (Exception e) { // SparkException (a failed job) is checked in Scala's signature
            // the job's other tasks keep writing parts after it failed: wait for them, then remove the staging
            awaitNoRunningTasks(spark, 120_000);
            deleteQuietly(hconf, staging);
            if (noSpaceLeft(e)) {
                throw new UserError("no space left on the device while writing the table " + outDir + " (the partial "
                        + "table in " + staging + " was removed); free space or choose another --out", e);
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException("generation failed: "
                    + rootMessage(e), e);
        } finally {
            jsc.setJobDescription(null);
        }
    }

    /** Whether the failure (anywhere in its causes, or in the text of a task's failure) is a full disk. */
    static boolean noSpaceLeft(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    /** Waits (at most timeoutMs) until no executor runs a task: a failed job's other tasks run to their end. */
    private static void awaitNoRunningTasks(SparkSession spark, long timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        try {
            spark.sparkContext().cancelAllJobs();
            while (System.currentTimeMillis() < end) {
                int running = 0;
                for (var e : spark.sparkContext().statusTracker().getExecutorInfos()) {
                    running += e.numRunningTasks();
                }
                if (running == 0) {
                    return;
                }
                Thread.sleep(100);
            }
            LOG.warn("tasks of the failed generation still run after {} s", timeoutMs / 1000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException re) {
            LOG.warn("cannot wait for the failed generation's tasks: {}", re.toString());
        }
    }

    private static void deleteQuietly(Configuration conf, String dir) {
        try {
            Path p = new Path(dir);
            p.getFileSystem(conf).delete(p, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove the staging directory {}: {}", dir, e.toString());
        }
    }
}
