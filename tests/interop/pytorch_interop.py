#!/usr/bin/env python3
"""tinydiff <-> PyTorch model files, checked with the reference MLP
(Debian's python3-torch). The safetensors format is read and written by hand
below, exactly as safetensors.torch.load_file / save_file do (8-byte
little-endian header length, JSON header, raw little-endian data).

  pytorch_interop.py make-fixture DIR        writes DIR/pytorch_mlp*.safetensors + .json
  pytorch_interop.py check MODEL PREDICTIONS checks a tinydiff file in the reference MLP
"""
import json
import struct
import sys

import torch
from torch import nn


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
    """The reference tiny-diffusion MLP (sinusoidal or learnable embeddings)."""

    def __init__(self, hidden_size, hidden_layers, emb_size, time_emb, input_emb):
        super().__init__()
        self.time_mlp = PositionalEmbedding(emb_size, time_emb)
        self.input_mlp1 = PositionalEmbedding(emb_size, input_emb, scale=25.0)
        self.input_mlp2 = PositionalEmbedding(emb_size, input_emb, scale=25.0)
        concat = len(self.time_mlp.layer) + len(self.input_mlp1.layer) + len(self.input_mlp2.layer)
        layers = [nn.Linear(concat, hidden_size), nn.GELU()]
        layers += [Block(hidden_size) for _ in range(hidden_layers)]
        layers.append(nn.Linear(hidden_size, 2))
        self.joint_mlp = nn.Sequential(*layers)

    def forward(self, x, t):
        emb = torch.cat((self.input_mlp1(x[:, 0]), self.input_mlp2(x[:, 1]), self.time_mlp(t)), dim=-1)
        return self.joint_mlp(emb)


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


PROBE_X = [[0.5, -1.0], [2.0, 0.25], [-3.0, 1.5], [0.0, 0.0], [1.25, -2.5]]
PROBE_T = [0, 7, 25, 49, 13]


def make_fixture(directory):
    torch.manual_seed(1234)
    for name, cfg in {
        "pytorch_mlp": dict(hidden_size=64, hidden_layers=2, emb_size=32, time_emb="sinusoidal", input_emb="sinusoidal"),
        "pytorch_mlp_learnable": dict(hidden_size=24, hidden_layers=3, emb_size=8, time_emb="learnable", input_emb="learnable"),
    }.items():
        model = MLP(**cfg)
        save_file(model.state_dict(), f"{directory}/{name}.safetensors")  # no metadata, as PyTorch writes
        with torch.no_grad():
            out = model(torch.tensor(PROBE_X), torch.tensor(PROBE_T))
        json.dump({"config": cfg, "x": PROBE_X, "t": PROBE_T, "output": out.flatten().tolist()},
                  open(f"{directory}/{name}.json", "w"), indent=1)


def check(model_path, predictions_path):
    tensors, meta = load_file(model_path)
    pred = json.load(open(predictions_path))
    model = MLP(int(meta["hidden_size"]), int(meta["hidden_layers"]), int(meta["embedding_size"]),
                meta["time_embedding"], meta["input_embedding"])
    model.load_state_dict(tensors, strict=True)
    with torch.no_grad():
        out = model(torch.tensor(pred["x"]), torch.tensor(pred["t"])).flatten()
    worst = (out - torch.tensor(pred["output"])).abs().max().item()
    print(f"tinydiff model in the PyTorch reference MLP: max |difference| {worst:.2e} over {len(out)} outputs")
    return worst <= 1e-5


if __name__ == "__main__":
    if sys.argv[1] == "make-fixture":
        make_fixture(sys.argv[2])
    elif sys.argv[1] == "check":
        sys.exit(0 if check(sys.argv[2], sys.argv[3]) else 1)
    else:
        sys.exit(__doc__)
