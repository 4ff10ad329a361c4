#!/usr/bin/env bash
# Quick start, part 2: set up, build, and run the whole test suite under a virtual X server.
# GL widgets need a real X connection: Qt's offscreen platform cannot host a QOpenGLWidget.
#
# Without arguments (CI: .ci/run) it first runs the lanes of scripts/ci-lanes.sh (fuzz, the
# engine and CLI suites under ASan + UBSan, the job runner's and session's suites under TSan,
# the .deb built, checked, installed and run),
# then the release suite, whose CTest summary stays the closing output; a failed lane still
# fails the run. Arguments go to ctest and skip the lanes (e.g. -R loaders); CLUSTERSCOPE_LANES
# picks lanes ("fuzz asan tsan package"), CLUSTERSCOPE_LANES=none skips them. Lane times:
# docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh

lanes=${CLUSTERSCOPE_LANES:-}
if [[ -z "$lanes" && $# -eq 0 ]]; then
    lanes="fuzz asan tsan package"
fi
lanes_failed=0
if [[ -n "$lanes" && "$lanes" != none ]]; then
    # shellcheck disable=SC2086
    bash scripts/ci-lanes.sh $lanes || lanes_failed=1
fi

export QT_QPA_PLATFORM=xcb
status=0
# Two suites at a time (CLUSTERSCOPE_JOBS): the timing-bound and window suites are RUN_SERIAL.
xvfb-run -a -s "-screen 0 1280x1024x24" ctest --preset release -j"${CLUSTERSCOPE_JOBS:-2}" "$@" ||
    status=$?
if ((lanes_failed)); then
    echo "FAILED: a fuzz or sanitizer lane failed (its report and the lanes' summary are above)"
    exit 1
fi
exit $status
