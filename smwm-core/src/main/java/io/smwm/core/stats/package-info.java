/**
 * Latent statistics: per-dimension std, effective rank (RankMe), PCA spectra, ridge probes and R². Pure numerics,
 * used by training's collapse check and by diagnostics.
 */
package io.smwm.core.stats;
