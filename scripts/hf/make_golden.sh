#!/usr/bin/env bash
# Regenerates tests/golden/ by running Hugging Face tokenizers 0.23.2 (through hf.js) on the
# committed corpus in data/golden_corpus/. Needs node. The first run also needs npm and access
# to the npm registry. Outputs go to a temporary directory and are moved into tests/golden/
# only after every step succeeded, so a failed run leaves the previous files in place.
set -euo pipefail
export LC_ALL=C

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"

# Inputs and outputs. Override any of them from the environment.
CORPUS_DIR="${CORPUS_DIR:-$repo_root/data/golden_corpus}"
GOLDEN_DIR="${GOLDEN_DIR:-$repo_root/tests/golden}"
# Training and encoding use every *.txt file in CORPUS_DIR, in byte order of the file names.
TRAIN_GLOB="*.txt"
# Files, relative to CORPUS_DIR, whose lines also go through the pre-tokenizer alone.
PRETOKENIZE_GLOBS=("adversarial.txt" "py_*.txt")

hf_js="$script_dir/hf.js"

fail() {
  echo "make_golden.sh: $*" >&2
  exit 1
}

# Prints the number of lines of $1 as hf.js counts them: the final line counts even without a
# trailing newline.
count_lines() {
  local newlines
  newlines=$(wc -l <"$1")
  if [[ -s "$1" && "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" != "0a" ]]; then
    newlines=$((newlines + 1))
  fi
  echo "$newlines"
}

# Appends the output of hf.js ARGS... on $input to $output and checks that it has one line per
# input line, then records the pair in the manifest.
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
  printf '%s\t%s\t%s\n' "$(basename "$output")" "$(realpath --relative-to="$repo_root" "$input")" "$expected" \
    >>"$work_dir/inputs.tsv"
}

"$script_dir/install.sh"

shopt -s nullglob
train_files=("$CORPUS_DIR"/$TRAIN_GLOB)
((${#train_files[@]} > 0)) || fail "no $TRAIN_GLOB files in $CORPUS_DIR; run scripts/hf/make_golden_corpus.sh"
pretokenize_files=()
for pattern in "${PRETOKENIZE_GLOBS[@]}"; do
  matches=("$CORPUS_DIR"/$pattern)
  ((${#matches[@]} > 0)) || fail "no file in $CORPUS_DIR matches $pattern"
  pretokenize_files+=("${matches[@]}")
done
shopt -u nullglob

mkdir -p "$GOLDEN_DIR"
work_dir="$(mktemp -d "$GOLDEN_DIR/.make_golden.XXXXXX")"
trap 'rm -rf "$work_dir"' EXIT
printf 'golden_file\tinput_file\tlines\n' >"$work_dir/inputs.tsv"

# The trainer prints its progress as blank lines on stdout, which carry no information.
# Indented JSON makes a change of the corpus show up as a readable diff of vocab and merges.
node "$hf_js" train --output "$work_dir/hf_train_small.json" --pretty "${train_files[@]}" >/dev/null

: >"$work_dir/hf_train_small.ids"
for file in "${train_files[@]}"; do
  run_per_line "$file" "$work_dir/hf_train_small.ids" encode --tokenizer "$work_dir/hf_train_small.json"
done

: >"$work_dir/hf_pretokenize_adversarial.jsonl"
for file in "${pretokenize_files[@]}"; do
  run_per_line "$file" "$work_dir/hf_pretokenize_adversarial.jsonl" pretokenize --tokenizer "$work_dir/hf_train_small.json"
done

generated=(hf_train_small.json hf_train_small.ids hf_pretokenize_adversarial.jsonl inputs.tsv)
for name in "${generated[@]}"; do
  mv "$work_dir/$name" "$GOLDEN_DIR/$name"
done

echo "make_golden.sh: wrote $GOLDEN_DIR" >&2
for name in "${generated[@]}"; do
  printf '  %-34s %6s lines %9s bytes\n' "$name" "$(count_lines "$GOLDEN_DIR/$name")" "$(stat -c %s "$GOLDEN_DIR/$name")" >&2
done
