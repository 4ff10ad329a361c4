#!/usr/bin/env bash
# Deep clustering results of docs/results.md: AE + k-means, DEC and IDEC on Fashion-MNIST 70k / 255,
# k = 10, seeds 0-2. The seeds share one cached pretraining (pretrain seed 0, Adam 1e-3, batch
# 256, EPOCHS epochs); each seed has its own k-means start and clustering-phase batch order.
# Records (with the training history) land in OUT/deep_<method>_<seed>.run.json. Training resumes
# from OUT/*.ckpt when interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench}
epochs=${EPOCHS:-40}
maxiter=${MAXITER:-6000} # clustering batches for DEC and IDEC (DEC-keras allows 20000)
mkdir -p "$out"
cli=build/release/app/cli/clusterscope-cli
for method in ae_kmeans dec idec; do
  extra=()
  [ "$method" = ae_kmeans ] || extra=(--max-iter "$maxiter")
  for seed in 0 1 2; do
    $cli run --method $method "${extra[@]}" --data /usr/share/datasets/fashion-mnist --scaling scale01 \
      --k 10 --seed $seed --pretrain-seed 0 --pretrain-epochs "$epochs" \
      --cache-dir "$out/autoencoders" --checkpoint "$out/deep_${method}_${seed}.ckpt" \
      --out "$out/deep_${method}_${seed}.csv" --metrics "$out/deep_${method}_${seed}.metrics.json" \
      --record "$out/deep_${method}_${seed}.run.json" --quiet
  done
done
echo "results in $out"
