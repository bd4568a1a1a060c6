#!/usr/bin/env bash
# Compares tokforge with Hugging Face tokenizers 0.23.2 (scripts/hf/hf.js) on
# every line of every input file, and prints the first mismatching line of
# each file with both token sequences.
#
# usage: scripts/parity.sh [--no-special-tokens] [--tokforge BIN] [--reference HF.json]
#                          TOKENIZER FILE...
#
# TOKENIZER is anything `tokforge encode --tokenizer` loads; HF loads
# --reference when given (for a .tiktoken file, say), else TOKENIZER.
#
# Needs Node.js and the npm package installed by scripts/hf/install.sh.
# Exit status: 0 when every line matches, 1 on a mismatch, 2 on bad usage.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tokforge="${TOKFORGE:-$root/build/cli/tokforge}"
reference=""
special=(--with-special)
tokforge_special=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-special-tokens) special=(); tokforge_special=(--no-special-tokens); shift ;;
    --tokforge) tokforge="$2"; shift 2 ;;
    --reference) reference="$2"; shift 2 ;;
    *) break ;;
  esac
done
if [[ $# -lt 2 ]]; then
  sed -n '2,14p' "$0" >&2
  exit 2
fi
tokenizer="$1"
shift
reference="${reference:-$tokenizer}"
[[ -x "$tokforge" ]] || { echo "tokforge binary not found at $tokforge (set TOKFORGE or --tokforge)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
total_lines=0
total_mismatches=0
for input in "$@"; do
  node "$root/scripts/hf/hf.js" encode --tokenizer "$reference" "${special[@]}" "$input" > "$work/hf.ids"
  "$tokforge" encode --tokenizer "$tokenizer" "${tokforge_special[@]}" "$input" > "$work/tf.ids"
  lines=$(wc -l < "$work/hf.ids")
  mismatches=$(paste -d '\t' "$work/hf.ids" "$work/tf.ids" | awk -F'\t' '$1 != $2' | wc -l)
  tf_lines=$(wc -l < "$work/tf.ids")
  if [[ "$lines" != "$tf_lines" ]]; then
    echo "$input: HF printed $lines lines, tokforge $tf_lines" >&2
    status=1
  fi
  total_lines=$((total_lines + lines))
  total_mismatches=$((total_mismatches + mismatches))
  if [[ "$mismatches" -gt 0 ]]; then
    status=1
    line_number=$(paste -d '\t' "$work/hf.ids" "$work/tf.ids" | awk -F'\t' '$1 != $2 && !found {print NR; found = 1}')
    echo "$input: $mismatches of $lines lines differ; first at line $line_number:"
    awk -v n="$line_number" 'NR == n' "$input" > "$work/line.txt"
    echo "  text:     $(head -c 300 "$work/line.txt")"
    echo "  HF:       $(node "$root/scripts/hf/hf.js" encode --tokenizer "$reference" "${special[@]}" --json "$work/line.txt" | head -c 2000)"
    echo "  tokforge: $("$tokforge" encode --tokenizer "$tokenizer" "${tokforge_special[@]}" --format jsonl "$work/line.txt" | head -c 2000)"
  else
    echo "$input: all $lines lines match"
  fi
done
echo "total: $total_mismatches mismatching lines of $total_lines"
exit $status
