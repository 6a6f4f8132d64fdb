#!/usr/bin/env python3
"""mangamatch's patch-similarity model as a small PyTorch `nn.Module` whose `state_dict` names and shapes are
exactly the tensors of a `.safetensors` export (lib/model/WEIGHTS.md), so the file loads with
`load_state_dict(..., strict=True)`. Same command line as mangamatch_numpy.py:

    python3 lib/model/reference/mangamatch_torch.py models/small-v1-st/model.safetensors \
        --pair pair.npy --out sim.npy [--expect ours.npy]

In Python:

    from mangamatch_torch import MangaMatch
    model = MangaMatch.from_safetensors("models/small-v1-st/model.safetensors")   # float64, eval mode
    x = model.model_input(torch.from_numpy(pair))                                    # [2, C, S, S]
    sim = model(x)                                                                   # [2N, 2N] cosine
    # or load with safetensors.torch.load_file(path) + model.load_state_dict(sd) where that package exists

Architecture (lib/model/model.ts): Conv2d patch embedding + learnt position embeddings (no class token), a ViT
encoder shared by both images, M Multiplex layers (a self block, then a cross block where image a's queries
attend to image b's keys and values and vice versa), a final LayerNorm, L2 normalisation, and the Gram matrix
of the pair's 2N features. Pre-norm blocks, tanh-approximate GELU, LayerNorm eps from the config.
"""
import json
import math
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mangamatch_numpy as ref  # noqa: E402  (the safetensors reader, numpy only)


class Attention(nn.Module):
    """Multi-head attention with a fused q|k|v projection (timm's layout). `kv` gives the keys and values'
    source: None for self attention, the partner images' normalised tokens for cross attention."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, partner=None):
        I, N, d = x.shape
        H, dh = self.heads, d // self.heads
        q, k, v = self.qkv(x).reshape(I, N, 3, H, dh).permute(2, 0, 3, 1, 4)  # each [I, H, N, dh]
        if partner is not None:
            k, v = k[partner], v[partner]
        a = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(dh), dim=-1) @ v
        return self.proj(a.transpose(1, 2).reshape(I, N, d))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm transformer block; `cross=True` pairs image i with image i ^ 1."""

    def __init__(self, dim, heads, mlp_ratio, eps, cross=False):
        super().__init__()
        self.cross = cross
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, mlp_ratio * dim)

    def forward(self, x):
        partner = torch.arange(x.shape[0], device=x.device) ^ 1 if self.cross else None
        x = x + self.attn(self.norm1(x), partner)
        return x + self.mlp(self.norm2(x))


class Multiplex(nn.Module):
    """One Multiplex Transformer layer: a self block, then a cross block."""

    def __init__(self, dim, heads, mlp_ratio, eps):
        super().__init__()
        # Attribute names give the state-dict names mt.<m>.self.* and mt.<m>.cross.*.
        setattr(self, "self", Block(dim, heads, mlp_ratio, eps))
        self.cross = Block(dim, heads, mlp_ratio, eps, cross=True)

    def forward(self, x):
        return self.cross(getattr(self, "self")(x))


class PatchEmbed(nn.Module):
    def __init__(self, channels, patch, dim):
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # [I, N, d], tokens row-major over the grid


class MangaMatch(nn.Module):
    """The whole model from a mangamatch config dict (the `mangamatch.config` metadata of an export)."""

    def __init__(self, config):
        super().__init__()
        c = self.config = dict(config)
        d, g = c["dim"], c["inputSize"] // c["patch"]
        self.patch_embed = PatchEmbed(c["channels"], c["patch"], d)
        self.pos_embed = nn.Parameter(torch.zeros(1, g * g, d))
        self.blocks = nn.ModuleList(Block(d, c["heads"], c["mlpRatio"], c["lnEps"]) for _ in range(c["vitLayers"]))
        self.mt = nn.ModuleList(Multiplex(d, c["heads"], c["mlpRatio"], c["lnEps"]) for _ in range(c["mtLayers"]))
        self.norm = nn.LayerNorm(d, eps=c["lnEps"]) if c["finalNorm"] else None

    @classmethod
    def from_safetensors(cls, path, dtype=torch.float64):
        config, params = ref.load(path)  # numpy reader: checks names and shapes
        model = cls(config)
        model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in params.items()}, strict=True)
        return model.to(dtype).eval()

    def model_input(self, images):
        """uint8 [I, S, S] gray images (0 ink, 255 paper) -> [I, C, S, S] in the model's dtype."""
        dt = self.pos_embed.dtype
        x = images.to(dt) / 255.0
        if self.config["channels"] == 1:
            return (1.0 - x)[:, None]
        mean = torch.tensor(ref.IMAGENET_MEAN, dtype=dt).reshape(1, 3, 1, 1)
        std = torch.tensor(ref.IMAGENET_STD, dtype=dt).reshape(1, 3, 1, 1)
        return (x[:, None] - mean) / std

    def features(self, x):
        """L2-normalised final tokens [I, N, d] of inputs [I, C, S, S] (pairs interleaved)."""
        t = self.patch_embed(x) + self.pos_embed
        for b in self.blocks:
            t = b(t)
        for m in self.mt:
            t = m(t)
        if self.norm is not None:
            t = self.norm(t)
        return t / torch.sqrt((t * t).sum(-1, keepdim=True) + 1e-12)

    def forward(self, x):
        """Cosine similarities [2N, 2N] of one pair x [2, C, S, S]."""
        f = self.features(x).reshape(-1, self.config["dim"])
        return f @ f.T


def _sim(path, pair):
    model = MangaMatch.from_safetensors(path)
    if pair.shape[1:] != (model.config["inputSize"],) * 2 or pair.shape[0] != 2:
        raise ValueError(f"pair must be [2, {model.config['inputSize']}, {model.config['inputSize']}], got {pair.shape}")
    with torch.no_grad():
        return model(model.model_input(torch.from_numpy(pair))).numpy()


if __name__ == "__main__":
    sys.exit(ref.main(name=f"torch {torch.__version__}", sim_fn=_sim))
