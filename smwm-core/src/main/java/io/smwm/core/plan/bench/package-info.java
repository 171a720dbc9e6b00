/**
 * Planner timing benchmarks (smwm benchmark plan): solves per second with the oracle and with a world model.
 */
package io.smwm.core.plan.bench;
