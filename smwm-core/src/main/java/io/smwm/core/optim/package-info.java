/**
 * Optimiser state (Adam's first and second moments and step), shared by the trainers and the checkpoint format.
 */
package io.smwm.core.optim;
