#!/usr/bin/env bash
# Quick start, part 2: set up, build, and run the whole test suite under a virtual X server.
# GL widgets need a real X connection: Qt's offscreen platform cannot host a QOpenGLWidget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
export QT_QPA_PLATFORM=xcb
exec xvfb-run -a -s "-screen 0 1280x1024x24" ctest --preset release "$@"
