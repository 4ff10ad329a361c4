#!/usr/bin/env bash
# Re-takes the walkthrough's Fashion-MNIST HCHC shots: the real main window, driven by
# test_layout_window's fashionCentreSelectedForTheDocs (GMM on 50 principal components of the
# 10,000 test images, laid out on its Hamiltonian cycle and coloured by true label; then a box
# round the layout's centre). Needs: xvfb, imagemagick, dataset-fashion-mnist, a release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/screenshots
shots=$(mktemp -d)
Xvfb :96 -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$shots"' EXIT
# GLDC trains for minutes on a loaded machine: longer than QtTest's 5-minute default.
export DISPLAY=:96 QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=$shots QTEST_FUNCTION_TIMEOUT=1800000
sleep 1
build/release/tests/widgets/test_layout_window fashionCentreSelectedForTheDocs &
test=$!
for name in layout centre; do
  for _ in $(seq 9000); do [ -e "$shots/$name" ] && break; sleep 0.2; done
  import -window root -crop 1280x800+0+0 "$out/11-hchc-fashion-$name.png"
done
wait $test
