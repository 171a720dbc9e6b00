/**
 * TwoRoom navigation: {@link io.smwm.core.env.tworoom.TwoRoom} (a disc agent, a wall with one door) and its
 * noisy scripted data-collection policy {@link io.smwm.core.env.tworoom.TwoRoomScriptedPolicy}.
 */
package io.smwm.core.env.tworoom;
