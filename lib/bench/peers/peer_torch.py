"""Peer for the training benchmark: the same patch transformer in PyTorch on the CPU.

Set-up (Debian's build of PyTorch 1.13; the machine's other python has no torch):
    apt-get install -y python3-torch
Run with Debian's python, 2 threads, OpenBLAS variables unset for this command alone:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 peer_torch.py D BATCH L M THREADS [infer|train] [WARMUP] [REPS]
With `infer` it times the forward pass alone (no_grad) instead: the inference peer. WARMUP untimed steps (default
1) come before REPS timed ones (default 5). The project's benchmarks (lib/bench/peer.ts) run it from here.
Model: 256x256 grayscale, 16x16 patches (N=256 tokens per image), width D, 4 heads, MLP ratio 4, GELU,
pre-norm blocks; L ViT layers on each image, then M Multiplex layers (a self block, then a cross block with
shared weights for both directions); L2-normalised features, cosine/0.07 over the 2N tokens, row softmax.
It times forward + backward + AdamW and prints pairs/s. Run the project's benchmark with the same shape in
the same command, so the two figures share the machine's current speed: quote their ratio, not either alone.
"""
import sys, time, torch, torch.nn as nn, torch.nn.functional as F

d = int(sys.argv[1]) if len(sys.argv) > 1 else 128
B = int(sys.argv[2]) if len(sys.argv) > 2 else 4
L = int(sys.argv[3]) if len(sys.argv) > 3 else 4
M = int(sys.argv[4]) if len(sys.argv) > 4 else 2
torch.set_num_threads(int(sys.argv[5]) if len(sys.argv) > 5 else 2)
N, H, P = 256, 4, 16 * 16

class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.n1, s.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        s.q, s.kv, s.o = nn.Linear(d, d), nn.Linear(d, 2 * d), nn.Linear(d, d)
        s.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
    def forward(s, x, ctx=None):
        h = s.n1(x); c = h if ctx is None else s.n1(ctx)
        b, n, _ = x.shape
        q = s.q(h).view(b, n, H, -1).transpose(1, 2)
        k, v = s.kv(c).view(b, n, 2, H, -1).permute(2, 0, 3, 1, 4)
        a = torch.softmax(q @ k.transpose(-1, -2) / (d // H) ** 0.5, -1)
        x = x + s.o((a @ v).transpose(1, 2).reshape(b, n, d))
        return x + s.mlp(s.n2(x))

class Model(nn.Module):
    def __init__(s):
        super().__init__(); s.emb = nn.Linear(P, d); s.pos = nn.Parameter(torch.zeros(1, N, d))
        s.vit = nn.ModuleList(Block() for _ in range(L))
        s.selfb = nn.ModuleList(Block() for _ in range(M)); s.cross = nn.ModuleList(Block() for _ in range(M))
    def forward(s, a, b):
        a, b = s.emb(a) + s.pos, s.emb(b) + s.pos
        for blk in s.vit: a, b = blk(a), blk(b)
        for sb, cb in zip(s.selfb, s.cross):
            a, b = sb(a), sb(b); a, b = cb(a, b), cb(b, a)
        f = F.normalize(torch.cat([a, b], 1), dim=-1)
        return torch.softmax(f @ f.transpose(-1, -2) / 0.07, -1)

m = Model(); opt = torch.optim.AdamW(m.parameters(), 1e-4)
xa, xb = torch.randn(B, N, P), torch.randn(B, N, P)
infer = len(sys.argv) > 6 and sys.argv[6] == "infer"
def step():
    if infer:
        with torch.no_grad(): m(xa, xb)
        return
    opt.zero_grad(); loss = -m(xa, xb).mean(); loss.backward(); opt.step()
W = int(sys.argv[7]) if len(sys.argv) > 7 else 1
R = int(sys.argv[8]) if len(sys.argv) > 8 else 5
for _ in range(W): step()
t0 = time.perf_counter()
for _ in range(R): step()
s = (time.perf_counter() - t0) / R
mode = "infer" if infer else "train"
print(f"torch {mode} d={d} B={B} L={L} M={M} s/step={s:.3f} pairs/s={B / s:.2f} threads={torch.get_num_threads()}")
