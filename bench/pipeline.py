#!/usr/bin/env python3
"""The lean-pipeline benchmark: the whole `clusterscope-cli run` (load, prepare, k-means, metrics,
labels, record) against scikit-learn's load-and-fit of the same file, side by side in one run.
Writes one JSON object: wall seconds and peak resident memory of each, the float32 matrix's size,
and the ratios the architecture issue targets (time <= 0.5x, memory <= 2.5x the matrix).

Usage: /usr/bin/python3 bench/pipeline.py CLI [--repeat 3] > pipeline.json
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

DATA = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"

SKLEARN = r"""
import gzip, sys, time, resource
import numpy as np
from sklearn.cluster import KMeans
t0 = time.perf_counter()
with gzip.open(sys.argv[1], "rb") as f:
    raw = f.read()
n, h, w = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
x = np.frombuffer(raw, np.uint8, offset=16).reshape(n, h * w).astype(np.float32)
KMeans(n_clusters=10, n_init=1, algorithm="elkan", random_state=0).fit(x)
print(time.perf_counter() - t0)
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with gzip.open(DATA, "rb") as f:
        header = f.read(16)
    n, h, w = (int.from_bytes(header[i:i + 4], "big") for i in (4, 8, 12))
    matrix_mb = n * h * w * 4 / 2**20
    out = tempfile.mkdtemp()
    ours = [
        [args.cli, "run", "--data", DATA, "--method", "kmeans", "--k", "10", "--n-init", "1",
         "--out", os.path.join(out, "labels.csv"), "--quiet"]
        for _ in range(args.repeat)
    ]
    peer = [["/usr/bin/python3", "-c", SKLEARN, DATA] for _ in range(args.repeat)]
    # Peak RSS of children is a running maximum, so each side is measured in its own process.
    def side(commands):
        script = ("import json,sys,subprocess,time,resource\n"
                  "r=[]\n"
                  "for c in json.loads(sys.argv[1]):\n"
                  "  t=time.perf_counter(); subprocess.run(c,check=True,stdout=subprocess.DEVNULL,"
                  "stderr=subprocess.DEVNULL); r.append(time.perf_counter()-t)\n"
                  "print(json.dumps({'seconds':r,'peak_mb':resource.getrusage("
                  "resource.RUSAGE_CHILDREN).ru_maxrss/1024}))")
        res = subprocess.run([sys.executable, "-c", script, json.dumps(commands)], check=True,
                             capture_output=True, text=True)
        return json.loads(res.stdout)
    ours_r = side(ours)
    peer_r = side(peer)
    with open(os.path.join(out, "labels.run.json")) as f:
        record = json.load(f)
    best = lambda r: min(r["seconds"])
    json.dump({
        "benchmark": "pipeline",
        "data": DATA,
        "rows": n, "features": h * w, "matrix_mb": matrix_mb,
        "clusterscope": {**ours_r, "timings": record["timings"],
                         "environment": record["environment"]},
        "sklearn_load_and_fit": peer_r,
        "time_ratio_best": best(ours_r) / best(peer_r),
        "memory_ratio_to_matrix": ours_r["peak_mb"] / matrix_mb,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
