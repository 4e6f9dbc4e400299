#!/usr/bin/env python3
"""tinydiff <-> PyTorch model files, checked with the reference MLP
(Debian's python3-torch). The safetensors format is read and written by hand
below, exactly as safetensors.torch.load_file / save_file do (8-byte
little-endian header length, JSON header, raw little-endian data).

  pytorch_interop.py make-fixture DIR        writes DIR/pytorch_mlp*.safetensors + .json
  pytorch_interop.py check MODEL PREDICTIONS checks a tinydiff file in the reference MLP
  pytorch_interop.py make-flow-fixture DIR   writes DIR/flow_matching.json (flow loss and gradients)
  pytorch_interop.py make-class-fixture DIR  writes DIR/class_embedding.json (conditional loss and gradients)
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_ddpm import MLP, load_file, save_file  # noqa: E402


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


def make_flow_fixture(directory):
    """Flow matching (rectified flow) in the reference MLP: x_t = (1 - t) x0 + t eps,
    the target eps - x0, the time embedding at t * T; the loss and its gradients."""
    torch.manual_seed(4321)
    T, B = 50, 6
    out = {}
    for name, cfg in {
        "sinusoidal": dict(hidden_size=24, hidden_layers=2, emb_size=16, time_emb="sinusoidal", input_emb="sinusoidal"),
        "learnable": dict(hidden_size=16, hidden_layers=1, emb_size=8, time_emb="learnable", input_emb="learnable"),
    }.items():
        model = MLP(**cfg)
        x0 = torch.randn(B, 2) * 1.5
        noise = torch.randn(B, 2)
        t = torch.rand(B)
        x_t = (1 - t[:, None]) * x0 + t[:, None] * noise
        target = noise - x0
        output = model(x_t, t * T)
        loss = torch.nn.functional.mse_loss(output, target)
        loss.backward()
        out[name] = {
            "config": cfg, "num_timesteps": T,
            "x0": x0.flatten().tolist(), "noise": noise.flatten().tolist(), "t": t.tolist(),
            "x_t": x_t.flatten().tolist(), "target": target.flatten().tolist(),
            "shapes": {k: list(v.shape) for k, v in model.state_dict().items()},
            "params": {k: v.flatten().tolist() for k, v in model.state_dict().items()},
            "output": output.detach().flatten().tolist(), "loss": loss.item(),
            "grads": {k: p.grad.flatten().tolist() for k, p in model.named_parameters()},
        }
    json.dump({"note": "made by tests/pytorch_interop/pytorch_interop.py make-flow-fixture (python3-torch)", **out},
              open(f"{directory}/flow_matching.json", "w"), indent=1)


def make_class_fixture(directory):
    """The conditional MLP (a class table of K + 1 rows, row K "no class"):
    the DDPM loss on a batch of labels that includes "no class", and every
    gradient, the class table's among them."""
    torch.manual_seed(2468)
    T, B, K = 50, 7, 3
    out = {}
    for name, cfg in {
        "sinusoidal": dict(hidden_size=24, hidden_layers=2, emb_size=16, time_emb="sinusoidal", input_emb="sinusoidal"),
        "learnable": dict(hidden_size=16, hidden_layers=1, emb_size=8, time_emb="learnable", input_emb="learnable"),
    }.items():
        model = MLP(**cfg, num_classes=K)
        x_t = torch.randn(B, 2) * 1.5
        noise = torch.randn(B, 2)
        t = torch.randint(0, T, (B,))
        labels = torch.tensor([0, 1, 2, 3, 1, 3, 0])
        output = model(x_t, t, labels)
        loss = torch.nn.functional.mse_loss(output, noise)
        loss.backward()
        out[name] = {
            "config": cfg, "num_classes": K, "num_timesteps": T,
            "x_t": x_t.flatten().tolist(), "noise": noise.flatten().tolist(), "t": t.tolist(),
            "labels": labels.tolist(),
            "shapes": {k: list(v.shape) for k, v in model.state_dict().items()},
            "params": {k: v.flatten().tolist() for k, v in model.state_dict().items()},
            "output": output.detach().flatten().tolist(), "loss": loss.item(),
            "grads": {k: p.grad.flatten().tolist() for k, p in model.named_parameters()},
        }
    json.dump({"note": "made by tests/pytorch_interop/pytorch_interop.py make-class-fixture (python3-torch)", **out},
              open(f"{directory}/class_embedding.json", "w"), indent=1)


def check(model_path, predictions_path):
    tensors, meta = load_file(model_path)
    pred = json.load(open(predictions_path))
    model = MLP(int(meta["hidden_size"]), int(meta["hidden_layers"]), int(meta["embedding_size"]),
                meta["time_embedding"], meta["input_embedding"], int(meta.get("num_classes", "0")))
    model.load_state_dict(tensors, strict=True)
    labels = torch.tensor(pred["labels"]) if "labels" in pred else None
    with torch.no_grad():
        out = model(torch.tensor(pred["x"]), torch.tensor(pred["t"]), labels).flatten()
    worst = (out - torch.tensor(pred["output"])).abs().max().item()
    print(f"tinydiff model in the PyTorch reference MLP: max |difference| {worst:.2e} over {len(out)} outputs")
    return worst <= 1e-5


if __name__ == "__main__":
    if sys.argv[1] == "make-fixture":
        make_fixture(sys.argv[2])
    elif sys.argv[1] == "make-flow-fixture":
        make_flow_fixture(sys.argv[2])
    elif sys.argv[1] == "make-class-fixture":
        make_class_fixture(sys.argv[2])
    elif sys.argv[1] == "check":
        sys.exit(0 if check(sys.argv[2], sys.argv[3]) else 1)
    else:
        sys.exit(__doc__)
