"""Reference watershed for `deno task bench:match`: scikit-image's watershed on the same edge levels and seeds.

    python3 watershed_skimage.py LEVELS.npy MARKERS.npy OURS.npy REPEATS

Times REPEATS runs (after one untimed) inside Python, and prints one JSON line: the times (ms), the share of
pixels whose label equals ours, and the scikit-image version. Needs python3-skimage (Debian). Used by
lib/bench/skimage.ts.
"""
import json, sys, time
import numpy as np
from skimage.segmentation import watershed
levels = np.load(sys.argv[1]); markers = np.load(sys.argv[2]); ours = np.load(sys.argv[3]); reps = int(sys.argv[4])
img = levels.astype(np.float64)
out = watershed(img, markers, connectivity=2)
times = []
for _ in range(reps):
    t = time.perf_counter(); out = watershed(img, markers, connectivity=2); times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"times": times, "agreement": float((out == ours).mean()),
                  "version": __import__("skimage").__version__}))
