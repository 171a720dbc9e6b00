/**
 * Reacher: a torque-controlled planar two-link arm (DMC-style dynamics), its reaching and scripted data policies.
 */
package io.smwm.core.env.reacher;
