#!/bin/sh
# WebGPU speed on a GPU machine with nothing installed (no node, deno or npm; no network; root), from files
# carried with the checkout. Run from anywhere:  sh lib/bench/gpu.sh
#
# Carried (prepare them once on a machine with the project set up: sh lib/bench/gpu.sh --pack):
#   .gpu/deno.xz                the Deno binary (x86-64 glibc), xz-compressed
#   .gpu/node_modules.tar.xz    the node_modules/ files Deno loads for train, generate and bench:train
#   .gl/*.deb                   Debian's Vulkan/GL loaders (libvulkan1, libglvnd...), unpacked only when the
#                               machine has no libvulkan.so.1
# Both folders are ignored through .git/info/exclude, never committed.
#
# Steps, each under its own time limit so that the whole run ends inside ten minutes:
#   1. set up the loaders, Deno (into $MM_WORK) and node_modules/ (into the checkout)
#   2. bench:train --backend webgpu --preset small   (pairs/s, GFLOP/s; batch 8)
#   3. bench:train --backend webgpu --preset paper   (batch 4)
#   4. the GPU-time profile of one paper training step (batch 1) by shader program (lib/bench/webgpu_profile.ts)
#   5. generate 24 clean 512x512 pairs, then a short paper training run (train --preset paper, 8 steps at
#      batch 2) that writes its checkpoint and weights
# Results: $OUT (or out/gpu/) gets gpu_results.json (every step's JSON, the checkpoint's files with sizes and
# sha256) and one log per step.
#
# Environment: OUT (results folder), MM_WORK (scratch, default /tmp/mangamatch-gpu), MM_GPU_QUICK=1 (tiny
# settings, to check the script end to end on a software adapter; sets MANGAMATCH_WEBGPU_SOFTWARE=1).
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
CARRY=$ROOT/.gpu

if [ "${1:-}" = "--pack" ]; then
  # Prepare the carried files here (needs Deno from npm and the project's node_modules already installed).
  set -e
  mkdir -p "$CARRY"
  DENO_BIN=${DENO_BIN:-$(find /root/.npm/_npx -path '*linux-x64-glibc/deno' 2>/dev/null | head -1)}
  [ -x "$DENO_BIN" ] || { echo "gpu.sh --pack: no Deno binary (set DENO_BIN)" >&2; exit 2; }
  [ -f "$CARRY/deno.xz" ] || xz -T0 -9e -c "$DENO_BIN" >"$CARRY/deno.xz"
  sh "$ROOT/lib/bench/gpu_pack_modules.sh" "$CARRY/node_modules.tar.xz"
  ls -la "$CARRY"
  exit 0
fi

RES=${OUT:-$ROOT/out/gpu}
WORK=${MM_WORK:-/tmp/mangamatch-gpu}
QUICK=${MM_GPU_QUICK:-0}
mkdir -p "$RES" "$WORK"
T0=$(date +%s)
log() { echo "[gpu.sh +$(($(date +%s) - T0))s] $*" | tee -a "$RES/gpu.log" >&2; }

# --- 1. set-up ------------------------------------------------------------------------------------------------
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
  if ls "$ROOT"/.gl/*.deb >/dev/null 2>&1; then
    for f in "$ROOT"/.gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
    log "Vulkan loader unpacked from .gl/"
  else
    log "no libvulkan.so.1 and no .gl/*.deb: WebGPU will find no adapter"
  fi
fi
NV=/usr/local/nvidia/share
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f $NV/vulkan/icd.d/nvidia_icd.json ] &&
  ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
  export VK_DRIVER_FILES=$NV/vulkan/icd.d/nvidia_icd.json
  export __EGL_VENDOR_LIBRARY_FILENAMES=$NV/glvnd/egl_vendor.d/10_nvidia.json
  log "Vulkan driver: $VK_DRIVER_FILES"
fi
unxz_to() { # file.xz -> stdout, with xz or Python's lzma
  if command -v xz >/dev/null 2>&1; then xz -dc "$1"; else
    python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"
  fi
}
DENO=$WORK/deno
if [ ! -x "$DENO" ]; then
  if command -v deno >/dev/null 2>&1; then DENO=$(command -v deno); else
    unxz_to "$CARRY/deno.xz" >"$DENO.part" && chmod +x "$DENO.part" && mv "$DENO.part" "$DENO" ||
      { log "cannot unpack $CARRY/deno.xz"; exit 2; }
  fi
fi
if [ ! -d "$ROOT/node_modules/.deno" ]; then
  unxz_to "$CARRY/node_modules.tar.xz" | tar xf - -C "$ROOT" || { log "cannot unpack node_modules"; exit 2; }
fi
export DENO_DIR=$WORK/deno_dir DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 NO_COLOR=1
RUN="$DENO run -A --cached-only"
log "deno $($DENO --version | head -1 | cut -d' ' -f2), $(nproc) CPUs; $(nvidia-smi -L 2>/dev/null | head -1)"

if [ "$QUICK" = 1 ]; then
  export MANGAMATCH_WEBGPU_SOFTWARE=1
  SMALL="--batch 1 --steps 1 --infer-steps 1"
  PAPER="--batch 1 --steps 1 --infer-steps 1"
  PROF="--preset small --batch 1"
  GEN="--pairs 6 --size 128 --frames 8"
  TRAIN="--preset small --model {\"inputSize\":128,\"dim\":32,\"vitLayers\":1,\"mtLayers\":1} --steps 2 --batch 1 --val-pairs 2 --ckpt-every 2"
  PAPER_PRESET=small
  LIMITS="300 300 300 120 300"
else
  SMALL="--batch 8 --steps 5 --infer-steps 10"
  PAPER="--batch 4 --steps 2 --infer-steps 2"
  PROF="--preset paper --batch 1"
  GEN="--pairs 24 --size 512"
  # lr 1e-4 with a 25% warm-up: at the small preset's 5e-4 (and a 1-step warm-up) ViT-B from scratch collapsed
  # to constant features after one step on the H200 (loss ln(65) = 4.174, gradient norm ~1e-3).
  TRAIN="--preset paper --steps 8 --batch 2 --lr 1e-4 --warmup 0.25 --val-pairs 4 --ckpt-every 8"
  PAPER_PRESET=paper
  # Limits from the H200 runs: small took 17 s; a paper bench round ~55 s (it runs two); the timed profile
  # step submits and reads a timestamp per dispatch (slow); the training run took 92 s.
  LIMITS="30 200 120 20 130"
fi
lim() { echo "$LIMITS" | cut -d' ' -f"$1"; }

# step NAME LIMIT CMD...: runs CMD under a time limit, output to $RES/NAME.log; prints the last JSON line.
step() {
  name=$1 limit=$2
  shift 2
  log "$name: $*"
  timeout -k 5 "$limit" "$@" >"$RES/$name.log" 2>&1
  rc=$?
  [ $rc -eq 124 ] && log "$name: stopped at its ${limit}s limit"
  [ $rc -ne 0 ] && [ $rc -ne 124 ] && log "$name: exit $rc: $(tail -1 "$RES/$name.log")"
  last=$(grep '^{' "$RES/$name.log" | tail -1)
  log "$name: done (exit $rc)"
  echo "{\"exit\":$rc,\"limit_s\":$limit,\"result\":${last:-null}}"
}

# --- 2-4. benchmarks and profile -------------------------------------------------------------------------------
R_SMALL=$(step bench_small "$(lim 1)" $RUN lib/cli/bench_train.ts --backend webgpu --preset small $SMALL --peer no)
R_PAPER=$(step bench_paper "$(lim 2)" $RUN lib/cli/bench_train.ts --backend webgpu --preset $PAPER_PRESET $PAPER --peer no)
R_PROF=$(step profile "$(lim 3)" $RUN lib/bench/webgpu_profile.ts $PROF)

# --- 5. a short paper training run ------------------------------------------------------------------------------
DATA=$WORK/data RUNDIR=$WORK/run-$PAPER_PRESET
R_GEN=$(step generate "$(lim 4)" $RUN lib/cli/generate.ts --out "$DATA" --style clean --seed 1 $GEN --force)
# shellcheck disable=SC2086
R_TRAIN=$(step train "$(lim 5)" $RUN lib/cli/train.ts --data "$DATA" --out "$RUNDIR" $TRAIN \
  --backend webgpu --force)
FILES=$(cd "$RUNDIR" 2>/dev/null && find . -type f | sort | while read -r f; do
  printf '{"file":"%s","bytes":%s,"sha256":"%s"},' "$f" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -c1-64)"
done)
LAST=$(grep '"loss"' "$RUNDIR/log.jsonl" 2>/dev/null | tail -1)
cp "$RUNDIR/log.jsonl" "$RES/train_log.jsonl" 2>/dev/null

cat >"$RES/gpu_results.json" <<EOF
{"script":"lib/bench/gpu.sh","quick":$QUICK,"seconds":$(($(date +%s) - T0)),
"gpu":"$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)",
"bench_small":$R_SMALL,
"bench_paper":$R_PAPER,
"profile":$R_PROF,
"generate":$R_GEN,
"train":$R_TRAIN,
"train_last_step":${LAST:-null},
"train_files":[${FILES%,}]}
EOF
log "results in $RES/gpu_results.json"
