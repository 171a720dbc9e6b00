/**
 * The SameDiff world model: encoder f, forward model g, inverse model h wired in one graph (WorldModelGraph), the
 * inference-only WorldModel, the action normaliser and the fused CPU forward kernel the planner uses.
 */
package io.smwm.core.model;
