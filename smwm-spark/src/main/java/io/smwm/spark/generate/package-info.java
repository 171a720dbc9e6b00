/**
 * Table generation on Spark: one task per part file, committed atomically as one table.
 */
package io.smwm.spark.generate;
