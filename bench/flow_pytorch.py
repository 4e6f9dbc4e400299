#!/usr/bin/env python3
"""Flow matching on the dino in PyTorch, the reference recipe otherwise: the
same MLP (tests/pytorch_interop/reference_ddpm.py), AdamW lr 1e-3 (weight
decay 0.01), clipping at 1, batch 32, 200 epochs of 8000 points, the time
embedding at t * 50, t ~ U[0, 1], x_t = (1 - t) x0 + t eps, target eps - x0;
then Euler and Heun over 50 steps and the symmetric Chamfer distance of 1000
samples to the data (mean of 4 draws), as `tinydiff eval` reports it. What
tinydiff's flow objective is compared with in docs/ablations.md.

  python3 bench/flow_pytorch.py DINO_TSV [--epochs 200]
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "pytorch_interop"))
from reference_ddpm import MLP  # noqa: E402


def dino(path, n, generator):
    rows = [line.split("\t") for line in open(path).read().splitlines()[1:]]  # x, y (raw units) after a header
    raw = torch.tensor([[float(r[0]), float(r[1])] for r in rows])
    pick = raw[torch.randint(len(raw), (n,), generator=generator)]
    pick = pick + 0.15 * torch.randn(n, 2, generator=generator)
    return torch.stack(((pick[:, 0] / 54 - 1) * 4, (pick[:, 1] / 48 - 1) * 4), dim=1)


def chamfer(a, b):
    d = torch.cdist(a, b)
    return (d.min(dim=1).values.mean() + d.min(dim=0).values.mean()).item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tsv")
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    data = dino(args.tsv, 8000, g)
    model = MLP(128, 3, 128, "sinusoidal", "sinusoidal")
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    T = 50
    for epoch in range(args.epochs):
        for batch in torch.randperm(len(data)).split(32):
            if len(batch) < 32:
                continue
            x0 = data[batch]
            eps = torch.randn_like(x0)
            t = torch.rand(len(x0))
            x_t = (1 - t[:, None]) * x0 + t[:, None] * eps
            loss = torch.nn.functional.mse_loss(model(x_t, t * T), eps - x0)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        if epoch % 20 == 0:
            print(f"epoch {epoch} loss {loss.item():.3f}", flush=True)
    with torch.no_grad():
        for sampler in ("euler", "heun"):
            scores = []
            for draw in range(4):
                x = torch.randn(1000, 2, generator=torch.Generator().manual_seed(100 + draw))
                K = 50
                for k in range(K, 0, -1):
                    t, t_next = k / K, (k - 1) / K
                    v = model(x, torch.full((1000,), t * T))
                    x_euler = x + (t_next - t) * v
                    if sampler == "heun" and t_next > 0:
                        v2 = model(x_euler, torch.full((1000,), t_next * T))
                        x = x + (t_next - t) * 0.5 * (v + v2)
                    else:
                        x = x_euler
                scores.append(chamfer(x, data))
            print(f"{sampler} 50 steps: chamfer {sum(scores) / 4:.4f} ({', '.join(f'{s:.3f}' for s in scores)})")


if __name__ == "__main__":
    main()
