/**
 * Cube: 3-D tabletop pick-and-place of one cube (ode4j physics, software rasteriser), 5-D action, and its scripted
 * pick-and-place data policy.
 */
package io.smwm.core.env.cube;
