#!/usr/bin/env python3
"""PyTorch baseline for tinydiff's benchmarks: the reference tiny-diffusion
model and training loop (same defaults), on one CPU thread.

Prints one JSON object: training steps/s (default configuration, batch 32)
and the time to sample 1000 points over 50 steps, each the median of
several repeats. Needs Debian's python3-torch (python3-numpy).
usage: python3 bench/pytorch_baseline.py [--steps N] [--repeats R]
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "pytorch_interop"))
from reference_ddpm import MLP, NoiseScheduler  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-sample", action="store_true", help="training speed only")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = MLP(128, 3, 128, "sinusoidal", "sinusoidal")
    scheduler = NoiseScheduler()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randn(8000, 2) * 2  # the data's values do not change the cost

    def train(steps):
        perm = torch.randperm(8000)
        for i in range(steps):
            B = args.batch
            last = 8000 - 8000 % B  # drop_last
            idx = perm[(i * B) % last:(i * B) % last + B]
            batch = data[idx]
            noise = torch.randn(batch.shape)
            timesteps = torch.randint(0, scheduler.T, (batch.shape[0],)).long()
            noisy = scheduler.add_noise(batch, noise, timesteps)
            loss = F.mse_loss(model(noisy, timesteps), noise)
            loss.backward(loss)
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad()

    def sample():
        model.eval()
        x = torch.randn(1000, 2)
        for t in reversed(range(scheduler.T)):
            tt = torch.full((1000,), t, dtype=torch.long)
            with torch.no_grad():
                residual = model(x, tt)
            x = scheduler.step(residual, t, x)
        model.train()
        return x

    train(50)  # warm-up
    rates = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        train(args.steps)
        rates.append(args.steps / (time.perf_counter() - start))
    times = []
    if not args.no_sample:
        sample()
        for _ in range(args.repeats):
            start = time.perf_counter()
            sample()
            times.append(time.perf_counter() - start)
    threads = f"{args.threads} thread{'s' if args.threads > 1 else ''}"
    print(json.dumps({
        "implementation": "pytorch " + torch.__version__ + f" ({threads})",
        "batch": args.batch,
        "threads": args.threads,
        "train_steps_per_s": statistics.median(rates),
        "train_steps_per_s_all": rates,
        "sample_1000x50_s": statistics.median(times) if times else None,
        "sample_1000x50_s_all": times,
    }))


if __name__ == "__main__":
    main()
