/**
 * Checkpoint format v1: a trained model with its config, normaliser, Adam state and provenance, saved atomically
 * and loaded with a bounded, checked parser (never Java deserialisation). Downstream of config, model and optim;
 * upstream of train, which writes checkpoints.
 */
package io.smwm.core.checkpoint;
