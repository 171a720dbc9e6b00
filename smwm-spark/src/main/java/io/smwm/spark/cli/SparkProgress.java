package io.smwm.spark.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * A console progress bar (the progressbar library) advanced by Spark task completions, for jobs whose tasks
 * are the unit of work (one part file per task, one round per job, ...). Failed attempts do not count.
 */
final class SparkProgress implements AutoCloseable {
    private final SparkSession spark;
    private final ProgressBar bar;
    private final SparkListener listener;

    private SparkProgress(SparkSession spark, String task, long total, String unit, PrintStream out) {
        this.spark = spark;
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(out)).build();
        this.listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo() != null && end.taskInfo().successful()) {
                    bar.step();
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
    }

    static SparkProgress start(SparkSession spark, String task, long total, String unit) {
        return new SparkProgress(spark, task, total, unit, System.err);
    }

    @Override
    public void close() {
        spark.sparkContext().removeSparkListener(listener);
        bar.close();
    }
}
