#!/usr/bin/env bash
# Gaussian-mixture benchmark of docs/performance.md: ClusterScope and scikit-learn on
# Fashion-MNIST 70k -> 50 PCA components, diagonal covariances, k = 10, 20 EM iterations.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench}
mkdir -p "$out"
(cd bench && /usr/bin/python3 gmm_peers.py) > "$out/peers_gmm.jsonl"
build/release/app/cli/clusterscope-cli bench gmm --data /usr/share/datasets/fashion-mnist \
  --pca 50 --k 10 --covariance-type diag --max-iter 20 --tol 0 --repeat 3 --quiet \
  --out "$out/clusterscope_gmm.json"
echo "results in $out"
