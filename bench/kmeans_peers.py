#!/usr/bin/python3
"""Runs the peers of ClusterScope's k-means benchmark: scikit-learn (Lloyd and Elkan) and Faiss.

Both sides read the same data: `--data fashion` loads the Fashion-MNIST IDX files (70k x 784),
`--data blobs` makes 1M x 32 Gaussian blobs with a fixed seed and saves them as .npy so that
clusterscope-cli can read the very same matrix. Prints one JSON object per run.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

FASHION = "/usr/share/datasets/fashion-mnist"


def load_idx_images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols)


def fashion():
    parts = [load_idx_images(os.path.join(FASHION, f"{p}-images-idx3-ubyte.gz")) for p in ("train", "t10k")]
    return np.concatenate(parts).astype(np.float32)


def fashion_labels():
    parts = []
    for p in ("train", "t10k"):
        with gzip.open(os.path.join(FASHION, f"{p}-labels-idx1-ubyte.gz"), "rb") as f:
            parts.append(np.frombuffer(f.read(), dtype=np.uint8, offset=8))
    return np.concatenate(parts).astype(np.int64)


def blobs(path, n=1_000_000, d=32, centers=64, seed=0):
    if os.path.exists(path):
        return np.load(path)
    rng = np.random.default_rng(seed)
    means = rng.uniform(-10, 10, size=(centers, d)).astype(np.float32)
    which = rng.integers(0, centers, size=n)
    x = means[which] + rng.standard_normal((n, d), dtype=np.float32)
    np.save(path, x)
    return x


def run_sklearn(x, k, iters, algorithm, seed):
    from sklearn.cluster import KMeans
    km = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=iters, tol=0.0,
                algorithm=algorithm, random_state=seed)
    t = time.perf_counter()
    km.fit(x)
    return {"peer": f"sklearn-{algorithm}", "seconds": time.perf_counter() - t,
            "iterations": int(km.n_iter_), "inertia": float(km.inertia_)}


def run_faiss(x, k, iters, seed):
    import faiss
    km = faiss.Kmeans(x.shape[1], k, niter=iters, seed=seed, max_points_per_centroid=10**9,
                      verbose=False)
    t = time.perf_counter()
    km.train(x)
    seconds = time.perf_counter() - t
    dist, _ = km.index.search(x, 1)
    return {"peer": "faiss", "seconds": seconds, "iterations": iters,
            "inertia": float(dist.astype(np.float64).sum())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", choices=["fashion", "blobs"], required=True)
    ap.add_argument("--blobs-path", default="/tmp/clusterscope-blobs-1m-32.npy")
    ap.add_argument("--k", type=int, required=True)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--peers", default="sklearn-lloyd,sklearn-elkan,faiss")
    args = ap.parse_args()
    x = fashion() if args.data == "fashion" else blobs(args.blobs_path)
    import faiss
    faiss.omp_set_num_threads(args.threads)
    with threadpool_limits(limits=args.threads):
        for seed in range(args.seeds):
            for peer in args.peers.split(","):
                if peer == "faiss":
                    r = run_faiss(x, args.k, args.iterations, seed)
                else:
                    r = run_sklearn(x, args.k, args.iterations, peer.split("-")[1], seed)
                r.update(data=args.data, n=x.shape[0], d=x.shape[1], k=args.k, seed=seed,
                         threads=args.threads)
                print(json.dumps(r), flush=True)


if __name__ == "__main__":
    sys.exit(main())
