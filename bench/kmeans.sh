#!/usr/bin/env bash
# The k-means benchmark of docs/performance.md: ClusterScope and its peers (scikit-learn Lloyd
# and Elkan, Faiss) on the same data, the same iteration count and the same 2 threads.
# Usage: bench/kmeans.sh [OUTDIR]   (needs a release build: scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench}
mkdir -p "$out"
cli=build/release/app/cli/clusterscope-cli
blobs=/tmp/clusterscope-blobs-1m-32.npy
iters=20

# Peers first: the blobs workload also writes the .npy that ClusterScope reads.
/usr/bin/python3 bench/kmeans_peers.py --data fashion --k 10 --iterations $iters --seeds 3 \
  --blobs-path "$blobs" > "$out/peers_fashion.jsonl"
/usr/bin/python3 bench/kmeans_peers.py --data blobs --k 64 --iterations $iters --seeds 3 \
  --blobs-path "$blobs" > "$out/peers_blobs.jsonl"

for threads in "1 2" "2 1" "2 2"; do
  set -- $threads
  tag="torch$1-blas$2"
  "$cli" bench kmeans --data /usr/share/datasets/fashion-mnist --k 10 --max-iter $iters --tol 0 \
    --repeat 3 --torch-threads "$1" --blas-threads "$2" --quiet --out "$out/clusterscope_fashion_$tag.json"
  "$cli" bench kmeans --data "$blobs" --k 64 --max-iter $iters --tol 0 \
    --repeat 3 --torch-threads "$1" --blas-threads "$2" --quiet --out "$out/clusterscope_blobs_$tag.json"
done
echo "results in $out"
