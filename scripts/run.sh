#!/usr/bin/env bash
# Quick start, part 1: set up, build, and open ClusterScope on its bundled demo dataset.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
demo=resources/demo/digits.csv.gz
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec build/release/app/gui/clusterscope "$demo"
fi
echo "run: no display here (DISPLAY is unset), so here is the same demo from the command line."
echo "     On a desktop session, this script opens the window instead."
exec build/release/app/cli/clusterscope-cli run --data "$demo" --method kmeans --k 10 --seed 0
