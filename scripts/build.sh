#!/usr/bin/env bash
# Configures and builds tokforge (Release, warnings on) into build/.
# Usage: scripts/build.sh [extra cmake -D options]
# TOKFORGE_TARGETS, when set, names the targets to build (default: all).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPython3_EXECUTABLE=/usr/bin/python3 "$@" > build.log 2>&1 || {
  cat build.log >&2
  echo "build.sh: cmake configuration failed (log above)" >&2
  exit 1
}
# shellcheck disable=SC2086  # the target list is split on purpose
cmake --build build -j "$(nproc)" ${TOKFORGE_TARGETS:+--target $TOKFORGE_TARGETS}
