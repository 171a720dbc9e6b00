package io.smwm.spark.run;

import io.smwm.core.util.UserError;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession for a command. Under spark-submit the master and configuration come from the submit
 * (spark.master is already set); otherwise the command's --master is used, with embedded local[*] as the default
 * so a newcomer needs no cluster.
 */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * @param appName shown in the Spark UI and logs
     * @param master  a Spark master URL, or null for "whatever spark-submit set, else local[*]"
     */
    public static SparkSession create(String appName, String master) {
        SparkConf conf = new SparkConf(true); // picks up spark.* system properties set by spark-submit
        String effective = master != null ? master : conf.get("spark.master", "local[*]");
        checkMaster(effective);
        conf.setMaster(effective).setAppName(appName);
        if (effective.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
            conf.setIfMissing("spark.sql.shuffle.partitions", "8");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        SparkSession spark;
        try {
            spark = SparkSession.builder().config(conf).getOrCreate();
        } catch (RuntimeException e) {
            throw new UserError("cannot start Spark with --master '" + effective + "': " + firstLine(e)
                    + "; check the master URL and that the cluster is reachable", e);
        }
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /**
     * Turns back on the Spark loggers that the command line's log4j2.properties silences (task failures with their
     * stack traces, which the command reports itself in a line or two).
     */
    public static void verboseLogging() {
        try {
            for (String l : new String[] {"org.apache.spark.executor.Executor", "org.apache.spark.scheduler.TaskSetManager"}) {
                org.apache.logging.log4j.core.config.Configurator.setLevel(l, org.apache.logging.log4j.Level.WARN);
            }
        } catch (LinkageError | RuntimeException e) {
            // another logging backend (a cluster's): nothing to turn on
        }
    }

    /** The forms of master URL Spark accepts (its SparkMasterRegex plus the cluster managers' prefixes). */
    private static final Pattern MASTER = Pattern.compile("local(\\[(\\*|[1-9]\\d*)(,\\s*[1-9]\\d*)?])?"
            + "|local-cluster\\[\\s*[1-9]\\d*\\s*,\\s*[1-9]\\d*\\s*,\\s*[1-9]\\d*\\s*]"
            + "|spark://\\S+|yarn|k8s://\\S+|mesos://\\S+");

    /** Refuses a master URL Spark cannot parse, before Spark logs a stack trace about it. */
    public static void checkMaster(String master) {
        if (!MASTER.matcher(master).matches()) {
            throw new UserError("--master '" + master + "' is not a Spark master URL; use local[N] or local[*] "
                    + "(embedded), spark://HOST:PORT, yarn or k8s://https://HOST:PORT" + " (train also takes none)");
        }
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
