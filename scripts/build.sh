#!/usr/bin/env bash
# Configures and builds the release preset (the one the README's commands use) with ccache.
set -euo pipefail
cd "$(dirname "$0")/.."
# Paths below the checkout's parent are hashed relative, so clones share one ccache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(cd .. && pwd)}"
cmake --preset release "$@" >/dev/null
cmake --build --preset release
