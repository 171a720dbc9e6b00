/**
 * The registry of tasks, their data policies and distractors by name, the policy coverage statistics, and the
 * environment benchmark. Depends on every task package; nothing in env depends on it.
 */
package io.smwm.core.env.catalog;
