#!/usr/bin/env bash
# Rebuilds data/golden_corpus/, the small training corpus behind tests/golden/, from sources
# on a developer machine. Tests need only the committed corpus. The excerpts are whole lines
# from the start of each source, so their bytes (including CRLF) are unchanged.
set -euo pipefail
export LC_ALL=C

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"

# Sources. Override any of them from the environment.
PYTHON_LIB_DIR="${PYTHON_LIB_DIR:-/usr/lib/python3.11}"
PYTHON_MODULES=(textwrap shlex fnmatch)
FRENCH_SOURCE="${FRENCH_SOURCE:-/work/shared/data/corpora/fr/nouvelles19/nd0011.txt}"
FRENCH_MAX_BYTES="${FRENCH_MAX_BYTES:-60000}"
KOREAN_SOURCE="${KOREAN_SOURCE:-/work/shared/data/corpora/ko/ChatbotData.csv}"
KOREAN_MAX_BYTES="${KOREAN_MAX_BYTES:-40000}"
CORPUS_DIR="${CORPUS_DIR:-$repo_root/data/golden_corpus}"

fail() {
  echo "make_golden_corpus.sh: $*" >&2
  exit 1
}

require_file() {
  [[ -f "$1" ]] || fail "source file $1 not found; set $2 to its location"
}

# Copies the longest run of whole lines from the start of $1 that fits in $2 bytes.
write_excerpt() {
  local source="$1" max_bytes="$2" destination="$3"
  awk -v max_bytes="$max_bytes" '
    { size = length($0) + 1 }
    total + size > max_bytes { exit }
    { total += size; print }
  ' "$source" >"$destination"
  [[ -s "$destination" ]] || fail "no whole line of $source fits in $max_bytes bytes"
}

for module in "${PYTHON_MODULES[@]}"; do
  require_file "$PYTHON_LIB_DIR/$module.py" PYTHON_LIB_DIR
done
require_file "$FRENCH_SOURCE" FRENCH_SOURCE
require_file "$KOREAN_SOURCE" KOREAN_SOURCE
command -v node >/dev/null 2>&1 || fail "node not found on PATH; install Node.js"

mkdir -p "$CORPUS_DIR"
for module in "${PYTHON_MODULES[@]}"; do
  cp "$PYTHON_LIB_DIR/$module.py" "$CORPUS_DIR/py_$module.txt"
done
write_excerpt "$FRENCH_SOURCE" "$FRENCH_MAX_BYTES" "$CORPUS_DIR/fr_gautier_morte_amoureuse.txt"
write_excerpt "$KOREAN_SOURCE" "$KOREAN_MAX_BYTES" "$CORPUS_DIR/ko_chatbot_data.txt"
node "$script_dir/adversarial.js" >"$CORPUS_DIR/adversarial.txt"

echo "make_golden_corpus.sh: wrote $CORPUS_DIR" >&2
du -b "$CORPUS_DIR"/*.txt >&2
