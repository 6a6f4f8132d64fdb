#!/usr/bin/env python3
"""mangamatch's patch-similarity model in numpy alone: read a `.safetensors` export, run the whole model
(patch embedding, ViT encoder, Multiplex self/cross layers, final LayerNorm, L2 normalisation) and return the
[2N, 2N] cosine similarity matrix of a pair, in float64.

An independent reading of the weights (lib/model/WEIGHTS.md) and of the architecture (lib/model/model.ts):
it shares no code with the TypeScript model, so agreement checks both. Needs Python 3 and numpy only.

    deno task export --from experiments/small-v1 --out models/small-v1-st --format safetensors
    python3 lib/model/reference/mangamatch_numpy.py models/small-v1-st/model.safetensors \
        --pair pair.npy --out sim.npy [--expect ours.npy]

`pair.npy`: uint8 [2, S, S] gray images already at the model's input size S (0 = ink, 255 = paper; images of
another size are letterboxed by the TypeScript side, lib/image/letterbox.ts). `sim.npy`: float32 [2N, 2N], rows
and columns 0..N-1 image a's patches (row-major over the grid), N..2N-1 image b's. `--expect` compares with a
matrix computed elsewhere and prints the largest absolute difference (exit 1 above --tol, default 1e-4).
Prints one JSON line.

    import mangamatch_numpy as mm
    config, params = mm.load("models/small-v1-st/model.safetensors")
    sim = mm.similarity(config, params, pair)           # [2N, 2N] float64
"""
import argparse
import json
import os
import struct
import sys

import numpy as np

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
_DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "BF16": None}


class WeightsError(Exception):
    """A problem with a weights file, phrased as one line naming the file."""


def read_safetensors(path):
    """Reads a .safetensors file per the format's spec: returns ({name: float32 ndarray}, metadata dict)."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise WeightsError(f"{path}: truncated: {len(raw)} bytes")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise WeightsError(f"{path}: truncated: header length {n} > {len(raw) - 8} bytes after it")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = memoryview(raw)[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    out, spans = {}, []
    for name, t in header.items():
        b, e = t["data_offsets"]
        if t["dtype"] not in _DTYPES:
            raise WeightsError(f"{path}: tensor {name}: dtype {t['dtype']} not supported")
        if e > len(data):
            raise WeightsError(f"{path}: truncated: tensor {name} ends at byte {e} of {len(data)}")
        shape = tuple(t["shape"])
        if t["dtype"] == "BF16":
            u = np.frombuffer(data[b:e], dtype="<u2").astype(np.uint32) << 16
            arr = u.view(np.float32)
        else:
            arr = np.frombuffer(data[b:e], dtype=_DTYPES[t["dtype"]])
        if arr.size != int(np.prod(shape)):
            raise WeightsError(f"{path}: tensor {name}: {arr.size} values for shape {list(shape)}")
        out[name] = arr.astype(np.float32).reshape(shape)
        spans.append((b, e, name))
    spans.sort()
    end = 0
    for b, e, name in spans:
        if b != end:
            raise WeightsError(f"{path}: tensor {name}: data at {b}, expected {end} (hole or overlap)")
        end = e
    if end != len(data):
        raise WeightsError(f"{path}: {len(data) - end} bytes after the last tensor")
    return out, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: ndarray} as F32 safetensors (header padded with spaces to 8 bytes), with string metadata."""
    header, blobs, o = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name, v in tensors.items():
        blob = np.ascontiguousarray(v, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(v)), "data_offsets": [o, o + len(blob)]}
        blobs.append(blob)
        o += len(blob)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(tmp, path)


def expected_shapes(c):
    """{torch name: shape} that a config implies (lib/model/WEIGHTS.md)."""
    d, h, g = c["dim"], c["mlpRatio"] * c["dim"], c["inputSize"] // c["patch"]
    s = {"patch_embed.proj.weight": (d, c["channels"], c["patch"], c["patch"]), "patch_embed.proj.bias": (d,),
         "pos_embed": (1, g * g, d)}

    def block(p):
        s.update({f"{p}.norm1.weight": (d,), f"{p}.norm1.bias": (d,), f"{p}.attn.qkv.weight": (3 * d, d),
                  f"{p}.attn.qkv.bias": (3 * d,), f"{p}.attn.proj.weight": (d, d), f"{p}.attn.proj.bias": (d,),
                  f"{p}.norm2.weight": (d,), f"{p}.norm2.bias": (d,), f"{p}.mlp.fc1.weight": (h, d),
                  f"{p}.mlp.fc1.bias": (h,), f"{p}.mlp.fc2.weight": (d, h), f"{p}.mlp.fc2.bias": (d,)})
    for i in range(c["vitLayers"]):
        block(f"blocks.{i}")
    for m in range(c["mtLayers"]):
        block(f"mt.{m}.self")
        block(f"mt.{m}.cross")
    if c["finalNorm"]:
        s.update({"norm.weight": (d,), "norm.bias": (d,)})
    return s


def load(path):
    """(config dict, {torch name: float64 ndarray}) from a .safetensors file (or a folder with model.safetensors).
    The config comes from __metadata__["mangamatch.config"], else from config.json beside the file."""
    if os.path.isdir(path):
        path = os.path.join(path, "model.safetensors")
    tensors, meta = read_safetensors(path)
    if "mangamatch.config" in meta:
        config = json.loads(meta["mangamatch.config"])
    else:
        side = os.path.join(os.path.dirname(path), "config.json")
        if not os.path.exists(side):
            raise WeightsError(f"{path}: no model config (no __metadata__ mangamatch.config, no config.json)")
        with open(side) as f:
            config = json.load(f)["modelConfig"]
    want = expected_shapes(config)
    for name, shape in want.items():
        if name not in tensors:
            raise WeightsError(f"{path}: tensor {name} missing")
        if tuple(tensors[name].shape) != shape:
            raise WeightsError(f"{path}: tensor {name} has shape {list(tensors[name].shape)}, expected {list(shape)}")
    for name in tensors:
        if name not in want:
            raise WeightsError(f"{path}: unexpected tensor {name}")
    return config, {k: v.astype(np.float64) for k, v in tensors.items()}


def model_input(images, c):
    """uint8 [I, S, S] gray images -> float64 [I, C, S, S]: ink = 1, paper = 0 (1 channel), or the gray value
    in 3 channels normalised with ImageNet mean/std."""
    x = np.asarray(images, dtype=np.float64) / 255.0
    if c["channels"] == 1:
        return (1.0 - x)[:, None]
    mean = np.array(IMAGENET_MEAN).reshape(1, 3, 1, 1)
    std = np.array(IMAGENET_STD).reshape(1, 3, 1, 1)
    return (x[:, None] - mean) / std


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def softmax(s):
    s = s - s.max(-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(-1, keepdims=True)


def block(x, P, p, c, cross):
    """One pre-norm transformer block on x [I, N, d]. Cross: image i's queries attend to image i ^ 1's keys
    and values (both from the same LayerNorm and projection)."""
    I, N, d = x.shape
    H = c["heads"]
    dh = d // H
    h = layer_norm(x, P[f"{p}.norm1.weight"], P[f"{p}.norm1.bias"], c["lnEps"])
    qkv = h @ P[f"{p}.attn.qkv.weight"].T + P[f"{p}.attn.qkv.bias"]  # [I, N, 3d]: q | k | v, each H x dh
    qkv = qkv.reshape(I, N, 3, H, dh).transpose(2, 0, 3, 1, 4)  # [3, I, H, N, dh]
    q, k, v = qkv[0], qkv[1], qkv[2]
    if cross:
        partner = np.arange(I) ^ 1
        k, v = k[partner], v[partner]
    a = softmax(q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)) @ v  # [I, H, N, dh]
    a = a.transpose(0, 2, 1, 3).reshape(I, N, d)
    x = x + a @ P[f"{p}.attn.proj.weight"].T + P[f"{p}.attn.proj.bias"]
    h = layer_norm(x, P[f"{p}.norm2.weight"], P[f"{p}.norm2.bias"], c["lnEps"])
    f = gelu_tanh(h @ P[f"{p}.mlp.fc1.weight"].T + P[f"{p}.mlp.fc1.bias"])
    return x + f @ P[f"{p}.mlp.fc2.weight"].T + P[f"{p}.mlp.fc2.bias"]


def features(c, P, images):
    """L2-normalised final tokens [I, N, d] of I images (pairs interleaved: a0, b0, a1, b1, ...)."""
    x = model_input(images, c)
    I, C, S, _ = x.shape
    p, g, d = c["patch"], S // c["patch"], c["dim"]
    if S != c["inputSize"] or I % 2:
        raise ValueError(f"images must come in pairs at the model's input size {c['inputSize']}, got {x.shape}")
    patches = x.reshape(I, C, g, p, g, p).transpose(0, 2, 4, 1, 3, 5).reshape(I, g * g, C * p * p)
    t = patches @ P["patch_embed.proj.weight"].reshape(d, -1).T + P["patch_embed.proj.bias"] + P["pos_embed"]
    for i in range(c["vitLayers"]):
        t = block(t, P, f"blocks.{i}", c, False)
    for m in range(c["mtLayers"]):
        t = block(t, P, f"mt.{m}.self", c, False)
        t = block(t, P, f"mt.{m}.cross", c, True)
    if c["finalNorm"]:
        t = layer_norm(t, P["norm.weight"], P["norm.bias"], c["lnEps"])
    return t / np.sqrt((t * t).sum(-1, keepdims=True) + 1e-12)


def similarity(c, P, pair):
    """Cosine similarity [2N, 2N] of one pair (uint8 [2, S, S])."""
    f = features(c, P, pair)
    F = f.reshape(-1, f.shape[-1])
    return F @ F.T


def main(argv=None, name="numpy", sim_fn=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("weights", help="a .safetensors file (or a folder with model.safetensors)")
    ap.add_argument("--pair", required=True, help="uint8 [2, S, S] .npy at the model's input size")
    ap.add_argument("--out", help="write the [2N, 2N] similarities here (.npy, float32)")
    ap.add_argument("--expect", help="a [2N, 2N] .npy to compare with")
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args(argv)
    try:
        pair = np.load(a.pair)
        if sim_fn is None:
            config, params = load(a.weights)
            sim = similarity(config, params, pair)
        else:
            sim = sim_fn(a.weights, pair)
    except (WeightsError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if a.out:
        np.save(a.out, sim.astype(np.float32))
    rep = {"impl": name, "shape": list(sim.shape)}
    rc = 0
    if a.expect:
        exp = np.load(a.expect)
        if exp.shape != sim.shape:
            print(f"error: {a.expect}: shape {list(exp.shape)}, ours {list(sim.shape)}", file=sys.stderr)
            return 2
        rep["max_abs_diff"] = float(np.abs(sim - exp.astype(np.float64)).max())
        rep["tol"] = a.tol
        rc = 0 if rep["max_abs_diff"] <= a.tol else 1
    print(json.dumps(rep))
    return rc


if __name__ == "__main__":
    sys.exit(main())
