/**
 * Spark ML stages: an estimator that trains a world model on a DataFrame of trajectories and a transformer that
 * adds latent columns.
 */
package io.smwm.spark.ml;
