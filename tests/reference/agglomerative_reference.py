#!/usr/bin/python3
"""scikit-learn AgglomerativeClustering partitions for tests/engine/test_agglomerative.cpp.

Writes the labels as CSV files (one column per linkage) into the folder given, and prints the
top merge heights of scipy's linkage, which the test compares with ClusterScope's dendrogram."""
import sys
import numpy as np
from scipy.cluster import hierarchy
from sklearn.cluster import AgglomerativeClustering
from sklearn.datasets import load_iris, load_wine, load_digits

out = sys.argv[1]
for name, loader, k in [("iris", load_iris, 3), ("wine", load_wine, 3), ("digits", load_digits, 10)]:
    x = loader().data
    cols = []
    for linkage in ["ward", "complete", "average", "single"]:
        labels = AgglomerativeClustering(n_clusters=k, linkage=linkage).fit_predict(x)
        cols.append(labels)
        z = hierarchy.linkage(x, method=linkage)
        print(name, linkage, "top heights", ", ".join(f"{h:.10g}" for h in z[-3:, 2]))
    np.savetxt(f"{out}/agglomerative_{name}.csv", np.array(cols).T, fmt="%d", delimiter=",",
               header="ward,complete,average,single", comments="")
