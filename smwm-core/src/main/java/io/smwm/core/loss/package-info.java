/**
 * The one definition of the SMWM objective L = L_fwd + λ·L_inv (per-element means, the target latent not detached)
 * and its per-term values.
 */
package io.smwm.core.loss;
