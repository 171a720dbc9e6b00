/**
 * Table inspection: counts, statistics, coverage, contact sheets and feature histograms.
 */
package io.smwm.data.inspect;
