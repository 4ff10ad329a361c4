#!/usr/bin/env bash
# Re-takes the screenshot of the walkthrough's layout step: the real main window, driven by
# test_layout_window's gmmRunLaidOutAndLinked (GMM k=10 on the digits, laid out in the Layout
# dock on its Hamiltonian cycle), which colours by true label and waits when CLUSTERSCOPE_SHOT
# names a folder.
# Needs: xvfb, imagemagick, a release build of test_layout_window.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/screenshots
shots=$(mktemp -d)
Xvfb :97 -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$shots"' EXIT
export DISPLAY=:97 QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=$shots
sleep 1
build/release/tests/widgets/test_layout_window gmmRunLaidOutAndLinked &
test=$!
for _ in $(seq 600); do [ -e "$shots/ready" ] && break; sleep 0.2; done
import -window root -crop 1280x800+0+0 "$out/7-hchc-digits.png"
wait $test
