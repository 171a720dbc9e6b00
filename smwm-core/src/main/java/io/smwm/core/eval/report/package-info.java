/**
 * Writes an evaluation report atomically: report.json (stable keys), report.md, report.html, distance-curve plots
 * and the filmstrip, with the evaluation's provenance.
 */
package io.smwm.core.eval.report;
