#!/usr/bin/python3
"""scikit-learn SpectralClustering references for tests/engine/test_spectral.cpp.

Data: Fashion-MNIST's 10k test split, divided by 255, reduced to 50 components by exact PCA
(PCA's signs do not change distances, so ClusterScope's exact PCA gives the same kNN graph).
Prints ACC and NMI against the true labels for several seeds, and their means.
"""
import gzip
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import SpectralClustering
from sklearn.decomposition import PCA
from sklearn.metrics import normalized_mutual_info_score

ROOT = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path) as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def accuracy(y, p):
    k = max(y.max(), p.max()) + 1
    w = np.zeros((k, k))
    np.add.at(w, (p, y), 1)
    r, c = linear_sum_assignment(-w)
    return w[r, c].sum() / len(y)


x = idx(f"{ROOT}/t10k-images-idx3-ubyte.gz").reshape(10000, -1).astype(np.float64) / 255
y = idx(f"{ROOT}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
z = PCA(50, svd_solver="full").fit_transform(x)
accs, nmis = [], []
for seed in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
    t = time.time()
    sc = SpectralClustering(10, affinity="nearest_neighbors", n_neighbors=10, random_state=seed,
                            n_init=10, assign_labels="kmeans")
    p = sc.fit_predict(z)
    accs.append(accuracy(y, p))
    nmis.append(normalized_mutual_info_score(y, p))
    print(f"seed {seed}: acc {accs[-1]:.4f} nmi {nmis[-1]:.4f} ({time.time() - t:.1f} s)", flush=True)
print(f"mean acc {np.mean(accs):.4f} nmi {np.mean(nmis):.4f}")
