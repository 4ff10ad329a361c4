#!/usr/bin/python3
"""t-SNE benchmark for issue #15: clusterscope-cli embed --method tsne (one run per --algorithms
entry) against scikit-learn 1.2's TSNE (Barnes-Hut, the defaults, init="pca", random_state=0),
side by side in one run on the same number of threads, on Fashion-MNIST scaled to [0, 1]:
t10k (10,000 x 784) or all 70,000 rows (train then t10k).

Reports, per side, wall and CPU seconds (the machine may be shared: CPU time is the fairer
comparison then), the run's own run_seconds (the engine's time without loading, from the run
record), the final KL divergence, and the trustworthiness (k = 15) of the map on the same fixed
2,000-row subset (scikit-learn's trustworthiness within the subset). Records the load average
before and after; refuses to start while the 1-minute load average is above --max-load (other
jobs on a 2-core machine inflate every time).

scikit-learn is skipped above --sklearn-max-rows (its Barnes-Hut run on 70k takes many minutes
here); the JSON then says so under "sklearn_skipped".

Run from the repository root after building clusterscope-cli:
  bench/tsne.py [--rows 10000|70000] [--algorithms barnes_hut,fft] [--knn exact|hnsw]
                [--threads 2] [--out bench/results/tsne-DATE.json]
An --algorithms entry may carry more flags of the CLI joined by "+", e.g.
"fft+--min-num-intervals+10"; --extra adds flags to every run of ours, written
--extra=--pca+50 (argparse takes a leading -- for a flag otherwise).
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


def run_ours(args, data, variant, knn):
    # A variant is an algorithm, optionally with more CLI flags joined by "+":
    # "fft+--min-num-intervals+10".
    algorithm, *extra = variant.split("+")
    tag = ("%s-%s" % (variant, knn)).replace("+", "").replace("--", "-")
    coords = os.path.join(args.work, "coords-%s.npy" % tag)
    record = os.path.join(args.work, "coords-%s.run.json" % tag)
    cmd = [args.cli, "embed", "--data", data, "--method", "tsne", "--algorithm", algorithm,
           "--knn", knn, "--seed", "0", "--blas-threads", str(args.threads),
           "--quality-sample", "0", "--quiet", "--out", coords, "--record", record] + extra
    t, c = time.perf_counter(), cpu(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True)
    ours = {"command": " ".join(cmd[1:]),
            "wall_seconds": time.perf_counter() - t,
            "cpu_seconds": cpu(resource.RUSAGE_CHILDREN) - c}
    with open(record) as f:
        rec = json.load(f)
    timings = rec.get("timings", {})
    stats = rec.get("stats", {})
    ours["run_seconds"] = timings.get("run_seconds")
    ours["kl_divergence"] = stats.get("kl_divergence")
    ours["knn_recall"] = stats.get("knn_recall")
    ours["stats"] = stats
    ours["timings"] = timings
    ours["warnings"] = rec.get("warnings", [])
    if ours["run_seconds"] is None:
        raise SystemExit("the run record %s has no timings.run_seconds" % record)
    return ours, np.load(coords)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rows", type=int, choices=(10000, 70000), default=10000)
    ap.add_argument("--algorithms", default="barnes_hut,fft")
    ap.add_argument("--knn", default="exact", help="exact|hnsw, or a comma list")
    ap.add_argument("--extra", default="", help='CLI flags for all our runs, "+"-joined')
    ap.add_argument("--sklearn-max-rows", type=int, default=20000)
    ap.add_argument("--skip-sklearn", action="store_true")
    ap.add_argument("--max-load", type=float, default=2.5)
    ap.add_argument("--cli", default="build/release/app/cli/clusterscope-cli")
    ap.add_argument("--work", default="build/bench/tsne")
    ap.add_argument("--out", default="bench/results/tsne-%s.json" % datetime.date.today())
    args = ap.parse_args()
    load = os.getloadavg()
    if load[0] > args.max_load:
        raise SystemExit("load average %.2f is above --max-load %.2f: the machine is busy, "
                         "times would be inflated; try later" % (load[0], args.max_load))
    os.makedirs(args.work, exist_ok=True)
    if args.rows == 10000:
        x = load_idx_images(os.path.join(FASHION, "t10k-images-idx3-ubyte.gz"))
        name = "fashion-mnist t10k / 255"
    else:
        x = np.vstack([load_idx_images(os.path.join(FASHION, "%s-images-idx3-ubyte.gz" % p))
                       for p in ("train", "t10k")])
        name = "fashion-mnist train + t10k (70,000 rows) / 255"
    x = x.astype(np.float32) / 255
    data = os.path.join(args.work, "fashion%d.npy" % len(x))
    np.save(data, x)
    results = {"data": name, "n": x.shape[0], "d": x.shape[1], "threads": args.threads,
               "date": datetime.datetime.utcnow().isoformat(timespec="seconds") + "Z",
               "command": " ".join([sys.argv[0]] + sys.argv[1:]),
               "cpu": open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0]
               .strip(" :\t"),
               "load_average_before": load}
    from sklearn.manifold import TSNE, trustworthiness
    subset = np.random.default_rng(0).choice(x.shape[0], 2000, replace=False)

    ours_all = {}
    for algorithm in args.algorithms.split(","):
        for knn in args.knn.split(","):
            ours, y = run_ours(args, data, algorithm + ("+" + args.extra if args.extra else ""),
                               knn)
            ours["load_average_after"] = os.getloadavg()
            ours["trustworthiness_2000"] = trustworthiness(x[subset], y[subset], n_neighbors=15)
            ours_all["%s/%s" % (algorithm, knn)] = ours
            print("%s/%s: %.1f s wall, %.1f s cpu, T %.4f" % (
                algorithm, knn, ours["wall_seconds"], ours["cpu_seconds"],
                ours["trustworthiness_2000"]), file=sys.stderr)
    results["clusterscope"] = ours_all

    if args.skip_sklearn or x.shape[0] > args.sklearn_max_rows:
        results["sklearn_skipped"] = (
            "--skip-sklearn" if args.skip_sklearn else
            "%d rows > --sklearn-max-rows %d: scikit-learn's Barnes-Hut TSNE takes many minutes "
            "here; compare with its 10k run" % (x.shape[0], args.sklearn_max_rows))
    else:
        with threadpool_limits(limits=args.threads):
            t, c = time.perf_counter(), cpu(resource.RUSAGE_SELF)
            tsne = TSNE(init="pca", learning_rate="auto", random_state=0, n_jobs=args.threads)
            y = tsne.fit_transform(x)
            sk = {"wall_seconds": time.perf_counter() - t,
                  "cpu_seconds": cpu(resource.RUSAGE_SELF) - c,
                  "kl_divergence": float(tsne.kl_divergence_), "iterations": int(tsne.n_iter_)}
        sk["load_average_after"] = os.getloadavg()
        sk["trustworthiness_2000"] = trustworthiness(x[subset], y[subset], n_neighbors=15)
        results["sklearn"] = sk
        for key, ours in ours_all.items():
            ours["ratio_wall"] = ours["wall_seconds"] / sk["wall_seconds"]
            ours["ratio_cpu"] = ours["cpu_seconds"] / sk["cpu_seconds"]
            ours["trustworthiness_minus_sklearn"] = (ours["trustworthiness_2000"] -
                                                     sk["trustworthiness_2000"])
    results["load_average_after"] = os.getloadavg()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
