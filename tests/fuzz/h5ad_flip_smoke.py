#!/usr/bin/python3
"""A quick robustness check of the HDF5 loader without the fuzz preset: flips 1-16 random bytes
of a fixture, runs `clusterscope-cli info` on each copy and counts exit codes (1: a DataError,
as wanted; negative: a signal; "hang": no answer in 15 s). Damaged copies that crash or hang are
kept in /tmp as flip-crash-N.h5ad / flip-hang-N.h5ad.

    python3 tests/fuzz/h5ad_flip_smoke.py tests/data/h5ad/csr.h5ad SEED COUNT [CLI]

Found on 2026-12-06 (Debian's libhdf5 1.10.8): csc.h5ad (fixed-length strings only), seed 2,
100 copies: {1: 82, 0: 18}, no crash; csr.h5ad (variable-length strings), seed 3, 100 copies:
{1: 61, 0: 36, -11: 3}, and seed 1 hung once in ~21 copies. Every crash and hang was inside
libhdf5's global heap (H5HG_read, H5HG__protect) while H5Dread converted variable-length
strings, which the library reads without checking the heap's bounds: see docs/testing.md.
"""
import os
import random
import subprocess
import sys

source = open(sys.argv[1], "rb").read()
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
count = int(sys.argv[3]) if len(sys.argv) > 3 else 100
cli = sys.argv[4] if len(sys.argv) > 4 else "build/release/app/cli/clusterscope-cli"
counts = {}
for i in range(count):
    damaged = bytearray(source)
    for _ in range(random.choice([1, 2, 4, 16])):
        damaged[random.randrange(len(damaged))] = random.randrange(256)
    path = f"/tmp/flip-{os.getpid()}.h5ad"
    open(path, "wb").write(damaged)
    try:
        r = subprocess.run([cli, "info", "--data", path], capture_output=True, timeout=15)
    except subprocess.TimeoutExpired:
        counts["hang"] = counts.get("hang", 0) + 1
        open(f"/tmp/flip-hang-{i}.h5ad", "wb").write(damaged)
        continue
    counts[r.returncode] = counts.get(r.returncode, 0) + 1
    if r.returncode < 0 or r.returncode > 2 or b"HDF5-DIAG" in r.stderr:
        open(f"/tmp/flip-crash-{i}.h5ad", "wb").write(damaged)
os.remove(path)
print(counts)
