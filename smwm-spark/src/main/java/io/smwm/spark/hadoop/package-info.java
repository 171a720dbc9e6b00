/**
 * Hadoop paths: the driver's Hadoop configuration entries shipped to tasks, so executors open tables the way the
 * driver does ({@link io.smwm.spark.hadoop.ShippedHadoopConf}); directories that runs and registries are published to
 * atomically, by rename or by commit marker ({@link io.smwm.spark.hadoop.HadoopStore}), their lease locks
 * ({@link io.smwm.spark.hadoop.LeaseLock}) and the driver's local scratch space
 * ({@link io.smwm.spark.hadoop.LocalScratch}).
 */
package io.smwm.spark.hadoop;
