#!/usr/bin/python3
"""scikit-learn's Ward clustering on 20k Fashion-MNIST rows reduced to 50 PCA components
(the first 20k of the 70k, in file order), for docs/performance.md."""
import json, time
from threadpoolctl import threadpool_limits
from kmeans_peers import fashion

with threadpool_limits(limits=2):
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.decomposition import PCA
    x = PCA(50, svd_solver="full").fit_transform(fashion()[:20000])
    t = time.perf_counter()
    AgglomerativeClustering(n_clusters=10, linkage="ward").fit(x)
    print(json.dumps({"peer": "sklearn-ward", "rows": 20000, "seconds": time.perf_counter() - t}))
