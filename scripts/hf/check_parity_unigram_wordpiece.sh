#!/usr/bin/env bash
# Live differential check of the Unigram and WordPiece tokenizers in data/tokenizers/ against
# Hugging Face tokenizers 0.23.2. It runs scripts/parity.sh for t5/tokenizer.json,
# t5/spiece.model (against HF on t5/tokenizer.json), camembert and bert-base-uncased. The
# inputs are the golden corpus, a sample of the Python standard library, and any extra files
# or directories given (their *.txt, *.csv and *.py files).
#
# usage: scripts/hf/check_parity_unigram_wordpiece.sh [--tokforge BIN] [EXTRA_INPUT...]
#
# PY_SAMPLE_FILES sets how many standard library modules are sampled (default 40).
# Exit status: 0 when every line matches, 1 on a mismatch, 2 on bad usage.
set -euo pipefail
export LC_ALL=C

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
tokforge="${TOKFORGE:-$root/build/cli/tokforge}"
if [[ "${1:-}" == "--tokforge" ]]; then
  tokforge="$2"
  shift 2
fi
[[ -x "$tokforge" ]] || { echo "tokforge binary not found at $tokforge (set TOKFORGE or --tokforge)" >&2; exit 2; }
"$script_dir/install.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

inputs=("$root"/data/golden_corpus/*.txt)
# Every 20th module of the standard library, in name order, up to PY_SAMPLE_FILES files.
stdlib="$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null || true)"
if [[ -n "$stdlib" && -d "$stdlib" ]]; then
  find "$stdlib" -maxdepth 1 -name '*.py' | sort | awk 'NR % 20 == 1' | head -n "${PY_SAMPLE_FILES:-40}" |
    xargs cat > "$work/python_stdlib_sample.py"
  inputs+=("$work/python_stdlib_sample.py")
fi
for extra in "$@"; do
  if [[ -d "$extra" ]]; then
    while IFS= read -r file; do inputs+=("$file"); done < <(find "$extra" -type f \( -name '*.txt' -o -name '*.csv' -o -name '*.py' \) | sort)
  else
    inputs+=("$extra")
  fi
done

status=0
tokenizers="$root/data/tokenizers"
for name in t5 camembert bert-base-uncased; do
  echo "== $name/tokenizer.json"
  "$root/scripts/parity.sh" --tokforge "$tokforge" "$tokenizers/$name/tokenizer.json" "${inputs[@]}" || status=1
done
echo "== t5/spiece.model (reference: t5/tokenizer.json)"
"$root/scripts/parity.sh" --tokforge "$tokforge" --reference "$tokenizers/t5/tokenizer.json" \
  "$tokenizers/t5/spiece.model" "${inputs[@]}" || status=1
exit $status
