#!/usr/bin/env bash
# Deep clustering results of docs/results.md on Fashion-MNIST 70k / 255, k = 10, SEEDS (0 1 2).
# By default the seeds share one cached pretraining (pretrain seed PRETRAIN_SEED, 0); with
# PRETRAIN_SEED=each every seed pretrains its own autoencoder from pretrain seed = seed, which is
# the spread that matters (issue 22). Each seed has its own k-means start and clustering-phase
# batch order (and, for DEPICT, dropout masks). Records with the training history land in
# OUT/deep_<method>_<seed>.run.json; training resumes from OUT/*.ckpt.
#
#   bash bench/deep.sh OUT                      AE + k-means, DEC and IDEC: Adam 1e-3, 40 epochs
#   PRETRAIN_OPTIMIZER=sgd PRETRAIN_LR=1 EPOCHS=50 METHODS="ae_kmeans dec" bash bench/deep.sh OUT
#   SEEDS="0 1 2 3 4" PRETRAIN_SEED=each bash bench/deep.sh OUT   five independent pretrainings
#   METHODS=depict bash bench/deep.sh OUT       DEPICT, DEPICT_PRETRAIN + 1 + DEPICT_EPOCHS epochs
#   METHODS=n2d bash bench/deep.sh OUT          N2D: the same autoencoder, UMAP to 10-D, a GMM
#   METHODS=gldc bash bench/deep.sh OUT         GLDC: its own autoencoder (5-D, Adam 2e-3, batch
#                                               128, GLDC_PRETRAIN epochs, 30) and GLDC_EPOCHS (20)
# KMEANS_RESTARTS (20) sets the k-means restarts of every method's start; CLI another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench}
epochs=${EPOCHS:-40}
optimizer=${PRETRAIN_OPTIMIZER:-adam}
lr=${PRETRAIN_LR:-0.001}
maxiter=${MAXITER:-6000} # clustering batches for DEC and IDEC (DEC-keras allows 20000)
mkdir -p "$out"
cli=${CLI:-build/release/app/cli/clusterscope-cli}
for method in ${METHODS:-ae_kmeans dec idec}; do
  case $method in
  depict) # its convolutions run on LibTorch's threads (docs/performance.md)
    extra=(--pretrain-epochs "${DEPICT_PRETRAIN:-5}" --init-epochs 1 --epochs "${DEPICT_EPOCHS:-5}"
      --torch-threads 2 --blas-threads 1 --kmeans-restarts "${KMEANS_RESTARTS:-20}") ;;
  gldc) # its authors' autoencoder recipe, the schema's defaults
    extra=(--pretrain-epochs "${GLDC_PRETRAIN:-30}" --epochs "${GLDC_EPOCHS:-20}"
      --kmeans-restarts "${KMEANS_RESTARTS:-20}") ;;
  n2d) # its manifold is clustered by a mixture, not k-means
    extra=(--pretrain-epochs "$epochs" --pretrain-optimizer "$optimizer" --pretrain-lr "$lr") ;;
  *)
    extra=(--pretrain-epochs "$epochs" --pretrain-optimizer "$optimizer" --pretrain-lr "$lr"
      --kmeans-restarts "${KMEANS_RESTARTS:-20}")
    [ "$method" = ae_kmeans ] || extra+=(--max-iter "$maxiter") ;;
  esac
  for seed in ${SEEDS:-0 1 2}; do
    pretrain_seed=${PRETRAIN_SEED:-0}
    [ "$pretrain_seed" = each ] && pretrain_seed=$seed
    $cli run --method $method "${extra[@]}" --data /usr/share/datasets/fashion-mnist \
      --scaling scale01 --k 10 --seed $seed --pretrain-seed "$pretrain_seed" \
      --cache-dir "$out/autoencoders" \
      --checkpoint "$out/deep_${method}_${seed}.ckpt" --out "$out/deep_${method}_${seed}.csv" \
      --metrics "$out/deep_${method}_${seed}.metrics.json" \
      --record "$out/deep_${method}_${seed}.run.json" --history off --quiet
  done
done
echo "results in $out"
