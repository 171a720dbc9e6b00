/**
 * Training: the Trainer contract and its result, the Learner (one Adam step of the graph), the single-JVM trainer,
 * the end of an epoch every trainer shares (validation, collapse check, metrics row), metrics logs and transition
 * batches. Downstream of model, loss, optim, checkpoint and stats; upstream of eval.
 */
package io.smwm.core.train;
