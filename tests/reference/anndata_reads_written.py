#!/usr/bin/env python3
"""anndata reads every .h5ad that clusterscope-cli writes (a CTest test, issue 18).

usage: anndata_reads_written.py CLUSTERSCOPE_CLI FIXTURE_DIR

For each AnnData fixture (sparse CSR and CSC, dense, the old categorical encoding) it runs
`clusterscope-cli run --out OUT.h5ad` and reads OUT.h5ad with Debian's python3-anndata: the
input's X, obs, obsm and uns are kept; obs['clusterscope_<method>'] holds the labels CSV's
clusters as a categorical; obsm['<key>_proba'] the soft assignments; uns['<key>_colors'] one
colour per category; uns['clusterscope_run'] the run record as JSON.
"""
import json
import os
import subprocess
import sys
import tempfile

import anndata
import numpy as np
import scipy.sparse as sp

cli, fixtures = sys.argv[1], sys.argv[2]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


with tempfile.TemporaryDirectory() as tmp:
    for name, method in [("csr.h5ad", "gmm"), ("csc.h5ad", "kmeans"), ("dense.h5ad", "gmm"),
                         ("old_categorical.h5ad", "kmeans")]:
        source = os.path.join(fixtures, name)
        out = os.path.join(tmp, "out-" + name)
        labels = os.path.join(tmp, name + ".csv")
        run = subprocess.run([cli, "run", "--data", source, "--method", method, "--k", "2",
                              "--label-column", "none", "--out", out, "--history", "off",
                              "--quiet"], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"{name}: clusterscope-cli failed: {run.stderr}")
            continue
        subprocess.run([cli, "run", "--data", source, "--method", method, "--k", "2",
                        "--label-column", "none", "--out", labels, "--history", "off",
                        "--quiet"], check=True, capture_output=True)
        a = anndata.read_h5ad(source)
        b = anndata.read_h5ad(out)  # the check: anndata reads it at all, then what it holds
        key = "clusterscope_" + method
        dense = lambda m: m.toarray() if sp.issparse(m) else np.asarray(m)
        check(np.array_equal(dense(a.X), dense(b.X)), f"{name}: X changed")
        check(list(b.obs_names) == list(a.obs_names), f"{name}: obs names changed")
        for column in a.obs.columns:
            check(list(b.obs[column].astype(str)) == list(a.obs[column].astype(str)),
                  f"{name}: obs {column} changed")
        for k in a.obsm.keys():
            check(np.array_equal(a.obsm[k], b.obsm[k]), f"{name}: obsm {k} changed")
        check(str(b.obs[key].dtype) == "category", f"{name}: obs {key} is not categorical")
        rows = np.genfromtxt(labels, delimiter=",", names=True)
        expected = [str(int(c)) for c in rows["cluster"]]
        check(list(b.obs[key].astype(str)) == expected,
              f"{name}: obs {key} differs from the labels CSV")
        colors = list(b.uns[key + "_colors"])
        check(len(colors) == len(b.obs[key].cat.categories) and
              all(c.startswith("#") and len(c) == 7 for c in colors),
              f"{name}: uns {key}_colors {colors}")
        record = json.loads(str(b.uns["clusterscope_run"]))
        check(record.get("method") == method, f"{name}: uns clusterscope_run")
        if method == "gmm":
            proba = b.obsm[key + "_proba"]
            check(proba.shape == (b.n_obs, 2) and np.allclose(proba.sum(axis=1), 1, atol=1e-4),
                  f"{name}: obsm {key}_proba {proba.shape}")
        if "cell_type_colors" in a.uns:
            check(list(b.uns["cell_type_colors"]) == list(a.uns["cell_type_colors"]),
                  f"{name}: uns cell_type_colors changed")
        print(f"{name}: anndata reads {os.path.basename(out)}: obs {key} "
              f"{list(b.obs[key].astype(str))}, colours {colors}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
