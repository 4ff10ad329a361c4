#!/usr/bin/env bash
# Re-takes the walkthrough's Fashion-MNIST screenshots: the real main window, driven by
# test_embedding_window's fashionMapsForTheDocs, opens the 10k test images, computes UMAP and
# t-SNE with their defaults and shows PCA, UMAP and t-SNE coloured by true label.
# Needs: xvfb, imagemagick, dataset-fashion-mnist, a release build of test_embedding_window.
set -euo pipefail
cd "$(dirname "$0")/../.."
Xvfb :97 -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=:97 QT_QPA_PLATFORM=xcb CLUSTERSCOPE_FASHION_SHOT=$PWD/docs/screenshots \
  build/release/tests/widgets/test_embedding_window fashionMapsForTheDocs
