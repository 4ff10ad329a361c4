#!/usr/bin/python3
"""Prints the scikit-learn reference values that the C++ tests store (tests/engine/*.cpp).

Run it to regenerate them: /usr/bin/python3 tests/reference/make_reference.py
"""
import gzip
import numpy as np
from sklearn import metrics
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from threadpoolctl import threadpool_limits

t = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3]
p = [1, 1, 0, 0, 2, 2, 2, 2, 3, 3, 3, -1]
print("external metrics, truth", t, "pred", p)
for name, f in [("nmi", metrics.normalized_mutual_info_score), ("ari", metrics.adjusted_rand_score),
                ("ami", metrics.adjusted_mutual_info_score)]:
    print(f"  {name} = {f(t, p):.15g}")

rng = np.random.default_rng(3)
x = rng.normal(size=(40, 3)).astype(np.float64)
x[:20] += 2.0
lab = np.array([0] * 15 + [1] * 10 + [2] * 15)
print("internal metrics on rng(3) normal 40x3, first 20 rows +2, labels 15/10/15")
print(f"  silhouette = {metrics.silhouette_score(x, lab):.15g}")
print(f"  calinski_harabasz = {metrics.calinski_harabasz_score(x, lab):.15g}")
print(f"  davies_bouldin = {metrics.davies_bouldin_score(x, lab):.15g}")
np.savetxt("/tmp/internal.csv", x, delimiter=",", fmt="%.17g")

with gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz") as f:
    raw = f.read()
fm = np.frombuffer(raw, np.uint8, offset=16).reshape(10000, 784).astype(np.float32) / 255.0
with threadpool_limits(2):
    pca = PCA(n_components=10, svd_solver="full").fit(fm)
    print("fashion t10k /255 PCA explained_variance_ (10):", ", ".join(f"{v:.10g}" for v in pca.explained_variance_))
    print("  ratio:", ", ".join(f"{v:.10g}" for v in pca.explained_variance_ratio_))
    for n_init in (1, 10):
        inertias = [KMeans(10, n_init=n_init, random_state=s).fit(fm).inertia_ for s in range(3)]
        print(f"fashion t10k /255 kmeans k=10 n_init={n_init} inertia per seed:", inertias)
