#!/usr/bin/env bash
# Installs the Debian packages tokforge builds and tests with. Safe to re-run:
# apt-get is only called when a package is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config time bc
  libicu-dev libabsl-dev libre2-dev nlohmann-json3-dev zlib1g-dev libzstd-dev libxxhash-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-dev pybind11-dev python3-pytest python3-distributed jupyter-nbconvert python3-ipykernel
  # scripts/sanitizers.sh: clang with its sanitizer and libFuzzer runtimes,
  # and zstd for the bad-input tests.
  clang libclang-rt-14-dev zstd
)

# Node.js only runs the reference checks against HF tokenizers; a machine that
# already has node (from Debian or elsewhere) keeps it.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
