#!/usr/bin/env bash
# Re-takes docs/screenshots/17-user-guide.png (Help > User Guide), 18-preferences.png
# (File > Preferences), 19-import.png (the import step), and the figure dialog with the figures
# it exports by default at 20 and 40 clusters (20-figure-dialog-k*.png, figure-k*.{png,pdf,svg}),
# and 21-selection.png (a lasso's selection, ringed)
# as test_main_window, test_import_window and test_figure_window open them, which save their
# own grabs when CLUSTERSCOPE_SHOT names a folder.
# Needs: xvfb, a release build of those three tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=docs/screenshots \
    xvfb-run -a -s "-screen 0 1280x1024x24" build/release/tests/widgets/test_main_window \
    userGuideOpensWithItsPictures preferencesApplyAndPersist aLassoNamedAsACluster
QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=docs/screenshots \
    xvfb-run -a -s "-screen 0 1280x1024x24" build/release/tests/widgets/test_import_window \
    tableWithTextClassesAndMissingValuesOpensThroughTheDialog
QT_QPA_PLATFORM=xcb CLUSTERSCOPE_SHOT=docs/screenshots \
    xvfb-run -a -s "-screen 0 1280x1024x24" build/release/tests/widgets/test_figure_window \
    defaultsMakeAPaperFigure
