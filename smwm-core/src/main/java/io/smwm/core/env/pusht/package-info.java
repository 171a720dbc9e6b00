/**
 * Push-T: a round agent pushes a T block toward a target pose (dyn4j physics), and its scripted pushing data
 * policy.
 */
package io.smwm.core.env.pusht;
