"""The reference tiny-diffusion model in PyTorch, shared by tinydiff's
PyTorch baseline (bench/pytorch_baseline.py) and its interop test
(tests/pytorch_interop/pytorch_interop.py): the MLP with sinusoidal or learnable
embeddings, the noise scheduler, and safetensors files read and written by
hand (the format is 8-byte little-endian header length, JSON header, raw
little-endian data; Debian has no python3-safetensors).
"""
import json
import struct

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

    def __len__(self):
        return self.size


class LearnableEmbedding(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.size = size
        self.linear = nn.Linear(1, size)

    def forward(self, x):
        return self.linear(x.unsqueeze(-1).float() / self.size)

    def __len__(self):
        return self.size


class PositionalEmbedding(nn.Module):
    def __init__(self, size, kind, scale=1.0):
        super().__init__()
        self.layer = SinusoidalEmbedding(size, scale) if kind == "sinusoidal" else LearnableEmbedding(size)

    def forward(self, x):
        return self.layer(x)


class Block(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.ff = nn.Linear(size, size)
        self.act = nn.GELU()

    def forward(self, x):
        return x + self.act(self.ff(x))


class MLP(nn.Module):
    """The reference tiny-diffusion MLP (sinusoidal or learnable embeddings).

    num_classes > 0 makes it tinydiff's conditional MLP (not in the
    reference): an nn.Embedding of num_classes + 1 rows (the last one "no
    class"), registered before joint_mlp, whose row for each label is
    concatenated after the time embedding."""

    def __init__(self, hidden_size, hidden_layers, emb_size, time_emb, input_emb, num_classes=0):
        super().__init__()
        self.time_mlp = PositionalEmbedding(emb_size, time_emb)
        self.input_mlp1 = PositionalEmbedding(emb_size, input_emb, scale=25.0)
        self.input_mlp2 = PositionalEmbedding(emb_size, input_emb, scale=25.0)
        concat = len(self.time_mlp.layer) + len(self.input_mlp1.layer) + len(self.input_mlp2.layer)
        self.num_classes = num_classes
        if num_classes > 0:
            self.class_embedding = nn.Embedding(num_classes + 1, emb_size)
            concat += emb_size
        layers = [nn.Linear(concat, hidden_size), nn.GELU()]
        layers += [Block(hidden_size) for _ in range(hidden_layers)]
        layers.append(nn.Linear(hidden_size, 2))
        self.joint_mlp = nn.Sequential(*layers)

    def forward(self, x, t, labels=None):
        parts = [self.input_mlp1(x[:, 0]), self.input_mlp2(x[:, 1]), self.time_mlp(t)]
        if self.num_classes > 0:
            if labels is None:
                labels = torch.full((x.shape[0],), self.num_classes, dtype=torch.long)
            parts.append(self.class_embedding(labels))
        return self.joint_mlp(torch.cat(parts, dim=-1))


def save_file(tensors, path, metadata=None):
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_file(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        begin, end = info["data_offsets"]
        values = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
        out[name] = values.reshape(info["shape"])
    return out, header.get("__metadata__", {})


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
