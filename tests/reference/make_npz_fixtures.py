#!/usr/bin/env python3
"""Writes the .npz fixtures of test_loaders with NumPy itself (numpy.savez and
savez_compressed), so the loader is checked against the real writer's zip layout (ZIP64 local
headers, stored and deflated members). Run: python3 tests/reference/make_npz_fixtures.py"""
import pathlib

import numpy as np

out = pathlib.Path(__file__).resolve().parents[1] / "data" / "npz"
out.mkdir(parents=True, exist_ok=True)
X = np.arange(12, dtype=np.float64).reshape(6, 2)
# Features and labels, with a numeric and a text per-row array (metadata), stored uncompressed.
np.savez(out / "table.npz", X=X, y=np.array([0, 1, 1, 0, 2, 2]), weight=np.linspace(0, 1, 6),
         site=np.array(["a", "bé", "c", "a", "d", "e"]))
# Deflated; images (5 x 2 x 4, uint8) and text labels; features named "data".
np.savez_compressed(out / "images.npz", data=np.arange(40, dtype=np.uint8).reshape(5, 2, 4),
                    labels=np.array(["cat", "dog", "cat", "é", "dog"]))
# One unnamed array (arr_0), big-endian float32 in Fortran order.
np.savez(out / "single.npz", np.asfortranarray(np.arange(12, dtype=">f4").reshape(3, 4)))
# Two tables and no conventional name: the features must be named.
np.savez(out / "ambiguous.npz", a=np.ones((3, 4)), b=np.arange(6, dtype=np.int32).reshape(3, 2))
# Labels that cannot be: too few, and not integers.
np.savez(out / "short_labels.npz", X=X, y=np.array([0, 1, 2]))
np.savez(out / "float_labels.npz", X=X, y=np.array([0, 1, 1.5, 0, 2, 2]))
