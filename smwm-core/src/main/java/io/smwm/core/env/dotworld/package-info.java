/**
 * The dot world of the representation analysis: {@link io.smwm.core.env.dotworld.DotWorld} with its named
 * variants (single, independent, coupled, distractor, combined) and the {@link io.smwm.core.env.dotworld.MotionType}
 * of each dot. Diagnostics read {@link io.smwm.core.env.dotworld.DotWorld#controllableStateIndices()} to check
 * that a model encodes the controllable dots and ignores the random ones.
 */
package io.smwm.core.env.dotworld;
