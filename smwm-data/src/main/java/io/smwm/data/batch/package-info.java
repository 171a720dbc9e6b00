/**
 * Transitions for training from a trajectory table: the seeded episode split, streaming table-backed transition
 * sources, and the normaliser and compatibility checks a run needs from the table.
 */
package io.smwm.data.batch;
