#!/usr/bin/env python3
"""Converts ImageNet ViT weights saved as .safetensors by timm (`blocks.0.attn.qkv.weight`, ...) or from a
torchvision `VisionTransformer` state dict (`encoder.layers.encoder_layer_0.self_attention.in_proj_weight`,
...; save it with `safetensors.torch.save_file(vit.state_dict(), "vit.safetensors")`) into a mangamatch
`.safetensors` export (lib/model/WEIGHTS.md), which `deno task train --init DIR` and `loadWeights` read.
numpy only.

    python3 lib/model/reference/convert_vit.py vit_b_16.safetensors models/vit-b16-imagenet [--heads 12]

The class token, its position-embedding row and the classification head are dropped (the model has patch
tokens only); the result is a model with `mtLayers: 0` at the weights' own input size (224 for a 14x14 grid),
whose position embeddings `--init` resizes bicubically. Heads cannot be read from the weights: `--heads`
(default dim / 64, as ViT-S/B/L/H). Prints one JSON line.
"""
import argparse
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mangamatch_numpy as ref  # noqa: E402

DROP = re.compile(r"^(cls_token|class_token|head\.|heads\.|fc_norm\.|dist_token|head_dist\.)")
TORCHVISION = [
    (r"^conv_proj\.", "patch_embed.proj."),
    (r"^encoder\.pos_embedding$", "pos_embed"),
    (r"^encoder\.ln\.", "norm."),
    (r"^encoder\.layers\.encoder_layer_(\d+)\.ln_1\.", r"blocks.\1.norm1."),
    (r"^encoder\.layers\.encoder_layer_(\d+)\.ln_2\.", r"blocks.\1.norm2."),
    (r"^encoder\.layers\.encoder_layer_(\d+)\.self_attention\.in_proj_(weight|bias)$", r"blocks.\1.attn.qkv.\2"),
    (r"^encoder\.layers\.encoder_layer_(\d+)\.self_attention\.out_proj\.", r"blocks.\1.attn.proj."),
    (r"^encoder\.layers\.encoder_layer_(\d+)\.mlp\.(0|linear_1)\.", r"blocks.\1.mlp.fc1."),
    (r"^encoder\.layers\.encoder_layer_(\d+)\.mlp\.(3|linear_2)\.", r"blocks.\1.mlp.fc2."),
]


def convert(tensors, heads=None):
    """{source name: ndarray} -> (config, {mangamatch torch name: ndarray})."""
    out = {}
    for name, v in tensors.items():
        if DROP.match(name):
            continue
        for pat, rep in TORCHVISION:
            if re.match(pat, name):
                name = re.sub(pat, rep, name)
                break
        out[name] = v
    w = out["patch_embed.proj.weight"]
    dim, channels, patch = w.shape[0], w.shape[1], w.shape[2]
    pos = out["pos_embed"].reshape(1, -1, dim)
    g = int(round((pos.shape[1]) ** 0.5))
    if g * g != pos.shape[1]:  # a class-token row first
        pos = pos[:, 1:]
        g = int(round(pos.shape[1] ** 0.5))
    out["pos_embed"] = pos
    layers = len({k.split(".")[1] for k in out if k.startswith("blocks.")})
    config = {"preset": "imagenet-vit", "inputSize": g * patch, "patch": patch, "channels": channels, "dim": dim,
              "heads": heads or dim // 64, "vitLayers": layers, "mtLayers": 0,
              "mlpRatio": out["blocks.0.mlp.fc1.weight"].shape[0] // dim, "lnEps": 1e-6,
              "finalNorm": "norm.weight" in out, "initStd": 0.02}
    return config, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", help="timm or torchvision ViT weights, .safetensors")
    ap.add_argument("out", help="output folder (model.safetensors + config.json)")
    ap.add_argument("--heads", type=int, help="attention heads (default dim / 64)")
    ap.add_argument("--force", action="store_true", help="overwrite an existing model.safetensors")
    a = ap.parse_args(argv)
    target = os.path.join(a.out, "model.safetensors")
    if os.path.exists(target) and not a.force:
        print(f"error: {target}: already exists; pass --force to overwrite it", file=sys.stderr)
        return 2
    try:
        tensors, _ = ref.read_safetensors(a.src)
        config, out = convert(tensors, a.heads)
    except (ref.WeightsError, KeyError, ValueError, OSError) as e:
        print(f"error: {a.src}: not ViT weights this converter knows ({e})", file=sys.stderr)
        return 2
    want = ref.expected_shapes(config)
    missing = [k for k in want if k not in out]
    if missing:
        print(f"error: {a.src}: tensor {missing[0]} missing (not a timm/torchvision ViT?)", file=sys.stderr)
        return 2
    extra = sorted(set(out) - set(want))
    if extra:
        print(f"error: {a.src}: unexpected tensor {extra[0]} (not a timm/torchvision ViT?)", file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    ordered = {k: out[k] for k in want}
    meta = {"format": "pt", "mangamatch.format": "mangamatch/patch-similarity", "mangamatch.layout": "torch",
            "mangamatch.config": json.dumps(config), "mangamatch.training": json.dumps({"convertedFrom": os.path.basename(a.src)})}
    ref.write_safetensors(target, ordered, meta)
    ref.load(target)  # verify names and shapes
    with open(target, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    side = {"format": "mangamatch/patch-similarity", "formatVersion": 1, "weights": "model.safetensors",
            "layout": "torch", "modelConfig": config, "weightsSha256": sha}
    tmp = os.path.join(a.out, "config.json.tmp")
    with open(tmp, "w") as f:
        json.dump(side, f, indent=2)
    os.replace(tmp, os.path.join(a.out, "config.json"))
    print(json.dumps({"wrote": target, "tensors": len(ordered), "config": config}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
