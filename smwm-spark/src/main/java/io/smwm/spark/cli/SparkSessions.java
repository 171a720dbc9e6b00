package io.smwm.spark.cli;

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
        conf.setMaster(effective).setAppName(appName);
        if (effective.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
            conf.setIfMissing("spark.sql.shuffle.partitions", "8");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
