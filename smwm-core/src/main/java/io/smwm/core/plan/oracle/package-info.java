/**
 * Perfect models of TwoRoom and Reacher behind the latent-model contract, to measure the planner apart from the
 * learned model.
 */
package io.smwm.core.plan.oracle;
