#!/usr/bin/env bash
# Classic-suite benchmarks of docs/performance.md: HDBSCAN*, Leiden, FasterPAM, spectral and
# mini-batch k-means, ClusterScope and its peers on the same machine, the same BLAS kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench}
mkdir -p "$out"
source bench/blas_env.sh
cli=build/release/app/cli/clusterscope-cli
fashion=/usr/share/datasets/fashion-mnist
bench() { local name=$1; shift; $cli bench "$@" --repeat 3 --quiet --out "$out/clusterscope_$name.json"; }
bench hdbscan hdbscan --data $fashion --pca 50 --pca-solver randomized
bench hdbscan_mcs100 hdbscan --data $fashion --pca 50 --pca-solver randomized --min-cluster-size 100
bench leiden leiden --data $fashion --pca 50 --pca-solver randomized
bench kmedoids kmedoids --data $fashion --subset 20000 --pca 50 --k 10
bench spectral spectral --data $fashion/t10k-images-idx3-ubyte.gz --scaling scale01 --pca 50 --k 10
bench minibatch minibatch_kmeans --data $fashion --scaling scale01 --k 10
(cd bench && /usr/bin/python3 classic_peers.py) > "$out/peers_classic.jsonl"
echo "results in $out"
