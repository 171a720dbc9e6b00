/**
 * The world model's training pass written directly against ND4J's BLAS (matrix products) and plain Java loops
 * (im2col, col2im, pooling, masks) on buffers reused across steps, without SameDiff: the same function and the same
 * gradients as {@link io.smwm.core.model.WorldModelGraph}, which stays the reference (tests compare the two). Used by
 * {@link io.smwm.core.train.Learner} when {@code train.engine} is {@code direct}. Depends on {@code model} and
 * {@code config}; nothing in {@code model} depends on it.
 */
package io.smwm.core.model.direct;
