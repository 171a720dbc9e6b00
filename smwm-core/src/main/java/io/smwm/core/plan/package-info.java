/**
 * Planning in latent space (the paper's evaluation protocol): sampling-based optimisers of the terminal cost ‖ẑ_H − z_g‖² over
 * normalised model-action sequences, batched over candidates and over episodes.
 *
 * <p>The planners see the world model only through {@link io.smwm.core.plan.LatentModel}. An adapter from the
 * SameDiff world-model facade is a few lines:
 * <pre>{@code
 * encode(frames)            -> worldModel.encode(frames) as flat [B, D]
 * rolloutTerminal(z0, G, N, a, H, out):
 *     Z  = z0 as [G, D], repeated N times per row       -> [G·N, D]
 *     A  = Nd4j.create(a, G·N, H, A)   (a is already flat [G·N, H, A], first G·N·H·A values)
 *     R  = worldModel.rollout(Z, A)                     -> [G·N, H, D]
 *     copy R[:, H-1, :] into out (flat [G·N, D])
 * unnormalise / normalise   -> the checkpoint's action z-score (mean, std) over the k·m model action
 * }</pre>
 * Note that {@code a} and {@code out} are work buffers that may be longer than G·N rows.
 *
 * <p>{@link io.smwm.core.plan.oracle.TwoRoomOracleModel} is an exact hand-written model of TwoRoom (latent =
 * position) for tests and {@link io.smwm.core.plan.bench.PlanBenchmark}.
 */
package io.smwm.core.plan;
