package io.smwm.spark.hadoop;

import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration carried to Spark tasks as plain string entries, so that executors open table
 * paths with exactly the file systems, credentials and options the driver has (e.g. {@code spark.hadoop.*} entries
 * of a submit, or an {@code fs.SCHEME.impl} set on the SparkContext), not with a default {@code new Configuration()}
 * built from whatever XML files happen to be on the executor's classpath.
 *
 * <p>Hadoop's {@link Configuration} is not {@link java.io.Serializable}; the entries are a {@code Map<String, String>}
 * that can travel in a closure or inside a JSON task spec. Contract: {@link #toConf(Map)} of {@link #entries(Configuration)}
 * returns a configuration whose {@code get(key)} equals the source's for every key the source defines; it loads no
 * default resources of its own (so nothing on the executor overrides the driver's values).
 */
public final class ShippedHadoopConf {
    private ShippedHadoopConf() {}

    /** Every entry of {@code conf} (raw values, variables unexpanded), in key order; a new mutable map. */
    public static Map<String, String> entries(Configuration conf) {
        Map<String, String> out = new TreeMap<>();
        conf.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * A configuration holding exactly {@code entries} (no default resources loaded).
     *
     * @throws IllegalArgumentException if {@code entries} is null (a task spec written without them)
     */
    public static Configuration toConf(Map<String, String> entries) {
        if (entries == null) {
            throw new IllegalArgumentException("no Hadoop configuration entries were shipped with the task");
        }
        Configuration c = new Configuration(false);
        entries.forEach(c::set);
        return c;
    }
}
