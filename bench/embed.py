#!/usr/bin/env python3
"""UMAP benchmark: `clusterscope-cli embed --method umap` against umap-learn on the same rows,
side by side in one run. Each side runs in its own process; umap-learn's numba JIT is warmed up
on a small fit first and not counted (the embeddings issue's rule). Both are seeded, which makes
umap-learn's SGD single-threaded, as its docs say. Quality is measured the same way for both:
trustworthiness and 15-NN preservation, euclidean, on the same 1000 seeded query rows against
all rows (the estimator of metrics/embedding_quality.h).

Writes one JSON object with wall and CPU seconds, the two quality numbers per side, and the
time ratio (the issue's target: ours <= 0.5x umap-learn's on Fashion-MNIST 70k).

Usage: /usr/bin/python3 bench/embed.py CLI [--data t10k|train|all] [--knn auto|exact|hnsw] > out.json
(all: the 70k rows of train and t10k, the issue's case)
"""
import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

FASHION = "/usr/share/datasets/fashion-mnist"
# Each choice: what the CLI reads (a file, or the folder: train and t10k, 70k rows) and the
# image files the peer reads, in the same order.
FILES = {
    "t10k": (FASHION + "/t10k-images-idx3-ubyte.gz", ["t10k"]),
    "train": (FASHION + "/train-images-idx3-ubyte.gz", ["train"]),
    "all": (FASHION, ["train", "t10k"]),
}

PEER = r"""
import gzip, json, sys, time, resource
import numpy as np
import umap
parts = []
for path in sys.argv[2:]:
    with gzip.open(path, "rb") as f:
        raw = f.read()
    n, h, w = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    parts.append(np.frombuffer(raw, np.uint8, offset=16).reshape(n, h * w).astype(np.float32))
x = np.vstack(parts)
umap.UMAP(random_state=0, n_epochs=5).fit_transform(x[:500])  # numba's JIT, not counted
c0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
y = umap.UMAP(random_state=0).fit_transform(x)
wall = time.perf_counter() - t0
c1 = resource.getrusage(resource.RUSAGE_SELF)
np.save(sys.argv[1], y.astype(np.float32))
print(json.dumps({"wall_seconds": wall,
                  "cpu_seconds": c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime}))
"""


def load(paths):
    parts = []
    for path in paths:
        with gzip.open(path, "rb") as f:
            raw = f.read()
        n, h, w = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
        parts.append(np.frombuffer(raw, np.uint8, offset=16).reshape(n, h * w))
    return np.vstack(parts).astype(np.float64)


def quality(x, y, k=15, sample=1000, seed=0):
    """Trustworthiness (scikit-learn's definition) and k-NN preservation on sampled queries."""
    n = len(x)
    rows = np.sort(np.random.default_rng(seed).choice(n, size=min(sample, n), replace=False))
    x_sq = (x * x).sum(1)
    y = y.astype(np.float64)
    y_sq = (y * y).sum(1)
    penalty = kept = 0.0
    for i in rows:
        d_in = x_sq + x_sq[i] - 2 * x @ x[i]
        d_out = y_sq + y_sq[i] - 2 * y @ y[i]
        d_in[i] = d_out[i] = np.inf
        near_in = set(np.argpartition(d_in, k)[:k])
        for j in np.argpartition(d_out, k)[:k]:
            if j in near_in:
                kept += 1
            else:
                penalty += max(0, (d_in < d_in[j]).sum() + 1 - k)
    q = len(rows)
    trust = 1 - penalty * 2.0 / (q * k * (2.0 * n - 3.0 * k - 1.0))
    return {"trustworthiness": trust, "knn_preserved": kept / (q * k)}


def timed(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return out, wall, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--data", choices=FILES, default="t10k")
    parser.add_argument("--knn", choices=["auto", "exact", "hnsw"], default="auto")
    args = parser.parse_args()
    path, parts = FILES[args.data]
    images = [FASHION + "/" + p + "-images-idx3-ubyte.gz" for p in parts]
    tmp = tempfile.mkdtemp()
    ours_path, peer_path = os.path.join(tmp, "ours.npy"), os.path.join(tmp, "peer.npy")

    command = [args.cli, "embed", "--data", path, "--method", "umap", "--knn", args.knn,
               "--out", ours_path, "--quality-sample", "0", "--quiet"]
    load_before = os.getloadavg()
    _, ours_wall, ours_cpu = timed(command)
    record = json.load(open(os.path.join(tmp, "ours.run.json")))
    peer_out, _, _ = timed(["/usr/bin/python3", "-c", PEER, peer_path, *images])
    peer = json.loads(peer_out.strip().splitlines()[-1])

    x = load(images) / 255.0
    result = {
        "data": path,
        "rows": len(x),
        "cpus": os.cpu_count(),
        "cpu_model": record["environment"]["cpu"],
        "command": " ".join(command),
        # Other work on the machine slows both sides; this says how busy it was.
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "ours": {"wall_seconds": ours_wall, "cpu_seconds": ours_cpu,
                 "run_seconds": record["timings"]["run_seconds"],
                 **quality(x, np.load(ours_path))},
        "umap_learn": {**peer, **quality(x, np.load(peer_path))},
    }
    result["time_ratio_wall"] = ours_wall / peer["wall_seconds"]
    result["time_ratio_cpu"] = ours_cpu / peer["cpu_seconds"]
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
