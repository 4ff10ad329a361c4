#!/usr/bin/python3
"""t-SNE benchmark for issue #15: clusterscope-cli embed --method tsne against scikit-learn
1.2's TSNE (Barnes-Hut, the defaults, init="pca", random_state=0) on Fashion-MNIST t10k (10,000 x
784, scaled to [0, 1]), both on the same number of threads. Reports wall and CPU seconds (the
machine may be shared: CPU time is the fairer comparison then), the final KL divergence, and the
trustworthiness (k = 15) of both maps on the same fixed 2,000-row subset.

Run from the repository root after building clusterscope-cli:
  bench/tsne.py [--threads 2] [--out bench/results/tsne-DATE.json]
"""
import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(__file__))
from kmeans_peers import FASHION, load_idx_images  # noqa: E402


def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cli", default="build/release/app/cli/clusterscope-cli")
    ap.add_argument("--work", default="build/bench/tsne")
    ap.add_argument("--out", default="bench/results/tsne-%s.json" % datetime.date.today())
    ap.add_argument("--skip-sklearn", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    x = load_idx_images(os.path.join(FASHION, "t10k-images-idx3-ubyte.gz")).astype(np.float32) / 255
    data = os.path.join(args.work, "fashion10k.npy")
    np.save(data, x)
    results = {"data": "fashion-mnist t10k / 255", "n": x.shape[0], "d": x.shape[1],
               "threads": args.threads, "load_average": os.getloadavg()}

    coords = os.path.join(args.work, "coords.npy")
    record = os.path.join(args.work, "coords.run.json")
    t, c = time.perf_counter(), cpu(resource.RUSAGE_CHILDREN)
    subprocess.run([args.cli, "embed", "--data", data, "--method", "tsne", "--seed", "0",
                    "--blas-threads", str(args.threads), "--quality-sample", "0", "--quiet",
                    "--out", coords, "--record", record], check=True)
    ours = {"wall_seconds": time.perf_counter() - t,
            "cpu_seconds": cpu(resource.RUSAGE_CHILDREN) - c}
    with open(record) as f:
        rec = json.load(f)
    ours["run_seconds"] = rec.get("timings", {}).get("run_seconds")
    ours["kl_divergence"] = rec.get("stats", {}).get("kl_divergence")
    ours["record"] = {k: rec[k] for k in ("stats", "timings") if k in rec}
    y_ours = np.load(coords)
    results["clusterscope"] = ours

    from sklearn.manifold import TSNE, trustworthiness
    subset = np.random.default_rng(0).choice(x.shape[0], 2000, replace=False)
    ours["trustworthiness_2000"] = trustworthiness(x[subset], y_ours[subset], n_neighbors=15)
    if not args.skip_sklearn:
        with threadpool_limits(limits=args.threads):
            t, c = time.perf_counter(), cpu(resource.RUSAGE_SELF)
            tsne = TSNE(init="pca", learning_rate="auto", random_state=0, n_jobs=args.threads)
            y = tsne.fit_transform(x)
            sk = {"wall_seconds": time.perf_counter() - t,
                  "cpu_seconds": cpu(resource.RUSAGE_SELF) - c,
                  "kl_divergence": float(tsne.kl_divergence_), "iterations": int(tsne.n_iter_)}
        sk["trustworthiness_2000"] = trustworthiness(x[subset], y[subset], n_neighbors=15)
        results["sklearn"] = sk
        results["ratio_wall"] = ours["wall_seconds"] / sk["wall_seconds"]
        results["ratio_cpu"] = ours["cpu_seconds"] / sk["cpu_seconds"]
    results["load_average_after"] = os.getloadavg()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
