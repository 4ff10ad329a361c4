#!/usr/bin/python3
"""Reruns a documented deep-clustering recipe and says how far the result is from the one
recorded in bench/expected/<recipe>.json (issue 22).

  bench/reproduce.py                       the short recipe (Fashion-MNIST's 10,000 test images),
                                           pretrain seed 0: 4-5 minutes on 2 idle cores
                                           (build first: bash scripts/build.sh, or give --cli)
  bench/reproduce.py --seeds 0 1 2 3 4     all five pretraining seeds of the expected file
  bench/reproduce.py --recipe full         recipe A on all 70,000 images (AE + k-means 6-17 min
                                           per seed with its pretraining), N2D and DEPICT
  bench/reproduce.py --record --seeds 0 1 2 3 4
                                           runs them and writes the expected file instead
  bench/reproduce.py --record --from DIR   writes it from the run records already in DIR
  bench/reproduce.py --from DIR            judges the runs already in DIR without running any
  OPENBLAS_CORETYPE=Haswell bench/reproduce.py      the same with another BLAS kernel set
  bench/reproduce.py --extra "--blas-threads 1"     ... or other thread counts

Every seed s is a run with --seed s --pretrain-seed s: its own autoencoder and its own k-means
start. The verdict for each run:
  identical   the same labels as recorded (bit-identical: expected on the same CPU model, BLAS
              kernel set, thread counts and LibTorch)
  inside      other labels, and ACC within the recorded min-max over the five pretraining
              seeds widened by one standard deviation (the "accepted elsewhere" band it
              prints): what another machine may give
  outside     ACC beyond that: a real difference, not the pretraining's noise
A run on the recording environment that is not identical is reported as "changed" (a code or
library change moved it). The exit status is 1 when any run is "outside" or "changed".
The report, with both environments, is written to OUT/reproduce-<recipe>.json.
"""
import argparse, hashlib, json, os, statistics, subprocess, sys, time

FASHION = "/usr/share/datasets/fashion-mnist"
# Recipe A's autoencoder (docs/results.md); each method's options as bench/deep.sh gives them.
RECIPE_A = ["--pretrain-epochs", "40", "--pretrain-optimizer", "adam", "--pretrain-lr", "0.001"]
DEPICT = ["--pretrain-epochs", "5", "--init-epochs", "1", "--epochs", "5", "--torch-threads", "2",
          "--blas-threads", "1", "--kmeans-restarts", "20"]
RECIPES = {
    "short": {
        "about": "Fashion-MNIST test set (10,000 images) / 255, k = 10; recipe A's autoencoder "
                 "(Adam lr 1e-3, 40 epochs); DEC and IDEC with at most 2000 clustering batches",
        "data": f"{FASHION}/t10k-images-idx3-ubyte.gz",
        "methods": {"ae_kmeans": RECIPE_A + ["--kmeans-restarts", "20"],
                    "dec": RECIPE_A + ["--kmeans-restarts", "20", "--max-iter", "2000"],
                    "idec": RECIPE_A + ["--kmeans-restarts", "20", "--max-iter", "2000"]},
    },
    "full": {
        "about": "Fashion-MNIST, all 70,000 images / 255, k = 10; recipe A of docs/results.md "
                 "(Adam lr 1e-3, 40 epochs); DEC and IDEC with at most 6000 clustering batches; N2D on the "
                 "same autoencoders; DEPICT with recipe D (5 + 1 + 5 epochs)",
        "data": FASHION,
        "methods": {"ae_kmeans": RECIPE_A + ["--kmeans-restarts", "20"],
                    "dec": RECIPE_A + ["--kmeans-restarts", "20", "--max-iter", "6000"],
                    "idec": RECIPE_A + ["--kmeans-restarts", "20", "--max-iter", "6000"],
                    "n2d": RECIPE_A, "depict": DEPICT},
    },
}
# What can change a trajectory, as the run record names it.
ENVIRONMENT_KEYS = ("cpu", "blas_kernels", "blas_threads", "torch_threads", "libtorch")


def command(cli, recipe, method, seed, out, extra=()):
    r = RECIPES[recipe]
    stem = f"{out}/{recipe}_{method}_{seed}"
    return ([cli, "run", "--method", method, "--data", r["data"], "--scaling", "scale01", "--k", "10"] +
            r["methods"][method] +
            ["--seed", str(seed), "--pretrain-seed", str(seed), "--cache-dir", f"{out}/autoencoders",
             "--out", f"{stem}.csv", "--record", f"{stem}.run.json", "--history", "off", "--quiet"] + list(extra))


def labels_sha256(csv_path):
    """Hash of the cluster column: equal hashes mean the same labels row for row."""
    with open(csv_path) as f:
        header = f.readline().rstrip("\n").split(",")
        col = header.index("cluster")
        return hashlib.sha256(",".join(l.split(",")[col] for l in f).encode()).hexdigest()


def result(out, recipe, method, seed):
    stem = f"{out}/{recipe}_{method}_{seed}"
    if not os.path.exists(f"{stem}.run.json"):  # bench/deep.sh's names
        stem = f"{out}/deep_{method}_{seed}"
    record = json.load(open(f"{stem}.run.json"))
    m = record["metrics"]
    return {"acc": m["acc"], "nmi": m["nmi"], "ari": m["ari"], "labels_sha256": labels_sha256(f"{stem}.csv"),
            "minutes": record["timings"]["run_seconds"] / 60,
            "environment": {k: record["environment"].get(k) for k in ENVIRONMENT_KEYS},
            "clusterscope": record["environment"].get("clusterscope")}


def spread(runs):
    acc = [r["acc"] for r in runs.values()]
    sd = statistics.pstdev(acc) if len(acc) > 1 else 0.0
    return {"seeds": len(acc), "mean": statistics.mean(acc), "sd": sd, "min": min(acc), "max": max(acc)}


def accepted_band(acc_spread):
    """What another environment may give: the recorded min-max widened by one sd, since five
    pretraining seeds understate the range."""
    return acc_spread["min"] - acc_spread["sd"], acc_spread["max"] + acc_spread["sd"]


def verdict(got, want, acc_spread):
    if got["labels_sha256"] == want["labels_sha256"]:
        return "identical"
    if got["environment"] == want["environment"]:
        return "changed"
    low, high = accepted_band(acc_spread)
    return "inside" if low <= got["acc"] <= high else "outside"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--recipe", choices=sorted(RECIPES), default="short")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--methods", nargs="+", help="a subset of the recipe's methods")
    ap.add_argument("--cli", default="build/release/app/cli/clusterscope-cli")
    ap.add_argument("--out", default="build/reproduce")
    ap.add_argument("--extra", default="", help='more run options, e.g. "--blas-threads 1"')
    ap.add_argument("--record", action="store_true", help="write bench/expected/<recipe>.json")
    ap.add_argument("--from", dest="source", help="take the runs from this folder, run nothing")
    ap.add_argument("--expected", help="another expected file than bench/expected/<recipe>.json")
    a = ap.parse_args()
    # Paths given are the caller's; the defaults are the repository's.
    for name in ("source", "expected"):
        if getattr(a, name):
            setattr(a, name, os.path.abspath(getattr(a, name)))
    a.out = os.path.abspath(a.out) if a.out != "build/reproduce" else a.out
    a.cli = os.path.abspath(a.cli) if os.sep in a.cli and a.cli != ap.get_default("cli") else a.cli
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    expected_path = a.expected or f"bench/expected/{a.recipe}.json"
    methods = a.methods or list(RECIPES[a.recipe]["methods"])
    out = a.source or a.out
    os.makedirs(out, exist_ok=True)
    if not a.source:
        for method in methods:
            for seed in a.seeds:
                cmd = command(a.cli, a.recipe, method, seed, out, a.extra.split())
                print("$", " ".join(cmd), flush=True)
                start = time.time()
                subprocess.run(cmd, check=True)
                print(f"  {time.time() - start:.0f} s", flush=True)
    runs = {m: {str(s): result(out, a.recipe, m, s) for s in a.seeds} for m in methods}

    if a.record:
        expected = {"recipe": a.recipe, "about": RECIPES[a.recipe]["about"],
                    "methods": {m: {"command": " ".join(command("clusterscope-cli", a.recipe, m, "S", "OUT")),
                                    "runs": r, "acc_spread": spread(r)} for m, r in runs.items()}}
        os.makedirs("bench/expected", exist_ok=True)
        with open(expected_path, "w") as f:
            json.dump(expected, f, indent=1)
            f.write("\n")
        print(f"wrote {expected_path}")
        return 0

    expected = json.load(open(expected_path))
    report, bad = {"recipe": a.recipe, "runs": []}, False
    for m in methods:
        want_m = expected["methods"][m]
        for s in map(str, a.seeds):
            got, want = runs[m][s], want_m["runs"].get(s)
            if want is None:
                print(f"{m} seed {s}: not in {expected_path}")
                continue
            v = verdict(got, want, want_m["acc_spread"])
            bad |= v in ("outside", "changed")
            changed = {k: [want["environment"][k], got["environment"][k]] for k in ENVIRONMENT_KEYS
                       if want["environment"][k] != got["environment"][k]}
            sp = want_m["acc_spread"]
            print(f"{m} seed {s}: ACC {got['acc']:.4f} (recorded {want['acc']:.4f}, "
                  f"difference {got['acc'] - want['acc']:+.4f}), NMI {got['nmi']:.4f} "
                  f"({got['nmi'] - want['nmi']:+.4f}): {v}; over {sp['seeds']} pretraining seeds "
                  f"ACC {sp['mean']:.3f} ± {sp['sd']:.3f} ({sp['min']:.3f}–{sp['max']:.3f}; "
                  f"accepted elsewhere {accepted_band(sp)[0]:.3f}–{accepted_band(sp)[1]:.3f})"
                  + (f"; environment differs: {changed}" if changed else ""))
            report["runs"].append({"method": m, "seed": int(s), "verdict": v, "got": got,
                                   "expected": want, "environment_changes": changed})
    with open(f"{out}/reproduce-{a.recipe}.json", "w") as f:
        json.dump(report, f, indent=1)
    print(f"report: {out}/reproduce-{a.recipe}.json")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
