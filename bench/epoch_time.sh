#!/usr/bin/env bash
# Epoch times of docs/results.md, side by side on the same machine: ClusterScope's autoencoder
# pretraining, DEC and IDEC epochs against bench/ae_epoch.py (Debian's python3-torch, 1 intra-op
# thread, OpenBLAS's own threads, the same kernels). Writes OUT/epoch_time.json.
# DEVICE=cuda times both on a GPU (a CUDA LibTorch and PyTorch); MIXED=true adds ClusterScope's
# mixed precision there.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench}
epochs=${EPOCHS:-3}
mkdir -p "$out"
source bench/blas_env.sh
cli=${CLI:-build/release/app/cli/clusterscope-cli}
device=${DEVICE:-cpu}
# Each method with EPOCHS pretraining epochs (not cached) and EPOCHS clustering epochs of 274
# batches, one target update on all rows per epoch: the record's history holds the seconds of
# every pretraining epoch and of every clustering epoch (the one extra batch closes the last).
for method in dec idec; do
  lr=0.01 optimizer=sgd
  [ $method = idec ] && lr=0.001 optimizer=adam
  $cli run --method $method --data /usr/share/datasets/fashion-mnist --scaling scale01 --k 10 \
    --pretrain-epochs "$epochs" --cache false --optimizer $optimizer --lr $lr \
    --update-interval 274 --max-iter $((274 * epochs + 1)) --tol 0 \
    --device "$device" --mixed-precision "${MIXED:-false}" \
    --out "$out/epoch_time_$method.csv" --record "$out/epoch_time_$method.run.json" --quiet
done
(cd bench && for mode in pretrain dec idec; do /usr/bin/python3 ae_epoch.py --epochs "$epochs" --mode $mode --device "$device"; done) |
  grep '^{' > "$out/epoch_time_pytorch.jsonl"
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
runs = {m: json.load(open(f"{out}/epoch_time_{m}.run.json"))["history"] for m in ("dec", "idec")}
ours = {"pretrain": runs["dec"]["pretrain_seconds"] + runs["idec"]["pretrain_seconds"],
        "dec": runs["dec"]["seconds"], "idec": runs["idec"]["seconds"]}
theirs = {r["mode"]: r["seconds"] for r in map(json.loads, open(f"{out}/epoch_time_pytorch.jsonl"))}
table = {m: {"clusterscope_s": ours[m], "pytorch_s": theirs[m],
             "clusterscope_median_s": statistics.median(ours[m]),
             "pytorch_median_s": statistics.median(theirs[m])} for m in ours}
json.dump(table, open(f"{out}/epoch_time.json", "w"), indent=2)
for m, r in table.items():
    print(f"{m:9s} clusterscope {r['clusterscope_median_s']:6.2f} s   pytorch {r['pytorch_median_s']:6.2f} s")
PY
