#!/usr/bin/env bash
# Re-takes the screenshot of the walkthrough's UMAP step: the real main window, driven by
# test_embedding_window's clusterThisEmbedding (UMAP of the digits, then k-means on it), which
# colours the map by true label and waits when CLUSTERSCOPE_SHOT names a folder.
# Needs: xvfb, imagemagick, a release build of test_embedding_window.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/screenshots
shots=$(mktemp -d)
Xvfb :96 -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$shots"' EXIT
export DISPLAY=:96 QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=$shots
sleep 1
build/release/tests/widgets/test_embedding_window clusterThisEmbedding &
test=$!
for _ in $(seq 600); do [ -e "$shots/ready" ] && break; sleep 0.2; done
import -window root -crop 1280x800+0+0 "$out/6-umap-digits.png"
wait $test
