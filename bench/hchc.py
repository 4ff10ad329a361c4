#!/usr/bin/env python3
"""HCHC layout benchmark: `clusterscope-cli layout hchc` on random soft assignments.

1. Time: the heuristic cycle search (multi-start 2-opt + Or-opt, default n_init and n_kicks)
   at K = 50, 100, 200 clusters, `--repeat` runs each with seeds 0, 1, ...; the time is the
   layout's own `stats.cycle_seconds` (the cycle search alone, not loading LibTorch or Q, nor
   the Pearson correlations), and the whole layout's `seconds` beside it.
2. Gap: on random instances with K <= 16, the heuristic's cycle (--exact-max-clusters 0)
   against Held-Karp's exact optimum on the same Q: mean and largest relative gap.

Q is a softmax of Gaussian logits (scale 2) over N rows, seeded, so clusters correlate the way
a real soft assignment's do. Writes one JSON object.

Usage: /usr/bin/python3 bench/hchc.py build/release/app/cli/clusterscope-cli \
           [--rows 2000] [--repeat 3] [--gap-instances 8] > bench/results/hchc-DATE.json
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile

import numpy as np


def random_q(rows, k, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 2.0, size=(rows, k))
    q = np.exp(z - z.max(axis=1, keepdims=True))
    return (q / q.sum(axis=1, keepdims=True)).astype(np.float32)


def layout(cli, q_path, out_path, *flags):
    subprocess.run([cli, "layout", "hchc", "--soft", q_path, "--out", out_path, "--quiet",
                    *flags], check=True, stdout=subprocess.DEVNULL)
    with open(out_path) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gap-instances", type=int, default=8, help="per K in 6, 8, ..., 16")
    args = ap.parse_args()
    result = {"command": " ".join([os.path.basename(sys.argv[0])] + sys.argv[1:]),
              "rows": args.rows, "machine": platform.processor() or platform.machine(),
              "cpus": os.cpu_count(), "timing": [], "gap": {}}
    with tempfile.TemporaryDirectory() as tmp:
        q_path = os.path.join(tmp, "q.npy")
        out_path = os.path.join(tmp, "layout.json")
        for k in (50, 100, 200):
            np.save(q_path, random_q(args.rows, k, k))
            runs = [layout(args.cli, q_path, out_path, "--seed", str(s))
                    for s in range(args.repeat)]
            result["timing"].append({
                "clusters": k,
                "exact": runs[0]["exact"],
                "cycle_seconds": [r["stats"]["cycle_seconds"] for r in runs],
                "layout_seconds": [r["seconds"] for r in runs],
                "lengths": [r["length"] for r in runs],
                "parameters": runs[0]["parameters"],
            })
            print(f"K={k}: cycle search {max(result['timing'][-1]['cycle_seconds']):.3f} s max",
                  file=sys.stderr)
        gaps = []
        per_k = {}
        for k in range(6, 17, 2):
            for i in range(args.gap_instances):
                np.save(q_path, random_q(args.rows, k, 1000 * k + i))
                exact = layout(args.cli, q_path, out_path)
                heur = layout(args.cli, q_path, out_path, "--exact-max-clusters", "0")
                assert exact["exact"] and not heur["exact"]
                gap = heur["length"] / exact["length"] - 1
                gaps.append(gap)
                per_k.setdefault(k, []).append(gap)
        result["gap"] = {
            "instances": len(gaps),
            "clusters": sorted(per_k),
            "mean": statistics.fmean(gaps),
            "max": max(gaps),
            "optimal": sum(g < 1e-12 for g in gaps),
        }
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
