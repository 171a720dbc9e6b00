/**
 * The driver's Hadoop configuration entries shipped to tasks, so executors open tables the way the driver does.
 */
package io.smwm.spark.hadoop;
