/**
 * Plots (XChart): training curves, histograms, PCA panels; contact sheets of episodes.
 */
package io.smwm.core.viz;
