/**
 * Push-T: a round agent pushes a T block toward a target pose (dyn4j physics), and its data policies: the "pusher"
 * expert that moves and turns the block toward random target poses (with the grid of ways around the block it
 * uses) and the "scripted" pusher toward target points.
 */
package io.smwm.core.env.pusht;
