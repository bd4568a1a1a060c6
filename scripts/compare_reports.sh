#!/usr/bin/env bash
# Compares the tokenizer trained by scripts/train_stdlib.sh with reference
# tokenizers on held-out Python files and on French, English and Korean text,
# and writes out/compare/report.html and out/compare/report.md.
#
# Reference tokenizers come from $TOKFORGE_TOKENIZERS_DIR when it is set: a
# folder with gpt2/, t5/, camembert/ and llama3/ subfolders that contain
# tokenizer.json. The tests read the same variable, and REFERENCE_TOKENIZERS
# is its old name. Without it they come from data/tokenizers/, else from the
# Hugging Face cache (offline). Llama 3 is compared only when found. Corpora
# are the folders or files in $CORPUS_FR, $CORPUS_EN and $CORPUS_KO, by
# default the French, English and Korean texts in data/. Extra arguments go
# to `tokforge compare`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

trained=out/python-stdlib/tokenizer.json
if [[ ! -f "$trained" ]]; then
  echo "error: $trained not found; run scripts/train_stdlib.sh first" >&2
  exit 1
fi

# Held out: the stdlib was the training set, so measure on the other
# Python packages of this machine.
held_out=/usr/lib/python3/dist-packages
if [[ ! -d "$held_out" ]]; then
  echo "error: $held_out not found; set up Debian's python3 packages or edit held_out" >&2
  exit 1
fi

tokenizers=(--tokenizer "code=$trained")
missing=()
reference_dir="${TOKFORGE_TOKENIZERS_DIR:-${REFERENCE_TOKENIZERS:-}}"
# name, Hugging Face model id
references=("gpt2 openai-community/gpt2" "t5 google-t5/t5-small" "camembert almanach/camembert-base"
            "llama3 meta-llama/Meta-Llama-3-8B")
hub="${HF_HUB_CACHE:-${HF_HOME:-$HOME/.cache/huggingface}/hub}"
for entry in "${references[@]}"; do
  read -r name model <<<"$entry"
  if [[ -n "$reference_dir" && -f "$reference_dir/$name/tokenizer.json" ]]; then
    tokenizers+=(--tokenizer "$name=$reference_dir/$name/tokenizer.json")
  elif [[ -f "data/tokenizers/$name/tokenizer.json" ]]; then
    tokenizers+=(--tokenizer "$name=data/tokenizers/$name/tokenizer.json")
  elif compgen -G "$hub/models--${model//\//--}/snapshots/*/tokenizer.json" >/dev/null; then
    tokenizers+=(--tokenizer "$name=$model")
  elif [[ "$name" != llama3 ]]; then
    missing+=("$name: huggingface-cli download $model tokenizer.json")
  fi
done
if ((${#missing[@]} > 0)); then
  echo "error: reference tokenizers not found; set TOKFORGE_TOKENIZERS_DIR or download them:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi

corpora=(--corpus "code=$held_out/*.py")
# The texts shipped in data/ unless the variables name others; an empty
# variable leaves that corpus out.
corpus_fr="${CORPUS_FR-data/golden_corpus/fr_gautier_morte_amoureuse.txt}"
corpus_en="${CORPUS_EN-data/corpora/en/tinyshakespeare.txt}"
corpus_ko="${CORPUS_KO-data/golden_corpus/ko_chatbot_data.txt}"
[[ -n "$corpus_fr" ]] && corpora+=(--corpus "fr=$corpus_fr")
[[ -n "$corpus_en" ]] && corpora+=(--corpus "en=$corpus_en")
[[ -n "$corpus_ko" ]] && corpora+=(--corpus "ko=$corpus_ko")

words=$(mktemp)
trap 'rm -f "$words"' EXIT
/usr/bin/python3 -c 'import keyword; print("\n".join(keyword.kwlist))' >"$words"

mkdir -p out/compare
common=("${tokenizers[@]}" "${corpora[@]}" --baseline gpt2 --max-bytes 4M --words "$words" "$@")
build/cli/tokforge compare "${common[@]}" --format html --output out/compare/report.html
build/cli/tokforge compare "${common[@]}" --format markdown --output out/compare/report.md
echo "Reports: out/compare/report.html, out/compare/report.md"
