#!/usr/bin/env bash
# Configures and builds the release preset (the one the README's commands use) with ccache.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release "$@" >/dev/null
cmake --build --preset release
