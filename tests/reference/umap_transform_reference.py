"""Fixture for test_umap's transform checks, from umap-learn 0.5.3 and scikit-learn (Debian 12).

scikit-learn's digits (the same rows as resources/demo/digits.csv.gz), split by row number:
rows with index % 5 == 0 held out (360), the others trained on (1437). For seeds 0..4,
umap.UMAP(random_state=seed) is fitted on the training rows and transforms the held-out rows; a
10-NN classifier (KNeighborsClassifier(10)) fitted on the 2-D training map with the training
labels classifies the held-out rows' 2-D places. Writes tests/data/umap/transform_digits.csv:
  seed,accuracy      one line per seed
Run: python3 tests/reference/umap_transform_reference.py
"""
import os
import numpy as np
import umap
from sklearn.datasets import load_digits
from sklearn.neighbors import KNeighborsClassifier

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
