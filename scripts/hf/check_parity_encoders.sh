#!/usr/bin/env bash
# Live differential check of every tokenizer file in data/tokenizers/ against
# Hugging Face tokenizers 0.23.2, with scripts/parity.sh:
#   - the BPE files (gpt2, mistral, and llama3 when TOKFORGE_TOKENIZERS_DIR
#     names a directory with llama3/tokenizer.json) on the golden corpus, the
#     adversarial set and every 10th module of the Python standard library;
#   - the Unigram and WordPiece files through check_parity_unigram_wordpiece.sh.
# Usage: check_parity_encoders.sh TOKFORGE_BINARY
# Exits 77 (skipped) when Node.js or the npm package is not available.
set -euo pipefail

tokforge="${1:?usage: check_parity_encoders.sh TOKFORGE_BINARY}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(cd "$script_dir/../.." && pwd)"

if ! command -v node >/dev/null 2>&1 || [[ ! -f "$script_dir/node_modules/tokenizers/package.json" ]]; then
  echo "check_parity_encoders.sh: skipped: Node.js or the tokenizers npm package is missing (run scripts/hf/install.sh)" >&2
  exit 77
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
inputs=("$repo_dir"/data/golden_corpus/*.txt "$repo_dir/data/parity/adversarial.txt")
stdlib="$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null || true)"
if [[ -n "$stdlib" && -d "$stdlib" ]]; then
  # HF reads UTF-8 only; modules that are not valid UTF-8 are left out.
  find "$stdlib" -name '*.py' -xtype f | LC_ALL=C sort | awk 'NR % 10 == 0' | while read -r module; do
    iconv -f utf-8 -t utf-8 "$module" > /dev/null 2>&1 && echo "$module"
  done > "$work/modules"
  mapfile -t modules < "$work/modules"
  inputs+=("${modules[@]}")
fi

tokenizers=("$repo_dir/data/tokenizers/gpt2/tokenizer.json" "$repo_dir/data/tokenizers/mistral/tokenizer.json")
if [[ -n "${TOKFORGE_TOKENIZERS_DIR:-}" && -f "$TOKFORGE_TOKENIZERS_DIR/llama3/tokenizer.json" ]]; then
  tokenizers+=("$TOKFORGE_TOKENIZERS_DIR/llama3/tokenizer.json")
fi

status=0
for tokenizer in "${tokenizers[@]}"; do
  echo "== $tokenizer"
  bash "$repo_dir/scripts/parity.sh" --tokforge "$tokforge" "$tokenizer" "${inputs[@]}" | tail -1 || status=1
done
echo "== Unigram and WordPiece"
bash "$script_dir/check_parity_unigram_wordpiece.sh" --tokforge "$tokforge" | tail -3 || status=1
exit "$status"
