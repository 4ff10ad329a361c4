"""Fixtures for tests/engine/test_umap.cpp, from umap-learn 0.5.3 and scikit-learn (Debian 12).

Writes tests/data/umap/:
  blobs.csv          80 x 4 float rows: three Gaussian blobs (seeded)
  graph_k10.csv      umap-learn's fuzzy simplicial set of blobs.csv, n_neighbors 10, exact kNN,
                     as "row,column,weight" lines (upper and lower triangle both)
  curves.csv         spread,min_dist,a,b from umap.umap_.find_ab_params
  transform_rows.csv, transform_graph.csv: see the end of this file
  trust.csv          80 x 2 embedding of blobs.csv (its first two columns plus noise) and, in
                     trust_expected.txt, sklearn.manifold.trustworthiness(blobs, it, 15)
Run: python3 tests/reference/umap_reference.py
"""
import os
import numpy as np
from sklearn.neighbors import NearestNeighbors
from sklearn.manifold import trustworthiness
from umap.umap_ import fuzzy_simplicial_set, find_ab_params

out = os.path.join(os.path.dirname(__file__), "..", "data", "umap")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)
centres = np.array([[0, 0, 0, 0], [6, 0, 3, 0], [0, 7, 0, -4]], float)
X = np.vstack([c + rng.normal(size=(n, 4)) for c, n in zip(centres, (30, 30, 20))]).astype(np.float32)
np.savetxt(os.path.join(out, "blobs.csv"), X, delimiter=",", fmt="%.9g")

k = 10
X64 = X.astype(np.float64)
nn = NearestNeighbors(n_neighbors=k).fit(X64)
dist, idx = nn.kneighbors(X64)  # the point itself first, as umap-learn's knn
graph, _, _ = fuzzy_simplicial_set(X64, k, 0, "euclidean", knn_indices=idx, knn_dists=dist)
graph = graph.tocoo()
with open(os.path.join(out, "graph_k10.csv"), "w") as f:
    for r, c, w in sorted(zip(graph.row, graph.col, graph.data)):
        f.write("%d,%d,%.9g\n" % (r, c, w))

with open(os.path.join(out, "curves.csv"), "w") as f:
    for spread, min_dist in [(1.0, 0.1), (1.0, 0.0), (2.0, 0.5), (0.5, 0.25), (3.0, 1.0)]:
        a, b = find_ab_params(spread, min_dist)
        f.write("%g,%g,%.9g,%.9g\n" % (spread, min_dist, a, b))

Y = (X64[:, :2] + rng.normal(scale=0.8, size=(len(X64), 2))).astype(np.float32)
np.savetxt(os.path.join(out, "trust.csv"), Y, delimiter=",", fmt="%.9g")
with open(os.path.join(out, "trust_expected.txt"), "w") as f:
    f.write("%.12g\n" % trustworthiness(X64, Y.astype(np.float64), n_neighbors=15))

# transform_graph.csv: umap-learn's transform graph (transform_mode="graph": each new row's
# memberships to its n_neighbors nearest training rows, before the SGD) of transform_rows.csv,
# 12 rows near blobs.csv's, under a UMAP(n_neighbors=10) fitted on blobs.csv (exact distances:
# umap-learn's small-data path). Lines "row,column,weight", nonzero weights only.
import umap
new = (X64[::7][:12] + rng.normal(scale=0.3, size=(12, 4))).astype(np.float32)
new[3] = X[5]  # a training row itself: membership 1
np.savetxt(os.path.join(out, "transform_rows.csv"), new, delimiter=",", fmt="%.9g")
model = umap.UMAP(n_neighbors=10, random_state=0, n_epochs=10).fit(X)
model.transform_mode = "graph"
g = model.transform(new).tocoo()
with open(os.path.join(out, "transform_graph.csv"), "w") as f:
    for r, c, w in sorted(zip(g.row, g.col, g.data)):
        if w > 0:
            f.write("%d,%d,%.9g\n" % (r, c, w))
