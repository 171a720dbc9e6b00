/**
 * Diagnostics of a trained run on a table's held-out episodes (latent spread, PCA, inverse and probe R²), written
 * as diagnostics.json with plots.
 */
package io.smwm.data.diagnose;
