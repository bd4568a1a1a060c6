#!/usr/bin/env bash
# Writes tests/golden/encoders/TOKENIZER/INPUT.ids: the ids that Hugging Face
# tokenizers 0.23.2 (through hf.js) gives for every line of every input file,
# with the post-processor's special tokens, one line of space-separated ids
# per input line.
#
# usage: scripts/hf/make_golden_encoders.sh
#
# Tokenizers: data/tokenizers/gpt2/tokenizer.json, and llama3 and mistral
# from $TOKFORGE_TOKENIZERS_DIR/{llama3,mistral}/tokenizer.json when that
# variable is set. Inputs: data/golden_corpus/*.txt and
# data/parity/adversarial.txt.
set -euo pipefail
export LC_ALL=C

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
out_root="$repo_root/tests/golden/encoders"
inputs=("$repo_root"/data/golden_corpus/*.txt "$repo_root/data/parity/adversarial.txt")

declare -A tokenizers=([gpt2]="$repo_root/data/tokenizers/gpt2/tokenizer.json")
if [[ -n "${TOKFORGE_TOKENIZERS_DIR:-}" ]]; then
  tokenizers[llama3]="$TOKFORGE_TOKENIZERS_DIR/llama3/tokenizer.json"
  tokenizers[mistral]="$TOKFORGE_TOKENIZERS_DIR/mistral/tokenizer.json"
fi

for name in "${!tokenizers[@]}"; do
  file="${tokenizers[$name]}"
  [[ -f "$file" ]] || { echo "make_golden_encoders.sh: $file not found" >&2; exit 1; }
  mkdir -p "$out_root/$name"
  for input in "${inputs[@]}"; do
    # Named after the folder and file, because both input folders have an adversarial.txt.
    output="$out_root/$name/$(basename "$(dirname "$input")")_$(basename "$input" .txt).ids"
    node "$script_dir/hf.js" encode --tokenizer "$file" --with-special "$input" > "$output.tmp"
    mv "$output.tmp" "$output"
    echo "wrote $output ($(wc -l < "$output") lines)"
  done
done
