#!/usr/bin/env bash
# Runs every test: installs what is missing (Debian packages, and the Hugging
# Face tokenizers npm package used as the reference), builds, then runs the
# GoogleTest suite, the Python tests and the live HF comparison under CTest,
# and the GoogleTest suite again under AddressSanitizer, UBSan and (its
# multi-threaded tests) ThreadSanitizer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
# Without the npm package the live comparison is skipped; the golden files
# still check the same behaviour.
bash scripts/hf/install.sh || echo "test.sh: HF tokenizers not installed; live comparison will be skipped" >&2
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"

# The same suite built with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), and the multi-threaded tests under
# ThreadSanitizer (build-tsan/). TOKFORGE_SANITIZERS=0 skips both.
if [[ "${TOKFORGE_SANITIZERS:-1}" != 0 ]]; then
  bash scripts/sanitizers.sh asan tsan
fi
