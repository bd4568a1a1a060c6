#!/usr/bin/env bash
# Regenerates the golden outputs of Hugging Face tokenizers 0.23.2 (through hf.js) for the
# Unigram and WordPiece tokenizers in data/tokenizers/ (t5, camembert, bert-base-uncased) on
# the committed corpus in data/golden_corpus/. Needs node; the first run also needs npm and
# access to the npm registry. Outputs are written to a temporary directory and moved into
# tests/golden/ only after every step succeeded.
#
# Written files, per tokenizer NAME:
#   hf_NAME.ids            ids of every line of every corpus file, with special tokens
#   hf_NAME_offsets.jsonl  {"ids","tokens","offsets"} without special tokens, for the files in
#                          OFFSET_FILES; offsets count Unicode code points, as hf.js reports them
#   inputs_unigram_wordpiece.tsv  which input lines each golden file covers, in order
set -euo pipefail
export LC_ALL=C

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"

CORPUS_DIR="${CORPUS_DIR:-$repo_root/data/golden_corpus}"
TOKENIZER_DIR="${TOKENIZER_DIR:-$repo_root/data/tokenizers}"
GOLDEN_DIR="${GOLDEN_DIR:-$repo_root/tests/golden}"
TOKENIZERS=(t5 camembert bert-base-uncased)
# Files, relative to CORPUS_DIR, whose tokens and offsets are recorded as well.
OFFSET_FILES=(adversarial.txt fr_gautier_morte_amoureuse.txt ko_chatbot_data.txt)

hf_js="$script_dir/hf.js"

fail() {
  echo "make_golden_unigram_wordpiece.sh: $*" >&2
  exit 1
}

# Prints the number of lines of $1 as hf.js counts them: a final line counts even without a
# trailing newline.
count_lines() {
  local newlines
  newlines=$(wc -l <"$1")
  if [[ -s "$1" && "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" != "0a" ]]; then
    newlines=$((newlines + 1))
  fi
  echo "$newlines"
}

# Appends the output of hf.js ARGS... on $input to $output, checks that it printed one line per
# input line and records the pair in the manifest.
run_per_line() {
  local input="$1" output="$2"
  shift 2
  local before after expected
  before=$(count_lines "$output")
  node "$hf_js" "$@" "$input" >>"$output"
  after=$(count_lines "$output")
  expected=$(count_lines "$input")
  if ((after - before != expected)); then
    fail "hf.js $1 printed $((after - before)) lines for $input, which has $expected"
  fi
  printf '%s\t%s\t%s\n' "$(basename "$output")" "$(realpath --relative-to="$repo_root" "$input")" \
    "$expected" >>"$work_dir/inputs_unigram_wordpiece.tsv"
}

"$script_dir/install.sh"

shopt -s nullglob
corpus_files=("$CORPUS_DIR"/*.txt)
shopt -u nullglob
((${#corpus_files[@]} > 0)) || fail "no *.txt files in $CORPUS_DIR"

mkdir -p "$GOLDEN_DIR"
work_dir="$(mktemp -d "$GOLDEN_DIR/.make_golden_unigram_wordpiece.XXXXXX")"
trap 'rm -rf "$work_dir"' EXIT
printf 'golden_file\tinput_file\tlines\n' >"$work_dir/inputs_unigram_wordpiece.tsv"

generated=(inputs_unigram_wordpiece.tsv)
for name in "${TOKENIZERS[@]}"; do
  tokenizer="$TOKENIZER_DIR/$name/tokenizer.json"
  [[ -f "$tokenizer" ]] || fail "missing $tokenizer"
  ids="$work_dir/hf_$name.ids"
  offsets="$work_dir/hf_${name}_offsets.jsonl"
  : >"$ids"
  : >"$offsets"
  for file in "${corpus_files[@]}"; do
    run_per_line "$file" "$ids" encode --tokenizer "$tokenizer" --with-special
  done
  for relative in "${OFFSET_FILES[@]}"; do
    [[ -f "$CORPUS_DIR/$relative" ]] || fail "missing $CORPUS_DIR/$relative"
    run_per_line "$CORPUS_DIR/$relative" "$offsets" encode --tokenizer "$tokenizer" --json
  done
  generated+=("hf_$name.ids" "hf_${name}_offsets.jsonl")
done

for name in "${generated[@]}"; do
  mv "$work_dir/$name" "$GOLDEN_DIR/$name"
done
echo "make_golden_unigram_wordpiece.sh: wrote $GOLDEN_DIR" >&2
for name in "${generated[@]}"; do
  printf '  %-36s %6s lines %9s bytes\n' "$name" "$(count_lines "$GOLDEN_DIR/$name")" \
    "$(stat -c %s "$GOLDEN_DIR/$name")" >&2
done
