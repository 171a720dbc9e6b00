/**
 * The experiment configuration (model, loss, training), its YAML loader with the bundled per-task configs, and
 * user overrides. The root of the flow: depends on nothing else in the project but util.
 */
package io.smwm.core.config;
