/**
 * A model registry for scheduled retraining: a directory of immutable, numbered versions (each a complete run
 * directory with its evaluation on the registry's fixed benchmark pairs, its provenance and the gate's decision), a
 * {@code current} pointer replaced atomically, the benchmark pairs stored once, and the promotion gate that decides
 * whether a candidate replaces the promoted model. {@link io.smwm.spark.registry.ModelRegistry} holds the file
 * layout and its atomicity; {@link io.smwm.spark.registry.Gate} the decision; the retraining job that uses both is
 * {@code io.smwm.spark.run.RetrainRun}. A registry is a local directory or one on any Hadoop path ({@code file:},
 * {@code hdfs:}, {@code s3a:}, ...; {@link io.smwm.spark.registry.RegistryStore}), with the same atomicity on each.
 */
package io.smwm.spark.registry;
