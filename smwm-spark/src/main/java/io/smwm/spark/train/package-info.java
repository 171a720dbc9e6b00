/**
 * Distributed training by synchronous parameter averaging on Spark's primitives: partitions take K local Adam
 * steps from broadcast parameters, the driver averages parameters and Adam moments weighted by examples.
 */
package io.smwm.spark.train;
