#!/usr/bin/python3
"""Writes the HDF5 / AnnData fixtures of tests/data/h5ad (test_loaders' h5ad* tests).

    /usr/bin/python3 tests/reference/h5ad_fixtures.py tests/data/h5ad

Debian packages: python3-h5py, python3-anndata (0.8), python3-scipy, python3-numpy.

The files are written with h5py in AnnData's on-disk layout (anndata 0.8's encoding: X dense or
a csr_matrix/csc_matrix group, obs/var dataframes with an `_index` attribute, categorical columns
as groups of codes + categories, obsm, layers) using HDF5's newest file format, which keeps each
file near 2-5 KB where anndata.write_h5ad writes ~28 KB of empty groups. Every good .h5ad is read
back with anndata.read_h5ad and compared with what was meant, so the layout is AnnData's own; the
old categorical encoding (anndata < 0.8: integer codes whose `categories` attribute references
obs/__categories/NAME) is written by hand and anndata 0.8 still reads it. The damaged files are
small h5py files, each with one fault. The values are small binary fractions, exact in float32,
so the tests compare them with ==; the script prints what the tests expect.

To check a file ClusterScope wrote (run --out result.h5ad, when that exists) with anndata:
    /usr/bin/python3 -c "import anndata; print(anndata.read_h5ad('result.h5ad'))"
"""
import os
import sys

import anndata
import h5py
import numpy as np
import scipy.sparse as sp

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/data/h5ad"
os.makedirs(OUT, exist_ok=True)
# Variable-length UTF-8 strings (what anndata writes) in csr.h5ad; the other files use
# fixed-length strings, which anndata reads as well, because each file with variable-length
# strings carries a 4 KB global heap.
STR = h5py.string_dtype("utf-8")

X = np.array(
    [
        [0.0, 1.5, 0.0, 2.0],
        [3.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.25, 0.0],
        [4.0, 0.5, 0.0, 1.0],
        [0.0, 0.0, 0.0, 8.0],
    ],
    dtype=np.float32,
)
CELL_TYPE = ["B", "T", "B", "NK", "T"]  # categories sorted: B, NK, T
CATEGORIES = ["B", "NK", "T"]
CODES = np.array([CATEGORIES.index(c) for c in CELL_TYPE], dtype=np.int8)
GENES = ["CD19", "CD3E", "NKG7", "MS4A1"]
CELLS = [f"cell{i}" for i in range(5)]
UMAP = np.arange(10, dtype=np.float32).reshape(5, 2) / 4
PCA = np.arange(15, dtype=np.float64).reshape(5, 3) - 7


def new_file(name):
    return h5py.File(os.path.join(OUT, name), "w", libver="latest")


def fixed(value):
    # A fixed-length UTF-8 string attribute: h5py's default (variable-length) costs a 4 KB heap.
    return dict(data=value.encode(), dtype=h5py.string_dtype("utf-8", max(1, len(value.encode()))))


def enc(obj, kind, version="0.2.0"):
    obj.attrs.create("encoding-type", **fixed(kind))
    obj.attrs.create("encoding-version", **fixed(version))


def text(values, vlen):
    if vlen:
        return dict(data=np.array(values, dtype=object), dtype=STR)
    return dict(data=np.array([v.encode() for v in values], dtype=f"S{max(map(len, values))}"))


def write_frame(f, name, index, columns, old_categorical=False, vlen=False):
    g = f.create_group(name)
    enc(g, "dataframe", "0.1.0" if old_categorical else "0.2.0")
    g.attrs.create("_index", **fixed("_index"))
    g.attrs["column-order"] = np.array([c.encode() for c in columns] or [], dtype="S16")
    g.create_dataset("_index", **text(index, vlen))
    for key, value in columns.items():
        if isinstance(value, tuple):  # categorical: (codes, categories)
            codes, cats = value
            if old_categorical:
                cg = g.require_group("__categories")
                c = cg.create_dataset(key, **text(cats, vlen))
                d = g.create_dataset(key, data=codes)
                d.attrs["categories"] = c.ref
            else:
                cg = g.create_group(key)
                enc(cg, "categorical")
                cg.attrs["ordered"] = False
                cg.create_dataset("codes", data=codes)
                cg.create_dataset("categories", **text(cats, vlen))
        elif value.dtype == object:
            d = g.create_dataset(key, **text(list(value), vlen))
            enc(d, "string-array")
        else:
            d = g.create_dataset(key, data=value)
            enc(d, "array")
    return g


def write_sparse(f, name, matrix, index_dtype, value_dtype):
    g = f.create_group(name)
    enc(g, "csr_matrix" if sp.isspmatrix_csr(matrix) else "csc_matrix", "0.1.0")
    g.attrs["shape"] = np.array(matrix.shape, dtype=np.int64)
    g.create_dataset("data", data=matrix.data.astype(value_dtype))
    g.create_dataset("indices", data=matrix.indices.astype(index_dtype))
    g.create_dataset("indptr", data=matrix.indptr.astype(index_dtype))
    return g


def write_anndata(name, write_x, obs_columns, obsm=None, layers=None, old_categorical=False,
                  vlen=False, uns=None):
    with new_file(name) as f:
        enc(f, "anndata", "0.1.0")
        write_x(f)
        write_frame(f, "obs", CELLS, obs_columns, old_categorical, vlen)
        write_frame(f, "var", GENES, {}, vlen=vlen)
        m = f.create_group("obsm")
        enc(m, "dict", "0.1.0")
        for key, value in (obsm or {}).items():
            enc(m.create_dataset(key, data=value), "array")
        lg = f.create_group("layers")
        enc(lg, "dict", "0.1.0")
        for key, value in (layers or {}).items():
            enc(lg.create_dataset(key, data=value), "array")
        if uns:  # scanpy's palettes: uns['<obs column>_colors'], string arrays
            ug = f.create_group("uns")
            enc(ug, "dict", "0.1.0")
            for key, values in uns.items():
                enc(ug.create_dataset(key, **text(values, vlen)), "string-array")
    a = anndata.read_h5ad(os.path.join(OUT, name))  # anndata reads what we meant
    dense = a.X.toarray() if sp.issparse(a.X) else np.asarray(a.X)
    assert np.array_equal(dense.astype(np.float32), X), name
    assert list(a.var_names) == GENES and list(a.obs_names) == CELLS, name
    return a


obs = {
    "cell_type": (CODES, CATEGORIES),
    "n_counts": X.sum(axis=1).astype(np.float64),
    "batch": np.array(["a", "b", "a", "b", "a"], dtype=object),
}
a = write_anndata(
    "csr.h5ad",
    lambda f: write_sparse(f, "X", sp.csr_matrix(X), np.int32, np.float32),
    obs,
    obsm={"X_umap": UMAP, "X_pca": PCA},
    layers={"counts": X * 2},
    vlen=True,
    # cell_type's palette in scanpy's spellings (#rrggbb, #rgb, #rrggbbaa); batch's does not fit
    uns={"cell_type_colors": ["#1f77b4", "#F80", "#2ca02cff"], "batch_colors": ["#000000"]},
)
assert list(a.obs["cell_type"]) == CELL_TYPE and a.obsm["X_umap"].shape == (5, 2)
assert list(a.uns["cell_type_colors"]) == ["#1f77b4", "#F80", "#2ca02cff"]
assert sp.isspmatrix_csr(a.X)
a = write_anndata(
    "csc.h5ad",
    lambda f: write_sparse(f, "X", sp.csc_matrix(X), np.int64, np.float64),
    {"cell_type": (CODES, CATEGORIES)},
)
assert sp.isspmatrix_csc(a.X)
write_anndata(
    "dense.h5ad",
    lambda f: enc(f.create_dataset("X", data=X.astype(np.float64)), "array"),
    {"label": np.array([1, 0, 1, 2, 0], dtype=np.int64)},
)
a = write_anndata(
    "old_categorical.h5ad",
    lambda f: enc(f.create_dataset("X", data=X), "array"),
    {"cell_type": (CODES, CATEGORIES)},
    old_categorical=True,
)
assert list(a.obs["cell_type"]) == CELL_TYPE, "anndata reads the old encoding"

# Labels with a missing value spelled two ways: an empty category name (row 1) and pandas'
# NaN, code -1 (row 4).
write_anndata(
    "empty_label.h5ad",
    lambda f: enc(f.create_dataset("X", data=X), "array"),
    {"cell_type": (np.array([1, 0, 2, 1, -1], dtype=np.int8), ["", "B", "T"])},
)

# Labels as a user's obs may spell them: padded names, and NA / nan written as text (what
# obs[col].astype(str) makes of NaN). Read as every loader reads a text label: A, A, missing,
# missing, B.
write_anndata(
    "text_labels.h5ad",
    lambda f: enc(f.create_dataset("X", data=X), "array"),
    {"cell_type": (np.array([0, 1, 2, 3, 4], dtype=np.int8), [" A", "A", "NA", "nan", "B "])},
)

# A plain HDF5 file with two 2-D datasets and a 1-D one.
with new_file("two.h5") as f:
    f.create_dataset("first", data=np.arange(6, dtype=np.int16).reshape(3, 2))
    f.create_dataset("group/second", data=X.astype(np.float64))
    f.create_dataset("labels", data=np.arange(5, dtype=np.int64))
with new_file("one.h5") as f:
    f.create_dataset("matrix", data=X)
    f.create_dataset("labels", data=np.arange(5, dtype=np.int64))


# Damaged files: each holds one fault.
def damaged(name, write):
    with new_file(name) as f:
        enc(f, "anndata", "0.1.0")
        write(f)


csr = sp.csr_matrix(X)
bad = csr.indptr.copy()
bad[2], bad[3] = bad[3], bad[2]  # 0 2 4 3 ... : not monotone
damaged("bad_indptr.h5ad", lambda f: write_sparse(f, "X", sp.csr_matrix((csr.data, csr.indices, csr.indptr), shape=X.shape), np.int32, np.float32)["indptr"].write_direct(bad.astype(np.int32)))
bad_idx = csr.indices.copy()
bad_idx[-1] = 4  # column 4 of 4
damaged("bad_indices.h5ad", lambda f: write_sparse(f, "X", sp.csr_matrix((csr.data, bad_idx, csr.indptr), shape=(5, 5)), np.int32, np.float32).attrs.modify("shape", np.array([5, 4])))
damaged("x3d.h5ad", lambda f: f.create_dataset("X", data=np.zeros((2, 2, 2), dtype=np.float32)))
damaged("no_x.h5ad", lambda f: write_frame(f, "obs", CELLS, {}))


def unknown(f):
    g = write_sparse(f, "X", csr, np.int32, np.float32)
    enc(g, "coo_matrix")


damaged("unknown_encoding.h5ad", unknown)


def huge(f):
    g = write_sparse(f, "X", sp.csr_matrix((1, 1), dtype=np.float32), np.int32, np.float32)
    g.attrs.modify("shape", np.array([1_000_000, 100_000], dtype=np.int64))


damaged("huge.h5ad", huge)

# A 10^6 x 1000 float32 dataset (4 GB) that was never written: HDF5 allocates nothing and reads
# fill values. The file is about 1 KB.
with new_file("unwritten.h5") as f:
    f.create_dataset("matrix", shape=(1_000_000, 1000), dtype=np.float32)
damaged("unwritten.h5ad", lambda f: enc(f.create_dataset("X", shape=(1_000_000, 1000), dtype=np.float32), "array"))

total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
print(f"wrote {len(os.listdir(OUT))} files, {total} bytes")
print("X row sums:", X.sum(axis=1).tolist(), "total:", float(X.sum()))
print("cell_type codes:", CODES.tolist(), "categories:", CATEGORIES)
print("genes:", GENES)
print("X_umap:", UMAP.tolist())
print("X_pca:", PCA.tolist())
print("two.h5 /first:", np.arange(6).reshape(3, 2).tolist())
