/**
 * The application layer: one training run (TrainRun), evaluation (EvaluationRun), diagnosis, the quickstart
 * pipeline, the toy study and the scheduled-retraining job into a model registry (RetrainRun, on
 * {@link io.smwm.spark.registry}), as requests in and objects out, with run-directory layout, locks, resume rules and
 * Spark sessions. The command line and pipelines call these.
 */
package io.smwm.spark.run;
