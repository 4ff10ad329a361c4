#!/usr/bin/env bash
# Re-takes docs/screenshots/17-user-guide.png: Help > User Guide as test_main_window opens it,
# which saves its own grab when CLUSTERSCOPE_SHOT names a folder.
# Needs: xvfb, a release build of test_main_window.
set -euo pipefail
cd "$(dirname "$0")/../.."
QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=docs/screenshots \
    xvfb-run -a -s "-screen 0 1280x1024x24" build/release/tests/widgets/test_main_window \
    userGuideOpensWithItsPictures
