#!/usr/bin/env bash
# Re-takes docs/screenshots/14-compare-agreement.png and 15-compare-alluvial.png: the Compare
# Runs window of test_compare_window (k-means k=3, a GMM k=3 and k-means k=5 on wine), which
# saves its own grabs when CLUSTERSCOPE_SHOT names a folder.
# Needs: xvfb, a release build of test_compare_window.
set -euo pipefail
cd "$(dirname "$0")/../.."
QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=docs/screenshots \
    xvfb-run -a -s "-screen 0 1280x1024x24" build/release/tests/widgets/test_compare_window
