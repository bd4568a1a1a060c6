#!/usr/bin/env bash
# Times BPE training of Hugging Face tokenizers 0.23.2 (npm, native Rust
# library), SentencePiece (Debian's spm_train, BPE model) and tokforge on the
# same files in one run, and prints wall time, CPU time, peak RSS and the
# ratios. The tools take turns, RUNS rounds; the fastest wall time of each is
# reported. Needs /usr/bin/time, bc, spm_train and scripts/hf/install.sh.
# SentencePiece is skipped when spm_train is missing or with SPM=0.
#
# Usage: compare_training.sh [THREADS] [DIR...]
#   THREADS  threads for both tools (default 2)
#   DIR      directories whose *.py files form the corpus (default: the Python
#            standard library and /usr/lib/python3/dist-packages)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tokforge="${TOKFORGE:-$repo_dir/build/cli/tokforge}"
hf="$repo_dir/scripts/hf/hf.js"
threads="${1:-2}"
shift || true
runs="${RUNS:-3}"
dirs=("$@")
if ((${#dirs[@]} == 0)); then
  dirs=("$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')")
  [[ -d /usr/lib/python3/dist-packages ]] && dirs+=(/usr/lib/python3/dist-packages)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
find "${dirs[@]}" -xtype f -name '*.py' | LC_ALL=C sort > "$work/all_files"
# HF's trainer stops at the first file that is not valid UTF-8, so such files
# are left out for every tool.
/usr/bin/python3 - "$work/all_files" > "$work/files" <<'PYTHON'
import sys
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    try:
        with open(path, "rb") as handle:
            handle.read().decode("utf-8")
    except (UnicodeDecodeError, OSError):
        print(f"compare_training.sh: left out {path} (not valid UTF-8 or unreadable)", file=sys.stderr)
        continue
    print(path)
PYTHON
mapfile -t files < "$work/files"
bytes="$(cat "${files[@]}" | wc -c)"
printf 'corpus: %d files, %.1f MB; threads: %s; vocab 30000; best of %s runs\n' \
  "${#files[@]}" "$(echo "$bytes / 1000000" | bc -l)" "$threads" "$runs"

# The tools, each a command line; they run in turns so that load changes on
# the machine affect all of them alike. HF trains on NUL bytes as text, so
# tokforge gets --allow-nul-bytes to read the same input.
declare -A commands=(
  [hf]="env RAYON_RS_NUM_THREADS=$threads node $hf train --output $work/hf.json ${files[*]}"
  [tf_hf]="$tokforge train --quiet --hf-compatible --allow-nul-bytes --vocab-size 30000 --threads $threads --output $work/tf_hf.json ${files[*]}"
  [tf]="$tokforge train --quiet --allow-nul-bytes --vocab-size 30000 --threads $threads --output $work/tf.json ${files[*]}"
)
order=(hf tf_hf tf)
if [[ "${SPM:-1}" != 0 ]] && command -v spm_train > /dev/null; then
  cat "${files[@]}" > "$work/corpus.txt"
  commands[spm]="spm_train --input=$work/corpus.txt --model_prefix=$work/spm --model_type=bpe --vocab_size=30000 --num_threads=$threads --byte_fallback=true --max_sentence_length=100000 --input_sentence_size=0 --hard_vocab_limit=false --minloglevel=2"
  order+=(spm)
fi

declare -A wall cpu rss
for ((round = 0; round < runs; round++)); do
  for tool in "${order[@]}"; do
    # shellcheck disable=SC2086  # the command lines are split on purpose
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" ${commands[$tool]} > /dev/null 2> "$work/stderr" || {
      head -c 2000 "$work/stderr" >&2
      echo "compare_training.sh: $tool failed" >&2
      exit 1
    }
    read -r seconds user system kilobytes < "$work/time"
    if [[ -z "${wall[$tool]:-}" ]] || (($(echo "$seconds < ${wall[$tool]}" | bc -l))); then
      wall[$tool]="$seconds"
      cpu[$tool]="$(echo "$user + $system" | bc -l)"
    fi
    if [[ -z "${rss[$tool]:-}" ]] || ((kilobytes / 1024 > rss[$tool])); then rss[$tool]=$((kilobytes / 1024)); fi
  done
done

same="$(node -e '
  const fs = require("fs");
  const m = (p) => JSON.stringify(JSON.parse(fs.readFileSync(p, "utf8")).model.merges
      .map((x) => (Array.isArray(x) ? x.join(" ") : x)));
  process.stdout.write(m(process.argv[1]) === m(process.argv[2]) ? "identical" : "DIFFERENT");
' "$work/hf.json" "$work/tf_hf.json")"

declare -A names=([hf]="HF tokenizers 0.23.2" [tf_hf]="tokforge --hf-compatible" [tf]="tokforge (all 256 bytes)" [spm]="SentencePiece spm_train (BPE)")
printf '\n| tool | wall s | CPU s | peak RSS MB | wall vs HF |\n|---|---:|---:|---:|---:|\n'
for tool in "${order[@]}"; do
  printf '| %s | %s | %.2f | %s | %.3f |\n' "${names[$tool]}" "${wall[$tool]}" "${cpu[$tool]}" "${rss[$tool]}" \
    "$(echo "${wall[$tool]} / ${wall[hf]}" | bc -l)"
done
printf '\nmerges of --hf-compatible vs HF: %s\n' "$same"
