#!/usr/bin/python3
"""Summarises bench/deep.sh's records as the Markdown rows of docs/results.md: mean and
population standard deviation of ACC, NMI and ARI over the seeds found, ACC's min and max, and
run times."""
import glob, json, re, statistics, sys

out = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
names = {"ae_kmeans": "AE + k-means", "dec": "DEC", "idec": "IDEC", "depict": "DEPICT",
         "n2d": "N2D", "gldc": "GLDC"}
for method, name in names.items():
    runs = sorted(glob.glob(f"{out}/deep_{method}_*.run.json"))
    if not runs:
        continue
    rec = [json.load(open(r)) for r in runs]
    seeds = [r["seed"] for r in rec]
    cells = []
    for key in ("acc", "nmi", "ari"):
        v = [r["metrics"][key] for r in rec]
        sd = statistics.pstdev(v) if len(v) > 1 else 0.0
        cells.append(f"{statistics.mean(v):.3f} ± {sd:.3f}")
        if key == "acc":
            cells.append(f"{min(v):.3f}–{max(v):.3f}")
    # Older records hold run_seconds at the top, newer ones under "timings".
    minutes = [r.get("run_seconds", r.get("timings", {}).get("run_seconds", 0)) / 60 for r in rec]
    its = [int(r["stats"].get("iterations", 0)) for r in rec]
    print(f"| {name} | {' | '.join(cells)} | seeds {','.join(map(str, seeds))}; "
          f"{min(minutes):.1f}–{max(minutes):.1f} min per run; {min(its)}–{max(its)} batches |")
