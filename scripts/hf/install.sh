#!/usr/bin/env bash
# Installs the pinned Hugging Face tokenizers npm package into scripts/hf/node_modules.
# Safe to re-run: npm is only called when the package is missing or has another version.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
expected_version="0.23.2"
package_json="$script_dir/node_modules/tokenizers/package.json"

require_tool() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "install.sh: $1 not found on PATH; install Node.js and npm (scripts/setup.sh does this on Debian) and re-run" >&2
    exit 1
  fi
}

read_installed_version() {
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$package_json"
}

require_tool node
installed_version=""
if [[ -f "$package_json" ]]; then
  installed_version="$(read_installed_version)"
fi
if [[ "$installed_version" == "$expected_version" ]]; then
  exit 0
fi

require_tool npm
if [[ -n "$installed_version" ]]; then
  echo "install.sh: found tokenizers $installed_version, reinstalling $expected_version" >&2
else
  echo "install.sh: installing tokenizers $expected_version into $script_dir/node_modules" >&2
fi

cd "$script_dir"
if ! npm install --no-audit --no-fund; then
  echo "install.sh: npm install failed in $script_dir; check access to the npm registry and re-run" >&2
  exit 1
fi

installed_version="$(read_installed_version)"
if [[ "$installed_version" != "$expected_version" ]]; then
  echo "install.sh: npm installed tokenizers $installed_version, expected $expected_version" >&2
  exit 1
fi
