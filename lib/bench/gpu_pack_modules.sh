#!/bin/sh
# Packs the part of node_modules/ that lib/bench/gpu.sh's commands load (train, generate, bench:train,
# webgpu_profile) into one .tar.xz, small enough to travel with the checkout (the whole node_modules/ is 140 MB,
# 22 MB as xz; this is a few MB). Usage: sh lib/bench/gpu_pack_modules.sh OUT.tar.xz [TRACE]
#
# What goes in:
# - Deno's bookkeeping, so that `deno run --cached-only` accepts the folder as installed: node_modules/.deno's
#   lock and setup cache, every package's `.initialized` marker and package.json, the top-level links;
# - the files the commands opened, listed in lib/bench/gpu_modules.txt (made from an strace of
#   `MM_GPU_QUICK=1 sh lib/bench/gpu.sh`; with a TRACE argument the list is remade from that strace output).
set -eu
cd "$(dirname "$0")/../.."
out=$1
list=lib/bench/gpu_modules.txt
if [ $# -ge 2 ]; then
  grep -o '"[^"]*/node_modules/[^"]*"' "$2" | tr -d '"' | sort -u | while read -r p; do
    if [ -f "$p" ]; then realpath --relative-to="$(pwd)" "$p"; fi # dlopen paths hold "..": resolve them
  done | grep '^node_modules/' | sort -u >"$list"
fi
tmp=$(mktemp)
{
  cat "$list"
  find node_modules -maxdepth 2 -type l
  find node_modules/.deno -maxdepth 1 -type f
  find node_modules/.deno -mindepth 2 -maxdepth 2 -name .initialized
  find node_modules/.deno -name package.json -path '*/node_modules/*' -not -path '*/node_modules/*/node_modules/*/node_modules/*'
  find node_modules/.deno -mindepth 3 -maxdepth 4 -type l
} | sort -u >"$tmp"
tar cf - --no-recursion -T "$tmp" | xz -T0 -9 >"$out.part"
mv "$out.part" "$out"
echo "$(wc -l <"$tmp") paths -> $out ($(stat -c %s "$out") bytes)"
rm -f "$tmp"
