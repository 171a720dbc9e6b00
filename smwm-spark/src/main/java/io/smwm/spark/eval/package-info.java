/**
 * Evaluation spread over Spark executors: contiguous slices of the pairs per task, the same report as on the
 * driver for the same seed.
 */
package io.smwm.spark.eval;
