#!/usr/bin/env bash
# Epoch times of docs/results.md, side by side on the same machine: ClusterScope's autoencoder
# pretraining and DEC epochs against bench/ae_epoch.py (Debian's python3-torch, 1 intra-op
# thread, OpenBLAS's own threads, the same kernels).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench}
mkdir -p "$out"
source bench/blas_env.sh
cli=build/release/app/cli/clusterscope-cli
# DEC with 3 pretraining epochs and 548 clustering batches (two epochs of 274) at one target update
# every 274 batches: the record's history holds seconds per pretraining epoch and per update.
$cli run --method dec --data /usr/share/datasets/fashion-mnist --scaling scale01 --k 10 \
  --pretrain-epochs 3 --cache no --update-interval 274 --max-iter 822 --tol 0 \
  --out "$out/epoch_time.csv" --record "$out/epoch_time.run.json" --quiet
(cd bench && /usr/bin/python3 ae_epoch.py --epochs 3 && /usr/bin/python3 ae_epoch.py --epochs 3 --dec) \
  > "$out/epoch_time_pytorch.txt"
cat "$out/epoch_time_pytorch.txt"
/usr/bin/python3 -c "import json,sys; h=json.load(open('$out/epoch_time.run.json'))['history']; print('clusterscope pretrain', h['pretrain_seconds']); print('clusterscope dec (per 274 batches, incl. one full Q pass)', h['seconds'])"
