/**
 * Start/goal pairs for evaluation drawn from a table's held-out episodes, and the Reacher oracle benchmark on a
 * table.
 */
package io.smwm.data.eval;
