#!/usr/bin/env bash
# Re-takes the walkthrough's explanation shot: the real main window, driven by
# test_explanation_window's wineExplanationForTheDocs (k-means on the standardised wine table,
# its clusters described by polyhedral descriptions, the third chosen; then its rule over two
# features). Needs: xvfb,
# imagemagick, a release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/screenshots
shots=$(mktemp -d)
Xvfb :95 -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$shots"' EXIT
export DISPLAY=:95 QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=$shots
sleep 1
build/release/tests/widgets/test_explanation_window wineExplanationForTheDocs &
test=$!
for name in explanation rule profile; do
  for _ in $(seq 1500); do [ -e "$shots/$name" ] && break; sleep 0.2; done
  import -window root -crop 1280x800+0+0 "$out/12-explanation$([ $name = explanation ] || echo "-$name").png"
done
wait $test
cp "$shots/figure.png" "$out/12-explanation-figure.png" # Export Figure of the Two Features tab
