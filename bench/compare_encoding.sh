#!/usr/bin/env bash
# Encodes the same corpus with tokforge and its peers, checks that the ids
# agree, and prints single-thread MB/s with ratios:
#   GPT-2:  tokforge, HF tokenizers 0.23.2 (npm, native), tiktoken 1.0.22 (npm, WASM, r50k_base)
#   Mistral: tokforge, HF tokenizers
#   T5:     tokforge, HF tokenizers, SentencePiece (Debian python3-sentencepiece)
#   Llama 3 (when LLAMA3_TOKENIZER names its tokenizer.json): tokforge, HF tokenizers
#   cl100k_base, o200k_base (when TIKTOKEN_FILES names a directory with their
#     .tiktoken files): tokforge, tiktoken
# Each peer times its encoding alone (loading excluded), like `tokforge bench encode`.
#
# Usage: compare_encoding.sh [INPUT_DIR]   (default: the Python standard library)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tokforge="${TOKFORGE:-$repo_dir/build/cli/tokforge}"
bench_dir="$repo_dir/bench"
input_dir="${1:-$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}"

if [[ ! -d "$bench_dir/node/node_modules/tiktoken" || ! -d "$bench_dir/node/node_modules/tokenizers" ]]; then
  (cd "$bench_dir/node" && npm install --no-audit --no-fund > /dev/null)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# One corpus file; lines that are not valid UTF-8 are dropped because the
# Node and Python peers only accept valid text.
find "$input_dir" -name '*.py' -xtype f | LC_ALL=C sort | xargs cat | iconv -c -f utf-8 -t utf-8 > "$work/corpus.txt"
printf 'corpus: %s (*.py), %.1f MB, %d lines; single thread unless noted; %s\n\n' "$input_dir" \
  "$(echo "$(wc -c < "$work/corpus.txt") / 1000000" | bc -l)" "$(wc -l < "$work/corpus.txt")" "$(date -u +%F)"

field() { sed -E "s/.*\"$1\": ?([0-9.]+).*/\1/" <<< "$2"; }

printf '| tokenizer | tool | MB/s | vs tokforge | ids |\n|---|---|---:|---:|---|\n'
# Prints one table row per tool for one tokenizer.
run_family() {
  local name="$1" tokenizer_json="$2"
  shift 2
  local ours ours_mbps ours2
  ours="$("$tokforge" bench encode --tokenizer "$tokenizer_json" --threads 1 "$work/corpus.txt")"
  ours2="$("$tokforge" bench encode --tokenizer "$tokenizer_json" --threads 2 "$work/corpus.txt")"
  "$tokforge" encode --no-special-tokens --threads 1 --tokenizer "$tokenizer_json" "$work/corpus.txt" > "$work/$name.tokforge.ids"
  ours_mbps="$(field mb_per_second "$ours")"
  printf '| %s | tokforge | %.1f | 1.00 | reference |\n' "$name" "$ours_mbps"
  printf '| %s | tokforge, 2 threads | %.1f | %.2f | same |\n' "$name" "$(field mb_per_second "$ours2")" \
    "$(echo "$(field mb_per_second "$ours2") / $ours_mbps" | bc -l)"
  local peer
  for peer in "$@"; do
    local tool="${peer%%:*}" model="${peer#*:}" result
    case "$tool" in
      hf) result="$(RAYON_RS_NUM_THREADS=1 node "$bench_dir/node/encode_peer.js" hf "$model" "$work/corpus.txt" "$work/$name.$tool.ids")" ;;
      tiktoken) result="$(node "$bench_dir/node/encode_peer.js" tiktoken "$model" "$work/corpus.txt" "$work/$name.$tool.ids")" ;;
      sentencepiece) result="$(/usr/bin/python3 "$bench_dir/spm_encode_peer.py" "$model" "$work/corpus.txt" "$work/$name.$tool.ids")" ;;
    esac
    local agree="same"
    if ! cmp -s "$work/$name.tokforge.ids" "$work/$name.$tool.ids"; then
      local differing
      differing="$( (diff "$work/$name.tokforge.ids" "$work/$name.$tool.ids" || true) | grep -c '^<' || true)"
      agree="$differing of $(wc -l < "$work/$name.tokforge.ids") lines differ"
    fi
    printf '| %s | %s | %.1f | %.3f | %s |\n' "$name" "$tool" "$(field mb_per_second "$result")" \
      "$(echo "$(field mb_per_second "$result") / $ours_mbps" | bc -l)" "$agree"
  done
}

run_family gpt2 "$repo_dir/data/tokenizers/gpt2/tokenizer.json" \
  "hf:$repo_dir/data/tokenizers/gpt2/tokenizer.json" "tiktoken:gpt2"
run_family mistral "$repo_dir/data/tokenizers/mistral/tokenizer.json" \
  "hf:$repo_dir/data/tokenizers/mistral/tokenizer.json"
run_family t5 "$repo_dir/data/tokenizers/t5/tokenizer.json" \
  "hf:$repo_dir/data/tokenizers/t5/tokenizer.json" "sentencepiece:$repo_dir/data/tokenizers/t5/spiece.model"
run_family bert-base-uncased "$repo_dir/data/tokenizers/bert-base-uncased/tokenizer.json" \
  "hf:$repo_dir/data/tokenizers/bert-base-uncased/tokenizer.json"
if [[ -n "${LLAMA3_TOKENIZER:-}" ]]; then
  run_family llama3 "$LLAMA3_TOKENIZER" "hf:$LLAMA3_TOKENIZER"
fi
if [[ -n "${TIKTOKEN_FILES:-}" ]]; then
  for encoding in cl100k_base o200k_base; do
    if [[ -f "$TIKTOKEN_FILES/$encoding.tiktoken" ]]; then
      run_family "$encoding" "$TIKTOKEN_FILES/$encoding.tiktoken" "tiktoken:$encoding"
    fi
  done
fi
