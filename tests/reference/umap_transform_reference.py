"""Fixture for test_umap's transform checks, from umap-learn 0.5.3 and scikit-learn (Debian 12).

scikit-learn's digits (the same rows as resources/demo/digits.csv.gz), split by row number:
rows with index % 5 == 0 held out (360), the others trained on (1437). For seeds 0..4,
umap.UMAP(random_state=seed) is fitted on the training rows and transforms the held-out rows; a
10-NN classifier (KNeighborsClassifier(10)) fitted on the 2-D training map with the training
labels classifies the held-out rows' 2-D places. Writes tests/data/umap/transform_digits.csv:
  seed,accuracy      one line per seed
and, for seeds 0..2, UMAP(random_state=seed, n_epochs=200) fitted on the training rows, which
then transforms them again (reversed, so that umap-learn's same-input shortcut does not return
the fit itself): the mean share of each row's 11 nearest map rows around its own place that
are also the 11 nearest around its new place, in tests/data/umap/transform_overlap.csv:
  seed,overlap
Run: python3 tests/reference/umap_transform_reference.py
"""
import os
import numpy as np
import umap
from sklearn.datasets import load_digits
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

out = os.path.join(os.path.dirname(__file__), "..", "data", "umap", "transform_digits.csv")
X, y = load_digits(return_X_y=True)
X = X.astype(np.float32)
held = np.arange(len(X)) % 5 == 0
with open(out, "w") as f:
    for seed in range(5):
        model = umap.UMAP(random_state=seed).fit(X[~held])
        placed = model.transform(X[held])
        knn = KNeighborsClassifier(n_neighbors=10).fit(model.embedding_, y[~held])
        f.write("%d,%.6f\n" % (seed, knn.score(placed, y[held])))

out = os.path.join(os.path.dirname(__file__), "..", "data", "umap", "transform_overlap.csv")
train = X[~held]
with open(out, "w") as f:
    for seed in range(3):
        model = umap.UMAP(random_state=seed, n_epochs=200).fit(train)
        order = np.arange(len(train))[::-1]
        placed = model.transform(train[order])[np.argsort(order)]
        nn = NearestNeighbors(n_neighbors=11).fit(model.embedding_)
        own = nn.kneighbors(model.embedding_, return_distance=False)
        new = nn.kneighbors(placed, return_distance=False)
        overlap = np.mean([len(set(a) & set(b)) / 11.0 for a, b in zip(own, new)])
        f.write("%d,%.6f\n" % (seed, overlap))
