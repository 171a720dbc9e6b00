"""PyTorch peer of `smwm benchmark train`: the same toy world model trained the same way, timed per step.

Encoder f: Conv(3->32,k3,s2,p1)-ReLU-Conv(32->64)-ReLU-Conv(64->128)-ReLU-MaxPool(2)-Linear(2048->64)-tanh;
forward g: (64+A)->256->256->64, ReLU, tanh out; inverse h: 128->256->256->A, ReLU, linear out.
Loss: mean((g(z_t,a)-z_tk)^2) + lam * mean((h(z_t,z_tk)-a)^2), the target not detached; Adam lr 5e-4.
Each step converts uint8 frames to floats in [0,1], as the Java side does. Prints one JSON line.
"""
import argparse
import json
import time

import torch
import torch.nn as nn


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--warmup", type=int, default=15)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--action-dim", type=int, default=10)
    p.add_argument("--lam", type=float, default=10.0)
    p.add_argument("--flush-denormal", action="store_true",
                   help="torch.set_flush_denormal(True): treat subnormal floats as zero (x86 FTZ/DAZ)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.flush_denormal:
        torch.set_flush_denormal(True)
    torch.manual_seed(1)
    enc = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                        nn.Conv2d(64, 128, 3, 2, 1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(2048, 64), nn.Tanh())
    fwd = nn.Sequential(nn.Linear(64 + a.action_dim, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                        nn.Linear(256, 64), nn.Tanh())
    inv = nn.Sequential(nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, a.action_dim))
    params = list(enc.parameters()) + list(fwd.parameters()) + list(inv.parameters())
    opt = torch.optim.Adam(params, lr=5e-4)
    g = torch.Generator().manual_seed(7)
    o_t = torch.randint(0, 256, (a.batch, 3, 64, 64), dtype=torch.uint8, generator=g)
    o_tk = torch.randint(0, 256, (a.batch, 3, 64, 64), dtype=torch.uint8, generator=g)
    act = torch.rand((a.batch, a.action_dim), generator=g) * 2 - 1

    def step():
        x = torch.cat([o_t, o_tk]).float().div_(255.0)
        z = enc(x)
        z_t, z_tk = z[:a.batch], z[a.batch:]
        loss_f = ((fwd(torch.cat([z_t, act], 1)) - z_tk) ** 2).mean()
        loss_i = ((inv(torch.cat([z_t, z_tk], 1)) - act) ** 2).mean()
        loss = loss_f + a.lam * loss_i
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    ms = []
    for _ in range(a.steps):
        t = time.perf_counter()
        step()
        ms.append((time.perf_counter() - t) * 1e3)
    s = sorted(ms)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "batch": a.batch,
                      "flush_denormal": a.flush_denormal,
                      "mean_ms": sum(ms) / len(ms), "median_ms": s[len(s) // 2]}))


if __name__ == "__main__":
    main()
