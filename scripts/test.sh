#!/usr/bin/env bash
# Runs every test: installs what is missing (Debian packages, and the Hugging
# Face tokenizers npm package used as the reference), builds, then runs the
# GoogleTest suite, the Python tests and the live HF comparison under CTest,
# the GoogleTest suite again under AddressSanitizer, UBSan and (its
# multi-threaded tests) ThreadSanitizer, and every libFuzzer target for a
# bounded time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
# Without the npm package the live comparison is skipped; the golden files
# still check the same behaviour.
bash scripts/hf/install.sh || echo "test.sh: HF tokenizers not installed; live comparison will be skipped" >&2
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"

# The same suite built with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), the multi-threaded tests under
# ThreadSanitizer (build-tsan/), then each fuzz target, built in build-asan/
# by the asan step, for FUZZ_SECONDS seconds (15 here) after replaying its
# regression inputs. TOKFORGE_SANITIZERS=0 skips all three.
if [[ "${TOKFORGE_SANITIZERS:-1}" != 0 ]]; then
  FUZZ_SECONDS=${FUZZ_SECONDS:-15} bash scripts/sanitizers.sh asan tsan fuzz
fi
