#!/usr/bin/python3
"""bench/reproduce.py's verdicts on made-up runs (no CLI run): the same labels are
"identical"; other labels on the recording environment are "changed"; on another environment
they are "inside" or "outside" the recorded spread (min-max widened by one sd). The exit status
is 1 exactly when a run is "changed" or "outside". Usage: reproduce_verdicts.py REPO"""
import json, os, subprocess, sys, tempfile

repo = sys.argv[1]
ENV = {"cpu": "Xeon", "blas_kernels": "SkylakeX", "blas_threads": 2, "torch_threads": 1,
       "libtorch": "1.13.0"}


def write_run(folder, seed, acc, labels, env, nmi=None):
    stem = f"{folder}/short_ae_kmeans_{seed}"
    with open(f"{stem}.csv", "w") as f:
        f.write("id,cluster,confidence\n" + "".join(f"{i},{c},1\n" for i, c in enumerate(labels)))
    nmi = acc if nmi is None else nmi
    record = {"metrics": {"acc": acc, "nmi": nmi, "ari": acc}, "timings": {"run_seconds": 60},
              "environment": dict(env, clusterscope="0.1.0 (test)")}
    json.dump(record, open(f"{stem}.run.json", "w"))


def judge(recorded, rerun, seeds):
    """The verdicts and exit status of reproduce.py on `rerun` against `recorded`."""
    expected = f"{recorded}/expected.json"
    subprocess.run([sys.executable, f"{repo}/bench/reproduce.py", "--record", "--from", recorded,
                    "--methods", "ae_kmeans", "--seeds", "0", "1", "2", "3", "4",
                    "--expected", expected], check=True, capture_output=True)
    p = subprocess.run([sys.executable, f"{repo}/bench/reproduce.py", "--from", rerun,
                        "--methods", "ae_kmeans", "--seeds", *map(str, seeds),
                        "--expected", expected], capture_output=True, text=True)
    report = json.load(open(f"{rerun}/reproduce-short.json"))
    return [r["verdict"] for r in report["runs"]], p.returncode


failures = []
checks = 0


def check(what, got, want):
    global checks
    checks += 1
    if got != want:
        failures.append(f"{what}: got {got}, expected {want}")


with tempfile.TemporaryDirectory() as recorded, tempfile.TemporaryDirectory() as rerun:
    accs = [0.55, 0.51, 0.58, 0.52, 0.50]  # min 0.50, max 0.58, sd about 0.029
    for seed, acc in enumerate(accs):
        write_run(recorded, seed, acc, [seed % 3, 1, 2, 0], ENV)
    # The same labels: identical, whatever the machine.
    write_run(rerun, 0, 0.55, [0, 1, 2, 0], dict(ENV, blas_kernels="Haswell"))
    check("same labels", judge(recorded, rerun, [0]), (["identical"], 0))
    # Other labels on the recording environment: the code moved it.
    write_run(rerun, 0, 0.55, [1, 1, 2, 0], ENV)
    check("other labels, same environment", judge(recorded, rerun, [0]), (["changed"], 1))
    # Another kernel set: within 0.50-0.58 widened by one sd is inside, beyond it outside.
    other = dict(ENV, blas_kernels="Haswell")
    write_run(rerun, 0, 0.48, [2, 2, 2, 2], other)
    write_run(rerun, 1, 0.60, [2, 2, 2, 2], other)
    write_run(rerun, 2, 0.45, [2, 2, 2, 2], other)
    check("another environment", judge(recorded, rerun, [0, 1, 2]),
          (["inside", "inside", "outside"], 1))
    write_run(rerun, 2, 0.52, [2, 2, 2, 2], dict(ENV, blas_threads=1))
    check("inside only", judge(recorded, rerun, [0, 1, 2]), (["inside", "inside", "inside"], 0))
    # Labels compare row by row: the same multiset in another order is another labelling.
    write_run(rerun, 0, 0.55, [0, 0, 1, 2], ENV)
    check("same labels, other rows", judge(recorded, rerun, [0]), (["changed"], 1))
    # Identical comes first: the recording environment rerun to the same labels.
    write_run(rerun, 0, 0.55, [0, 1, 2, 0], ENV)
    check("identical on the same environment", judge(recorded, rerun, [0]), (["identical"], 0))
    # ACC is judged, not NMI; the spread is the population sd of the five (0.0292), so 0.469
    # is outside 0.50 - 0.0292 whatever the NMI.
    write_run(rerun, 0, 0.469, [2, 2, 2, 2], other, nmi=0.55)
    check("ACC judged", judge(recorded, rerun, [0]), (["outside"], 1))
    # Every environment key counts: another LibTorch thread count is another environment.
    write_run(rerun, 0, 0.55, [2, 2, 2, 2], dict(ENV, torch_threads=4))
    check("torch threads", judge(recorded, rerun, [0]), (["inside"], 0))
    write_run(rerun, 0, 0.55, [2, 2, 2, 2], dict(ENV, libtorch="2.1.0"))
    check("libtorch", judge(recorded, rerun, [0]), (["inside"], 0))

# The bounds are inclusive: five runs at 0.5 (sd 0) accept 0.5 from another machine.
with tempfile.TemporaryDirectory() as recorded, tempfile.TemporaryDirectory() as rerun:
    for seed in range(5):
        write_run(recorded, seed, 0.5, [seed, 1, 2, 0], ENV)
    write_run(rerun, 0, 0.5, [2, 2, 2, 2], dict(ENV, cpu="Epyc"))
    check("inclusive bounds", judge(recorded, rerun, [0]), (["inside"], 0))

for f in failures:
    print(f)
print(f"{checks - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
