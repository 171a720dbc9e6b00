/**
 * Visual distractors registered in {@link io.smwm.core.env.distractor.Distractors}: "flicker"
 * ({@link io.smwm.core.env.distractor.FlickerDistractor}), "moving-background"
 * ({@link io.smwm.core.env.distractor.MovingBackgroundDistractor}) and "random-dots"
 * ({@link io.smwm.core.env.distractor.RandomDotsDistractor}). Each has its own state vector and random stream and
 * never touches the task state; its state alone reproduces its pixels.
 */
package io.smwm.core.env.distractor;
