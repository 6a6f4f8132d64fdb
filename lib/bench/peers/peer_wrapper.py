"""Runs a peer script with its arguments and reports the CPU time of its timed loop.

    python3 peer_wrapper.py SCRIPT ARGS...

It records CPU time (time.process_time) at each of the peer's time.perf_counter calls: the last two bracket its
timed loop, printed as `peer_timed_loop wall=... cpu=...` after the peer's own output. torch is imported first
so that import-time calls come before. Used by lib/bench/peer.ts.
"""
import sys, time, runpy
import torch  # noqa: F401  (imported before the marks start)

script = sys.argv[1]
sys.argv = sys.argv[1:]
_pc = time.perf_counter
marks = []


def pc():
    w = _pc()
    marks.append((w, time.process_time()))
    return w


time.perf_counter = pc
runpy.run_path(script, run_name="__main__")
if len(marks) >= 2:
    (w0, c0), (w1, c1) = marks[-2], marks[-1]
    print("peer_timed_loop wall=%.6f cpu=%.6f" % (w1 - w0, c1 - c0))
