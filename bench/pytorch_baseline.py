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
import math
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F


class SinusoidalEmbedding(nn.Module):
    def __init__(self, size, scale=1.0):
        super().__init__()
        self.size, self.scale = size, scale

    def forward(self, x):
        x = x * self.scale
        half = self.size // 2
        emb = torch.log(torch.Tensor([10000.0])) / (half - 1)
        emb = torch.exp(-emb * torch.arange(half))
        emb = x.unsqueeze(-1) * emb.unsqueeze(0)
        return torch.cat((torch.sin(emb), torch.cos(emb)), dim=-1)


class Block(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.ff = nn.Linear(size, size)
        self.act = nn.GELU()

    def forward(self, x):
        return x + self.act(self.ff(x))


class MLP(nn.Module):
    def __init__(self, hidden_size=128, hidden_layers=3, emb_size=128):
        super().__init__()
        self.time_mlp = SinusoidalEmbedding(emb_size)
        self.input_mlp1 = SinusoidalEmbedding(emb_size, scale=25.0)
        self.input_mlp2 = SinusoidalEmbedding(emb_size, scale=25.0)
        layers = [nn.Linear(3 * emb_size, hidden_size), nn.GELU()]
        layers += [Block(hidden_size) for _ in range(hidden_layers)]
        layers.append(nn.Linear(hidden_size, 2))
        self.joint_mlp = nn.Sequential(*layers)

    def forward(self, x, t):
        emb = torch.cat((self.input_mlp1(x[:, 0]), self.input_mlp2(x[:, 1]), self.time_mlp(t)), dim=-1)
        return self.joint_mlp(emb)


class NoiseScheduler:
    def __init__(self, T=50, beta_start=1e-4, beta_end=0.02):
        self.T = T
        self.betas = torch.linspace(beta_start, beta_end, T, dtype=torch.float32)
        self.alphas = 1.0 - self.betas
        self.alphas_cumprod = torch.cumprod(self.alphas, axis=0)
        self.alphas_cumprod_prev = F.pad(self.alphas_cumprod[:-1], (1, 0), value=1.0)
        self.sqrt_alphas_cumprod = self.alphas_cumprod ** 0.5
        self.sqrt_one_minus_alphas_cumprod = (1 - self.alphas_cumprod) ** 0.5
        self.sqrt_inv_alphas_cumprod = torch.sqrt(1 / self.alphas_cumprod)
        self.sqrt_inv_alphas_cumprod_minus_one = torch.sqrt(1 / self.alphas_cumprod - 1)
        self.posterior_mean_coef1 = self.betas * torch.sqrt(self.alphas_cumprod_prev) / (1.0 - self.alphas_cumprod)
        self.posterior_mean_coef2 = (1.0 - self.alphas_cumprod_prev) * torch.sqrt(self.alphas) / (1.0 - self.alphas_cumprod)

    def step(self, model_output, t, sample):
        s1 = self.sqrt_inv_alphas_cumprod[t]
        s2 = self.sqrt_inv_alphas_cumprod_minus_one[t]
        x0 = s1 * sample - s2 * model_output
        prev = self.posterior_mean_coef1[t] * x0 + self.posterior_mean_coef2[t] * sample
        if t > 0:
            variance = self.betas[t] * (1.0 - self.alphas_cumprod_prev[t]) / (1.0 - self.alphas_cumprod[t])
            prev = prev + (variance.clip(1e-20) ** 0.5) * torch.randn_like(model_output)
        return prev

    def add_noise(self, x_start, x_noise, timesteps):
        s1 = self.sqrt_alphas_cumprod[timesteps].reshape(-1, 1)
        s2 = self.sqrt_one_minus_alphas_cumprod[timesteps].reshape(-1, 1)
        return s1 * x_start + s2 * x_noise


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)

    model = MLP()
    scheduler = NoiseScheduler()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randn(8000, 2) * 2  # the data's values do not change the cost

    def train(steps):
        perm = torch.randperm(8000)
        for i in range(steps):
            idx = perm[(i * 32) % 7968:(i * 32) % 7968 + 32]
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
    sample()
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        sample()
        times.append(time.perf_counter() - start)
    print(json.dumps({
        "implementation": "pytorch " + torch.__version__ + " (1 thread)",
        "train_steps_per_s": statistics.median(rates),
        "train_steps_per_s_all": rates,
        "sample_1000x50_s": statistics.median(times),
        "sample_1000x50_s_all": times,
    }))


if __name__ == "__main__":
    main()
