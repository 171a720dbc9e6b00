/**
 * The environment contract (reset, step, render to an RGB frame, state, goal error) and the behaviour-policy
 * contract that generate data. Tasks live in the sub-packages; env.catalog names them.
 */
package io.smwm.core.env;
