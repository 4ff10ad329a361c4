"""Fixtures for tests/engine/test_tsne.cpp, from scikit-learn 1.2 (Debian 12).

Writes tests/data/tsne/:
  blobs.csv            80 x 4 float rows: three Gaussian blobs (seeded)
  conditional_p10.csv  p(j|i) of blobs.csv at perplexity 10 over each row's 31 nearest
                       neighbours (nearest first), from _utils._binary_search_perplexity;
                       neighbors_p10.csv holds those neighbours
  joint_p10.csv        _joint_probabilities_nn of the same, as "row,column,value" lines
  joint_exact_p10.csv  _joint_probabilities (method exact) of blobs.csv, "row,column,value", i < j
  expected.txt         "name value" lines: the KL divergence of TSNE(perplexity=10,
                       random_state=0) on blobs.csv; of TSNE(random_state=0) on the digits; and
                       the trustworthiness (k = 15) of the latter
Run: python3 tests/reference/tsne_reference.py
"""
import gzip
import os
import numpy as np
from scipy.sparse import csr_matrix
from scipy.spatial.distance import pdist, squareform
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold import _utils
from sklearn.manifold._t_sne import _joint_probabilities, _joint_probabilities_nn
from sklearn.neighbors import NearestNeighbors

here = os.path.dirname(__file__)
out = os.path.join(here, "..", "data", "tsne")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(11)
centres = np.array([[0, 0, 0, 0], [6, 0, 3, 0], [0, 7, 0, -4]], float)
X = np.vstack([c + rng.normal(size=(n, 4)) for c, n in zip(centres, (30, 30, 20))]).astype(np.float32)
np.savetxt(os.path.join(out, "blobs.csv"), X, delimiter=",", fmt="%.9g")

perplexity = 10.0
k = min(len(X) - 1, int(3.0 * perplexity + 1))
nn = NearestNeighbors(n_neighbors=k).fit(X)
dist = nn.kneighbors_graph(mode="distance")  # CSR, the point itself left out, as TSNE._fit
dist.sort_indices()
_, idx = nn.kneighbors()  # the same neighbours, nearest first
sq = np.array([np.sort(dist[i].data) for i in range(len(X))], dtype=np.float32) ** 2
cond = _utils._binary_search_perplexity(sq.astype(np.float32), perplexity, 0)
np.savetxt(os.path.join(out, "conditional_p10.csv"), cond, delimiter=",", fmt="%.12g")
np.savetxt(os.path.join(out, "neighbors_p10.csv"), idx, delimiter=",", fmt="%d")

d = dist.copy()
d.data **= 2
P = _joint_probabilities_nn(d, perplexity, 0).tocoo()
with open(os.path.join(out, "joint_p10.csv"), "w") as f:
    for r, c, v in sorted(zip(P.row, P.col, P.data)):
        f.write("%d,%d,%.12g\n" % (r, c, v))

Pe = _joint_probabilities(squareform(pdist(X.astype(np.float64), "sqeuclidean")), perplexity, 0)
n = len(X)
with open(os.path.join(out, "joint_exact_p10.csv"), "w") as f:
    e = 0
    for i in range(n):
        for j in range(i + 1, n):
            f.write("%d,%d,%.12g\n" % (i, j, Pe[e]))
            e += 1

blobs_kl = TSNE(perplexity=perplexity, random_state=0).fit(X).kl_divergence_
with gzip.open(os.path.join(here, "..", "..", "resources", "demo", "digits.csv.gz"), "rt") as f:
    digits = np.loadtxt(f, delimiter=",", skiprows=1)[:, :-1].astype(np.float32)
t = TSNE(random_state=0, init="pca")
Y = t.fit_transform(digits)
with open(os.path.join(out, "expected.txt"), "w") as f:
    f.write("blobs_kl %.9g\n" % blobs_kl)
    f.write("digits_kl %.9g\n" % t.kl_divergence_)
    f.write("digits_trustworthiness %.9g\n" % trustworthiness(digits, Y, n_neighbors=15))
