/**
 * RGB raster images with anti-aliased drawing primitives, shared by the environments, distractors and plots.
 */
package io.smwm.core.render;
