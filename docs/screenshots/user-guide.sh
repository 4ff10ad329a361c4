#!/usr/bin/env bash
# Re-takes docs/screenshots/17-user-guide.png (Help > User Guide), 18-preferences.png
# (File > Preferences) and 19-import.png (the import step) as test_main_window and
# test_import_window open them, which save their own grabs when CLUSTERSCOPE_SHOT names a
# folder.
# Needs: xvfb, a release build of test_main_window and test_import_window.
set -euo pipefail
cd "$(dirname "$0")/../.."
QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=docs/screenshots \
    xvfb-run -a -s "-screen 0 1280x1024x24" build/release/tests/widgets/test_main_window \
    userGuideOpensWithItsPictures preferencesApplyAndPersist
QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=docs/screenshots \
    xvfb-run -a -s "-screen 0 1280x1024x24" build/release/tests/widgets/test_import_window \
    tableWithTextClassesAndMissingValuesOpensThroughTheDialog
