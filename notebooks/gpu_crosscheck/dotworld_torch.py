#!/usr/bin/env python3
"""Independent GPU cross-check of the dot-world toy result (issue 3), outside the Java stack.

Trains the paper's toy architecture (encoder conv 32/64/128 s2 p1 + MaxPool(2) + Linear + tanh, forward MLP
(z,a)->256->256->z with tanh, inverse MLP (z,z')->256->256->m, L = mse_fwd + λ·mse_inv, target not detached, Adam)
in PyTorch, either on a trajectory table written by `smwm generate` (Parquet, read with pyarrow) or on dot-world
data synthesised here with the same rules (positions in [r, 1-r], steps a·16/64 per axis, clamping, uniform
random actions), and prints per epoch: the validation loss terms, per-action-dimension inverse R², latent std,
effective rank and the number of principal components with >= 5 % explained variance.

It answers one question: does this architecture and objective find all controllable dimensions on these data
(then the Java trainer is at fault), or does it stop at one dot too (then the data or schedule is)?

Usage (on a machine with PyTorch, e.g. the lent GPU machine):
  python3 dotworld_torch.py --table runs/exp3/dot-independent --epochs 30 --lam 10 --batch 256
  python3 dotworld_torch.py --synthetic 5000 --layout i,i --image-size 32 --epochs 10
"""
import argparse
import glob
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn

PALETTE = [0xE6194B, 0x1F5FE6, 0x2CA02C, 0xFF8C00, 0x9B30FF, 0x00B5C8]
RADIUS = 2.0 / 64.0
MAX_STEP = 16.0 / 64.0


def load_table(path):
    import pyarrow.parquet as pq
    info = json.load(open(os.path.join(path, "meta", "info.json")))
    stats = json.load(open(os.path.join(path, "meta", "stats.json")))
    h, w = info["image"]["height"], info["image"]["width"]
    episodes = {}
    for f in sorted(glob.glob(os.path.join(path, "data", "*.parquet"))):
        t = pq.read_table(f, columns=["episode_index", "frame_index", "observation_image", "observation_state",
                                      "action"]).to_pydict()
        for e, fi, img, st, a in zip(t["episode_index"], t["frame_index"], t["observation_image"],
                                     t["observation_state"], t["action"]):
            episodes.setdefault(e, []).append((fi, img, st, a))
    eps = []
    for e in sorted(episodes):
        rows = sorted(episodes[e], key=lambda r: r[0])
        frames = np.stack([np.frombuffer(r[1], dtype=np.uint8).reshape(h, w, 3) for r in rows])
        states = np.array([r[2] for r in rows], dtype=np.float32)
        acts = np.array([r[3] if r[3] is not None else [0.0] * info["action"]["dim"] for r in rows],
                        dtype=np.float32)
        eps.append((frames, states, acts))
    return eps, np.array(stats["action"]["mean"], np.float32), np.array(stats["action"]["std"], np.float32)


def render(pos, size, n_dots, dev="cpu"):
    """pos [N, 2*n_dots] in arena units -> uint8 [N, size, size, 3], 4x4 supersampled anti-aliasing (torch)."""
    ss = 4
    g = (torch.arange(size * ss, device=dev, dtype=torch.float32) + 0.5) / (size * ss)
    pos = torch.as_tensor(pos, device=dev, dtype=torch.float32)
    out = []
    for c0 in range(0, pos.shape[0], 4096):
        p = pos[c0:c0 + 4096]
        img = torch.ones((p.shape[0], size, size, 3), device=dev)
        for i in range(n_dots):
            cx, cy = p[:, 2 * i, None, None], p[:, 2 * i + 1, None, None]
            inside = ((g[None, None, :] - cx) ** 2 + (g[None, :, None] - cy) ** 2) <= RADIUS ** 2
            cov = inside.float().reshape(-1, size, ss, size, ss).mean(dim=(2, 4))[..., None]
            c = PALETTE[i]
            col = torch.tensor([(c >> 16) & 255, (c >> 8) & 255, c & 255], device=dev, dtype=torch.float32) / 255
            img = img * (1 - cov) + col * cov
        out.append((img * 255 + 0.5).to(torch.uint8).cpu().numpy())
    return np.concatenate(out)


def synthesise(n_episodes, steps, layout, size, seed, dev="cpu", in_bounds=False):
    """Dot-world episodes with the Java task's rules, simulated for all episodes at once."""
    rng = np.random.default_rng(seed)
    toks = layout.split(",")
    owners = []  # per dot: action offset or -1 (random) or -2 (static)
    ai = 0
    for tok in toks:
        if tok in ("i", "c"):
            owners += [ai] * (2 if tok == "c" else 1)
            ai += 2
        else:
            owners.append(-1 if tok == "r" else -2)
    n_dots, m = len(owners), ai
    pos = rng.uniform(RADIUS, 1 - RADIUS, size=(n_episodes, 2 * n_dots))
    acts = rng.uniform(-1, 1, size=(n_episodes, steps + 1, m)).astype(np.float32)
    traj = [pos.copy()]
    for t in range(steps):
        if in_bounds:  # resample each action pair uniformly within the range that keeps its dot(s) off the border
            for a0 in range(0, m, 2):
                for ax in range(2):
                    lo = np.full(n_episodes, -1.0)
                    hi = np.full(n_episodes, 1.0)
                    for d, o in enumerate(owners):
                        if o == a0:
                            x = pos[:, 2 * d + ax]
                            lo = np.maximum(lo, (RADIUS - x) / MAX_STEP)
                            hi = np.minimum(hi, (1 - RADIUS - x) / MAX_STEP)
                    acts[:, t, a0 + ax] = lo + (hi - lo) * rng.uniform(size=n_episodes)
        for d, o in enumerate(owners):
            if o >= 0:
                pos[:, 2 * d:2 * d + 2] += acts[:, t, o:o + 2] * MAX_STEP
            elif o == -1:
                pos[:, 2 * d:2 * d + 2] += rng.uniform(-1, 1, size=(n_episodes, 2)) * MAX_STEP
        pos = np.clip(pos, RADIUS, 1 - RADIUS)
        traj.append(pos.copy())
    states = np.stack(traj, axis=1).astype(np.float32)  # [E, T+1, 2n]
    frames = render(states.reshape(-1, 2 * n_dots), size, n_dots, dev).reshape(n_episodes, steps + 1, size, size, 3)
    eps = [(frames[e], states[e], acts[e]) for e in range(n_episodes)]
    allacts = acts[:, :-1].reshape(-1, m)
    return eps, allacts.mean(0), allacts.std(0)


class WorldModel(nn.Module):
    def __init__(self, size, m, latent=64, hidden=256, center=False):
        super().__init__()
        self.center = center
        self.enc = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(64, 128, 3, 2, 1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(128 * (size // 16) ** 2, latent), nn.Tanh())
        self.fwd = nn.Sequential(nn.Linear(latent + m, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, latent), nn.Tanh())
        self.inv = nn.Sequential(nn.Linear(2 * latent, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, m))

    def encode(self, x):
        x = x.permute(0, 3, 1, 2).float() / 255.0
        return self.enc(x * 2 - 1 if self.center else x)


def transitions(eps, k):
    idx = []
    for e, (frames, _, _) in enumerate(eps):
        for t in range(len(frames) - k):
            idx.append((e, t))
    return np.array(idx)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--table")
    ap.add_argument("--synthetic", type=int, default=0, help="episodes to synthesise instead of a table")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--layout", default="i,i")
    ap.add_argument("--image-size", type=int, default=32)
    ap.add_argument("--frameskip", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--lam", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--in-bounds", action="store_true",
                    help="synthetic data: draw each action within the range that keeps its dots off the border")
    ap.add_argument("--knn", type=int, default=64, help="neighbours per anchor for the local PCA")
    ap.add_argument("--center", action="store_true", help="feed pixels in [-1,1] instead of [0,1]")
    ap.add_argument("--epoch-samples", type=int, default=0, help="transitions per reported epoch (0 = all)")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    t0 = time.time()
    if args.table:
        eps, amean, astd = load_table(args.table)
    else:
        eps, amean, astd = synthesise(args.synthetic, args.steps, args.layout, args.image_size, args.seed, dev,
                                      args.in_bounds)
    k = args.frameskip
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(eps))
    n_val = max(1, len(eps) // 10)
    val_eps, tr_eps = [eps[i] for i in order[:n_val]], [eps[i] for i in order[n_val:]]

    def tensors(es):
        frames = torch.tensor(np.stack([e[0] for e in es]), device=dev)  # [E, T+1, H, W, 3]
        acts = (np.stack([e[2] for e in es]) - amean) / astd
        return frames, torch.tensor(acts, device=dev, dtype=torch.float32), np.stack([e[1] for e in es])

    trF, trA, _ = tensors(tr_eps)
    vaF, vaA, vaS = tensors(val_eps)
    T = trF.shape[1]
    m = trA.shape[2]
    size = trF.shape[2]
    print(f"data: {len(tr_eps)} train / {len(val_eps)} val episodes of {T} frames, {size}px, m={m}, "
          f"{len(tr_eps) * (T - k)} train transitions, loaded in {time.time() - t0:.1f}s on {dev}", flush=True)
    model = WorldModel(size, m * k, center=args.center).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def batch(F, A, e, t):
        a = torch.cat([A[e, t + j] for j in range(k)], dim=1)
        return F[e, t], a, F[e, t + k]

    def losses(o, a, o2):
        z, z2 = model.encode(o), model.encode(o2)
        lf = ((model.fwd(torch.cat([z, a], 1)) - z2) ** 2).mean()
        ah = model.inv(torch.cat([z, z2], 1))
        return lf, ((ah - a) ** 2).mean(), z, ah

    E = trF.shape[0]
    steps = 0
    for epoch in range(1, args.epochs + 1):
        te = time.time()
        perm = torch.randperm(E * (T - k), device=dev)
        if args.epoch_samples:
            perm = perm[:args.epoch_samples]
        model.train()
        sf = si = 0.0
        nb = 0
        for b in range(0, len(perm) - args.batch + 1, args.batch):
            p = perm[b:b + args.batch]
            o, a, o2 = batch(trF, trA, p // (T - k), p % (T - k))
            lf, li, _, _ = losses(o, a, o2)
            loss = lf + args.lam * li
            opt.zero_grad()
            loss.backward()
            opt.step()
            sf += lf.item(); si += li.item(); nb += 1
            steps += 1
        model.eval()
        with torch.no_grad():
            ve = torch.arange(vaF.shape[0], device=dev).repeat_interleave(T - k)
            vt = torch.arange(T - k, device=dev).repeat(vaF.shape[0])
            o, a, o2 = batch(vaF, vaA, ve, vt)
            lf, li, z, ah = losses(o, a, o2)
            r2 = 1 - ((ah - a) ** 2).mean(0) / a.var(0)
            zc = z - z.mean(0)
            ev = torch.linalg.eigvalsh(zc.T @ zc / len(zc)).flip(0).clamp(min=0)
            frac = ev / ev.sum()
            eff_rank = math.exp(-(frac[frac > 0] * frac[frac > 0].log()).sum().item())
            sig = int((frac >= 0.05).sum().item())
            std = z.std(0).mean().item()
            # local PCA: intrinsic dimension of the embedding (median over anchors of local components >= 5/10 %)
            g = torch.Generator(device="cpu").manual_seed(0)
            anchors = z[torch.randperm(len(z), generator=g)[:400].to(dev)]
            nn_idx = torch.cdist(anchors, z).topk(args.knn, largest=False).indices  # [A, k]
            nbh = z[nn_idx]  # [A, k, d]
            nbh = nbh - nbh.mean(1, keepdim=True)
            lev = torch.linalg.eigvalsh(nbh.transpose(1, 2) @ nbh).flip(1).clamp(min=0)
            lfrac = lev / lev.sum(1, keepdim=True).clamp(min=1e-12)
            loc5 = (lfrac >= 0.05).sum(1).float().median().item()
            loc10 = (lfrac >= 0.10).sum(1).float().median().item()
            ltop = [round(x, 3) for x in lfrac.mean(0)[:8].tolist()]
        print(f"epoch {epoch:3d} step {steps} train fwd {sf / nb:.4f} inv {si / nb:.4f} | val fwd {lf.item():.4f} "
              f"inv {li.item():.4f} | inv R2 per dim {[round(x, 3) for x in r2.tolist()]} | std {std:.4f} "
              f"eff rank {eff_rank:.2f} sig {sig} top {[round(x, 3) for x in frac[:10].tolist()]} "
              f"| local dims {loc5:.0f}/{loc10:.0f} local top {ltop} | {time.time() - te:.1f}s", flush=True)


if __name__ == "__main__":
    main()
