#!/usr/bin/env bash
# Re-takes docs/screenshots/16-run-history.png: the Run History window of test_history_window
# (k-means k=3 and a GMM k=3 on wine, then the k-means run repeated), which saves its own grab
# when CLUSTERSCOPE_SHOT names a folder.
# Needs: xvfb, a release build of test_history_window.
set -euo pipefail
cd "$(dirname "$0")/../.."
QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=docs/screenshots \
    xvfb-run -a -s "-screen 0 1280x1024x24" build/release/tests/widgets/test_history_window \
    runsAreKeptFilteredRepeatedAndDeleted
