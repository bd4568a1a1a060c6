#!/usr/bin/env bash
# Times byte-level BPE training of Hugging Face tokenizers 0.23.2 (npm, native
# Rust library) and tokforge on the same files in one run, and prints wall
# time, peak RSS and the ratios. Each tool runs RUNS times; the fastest run is
# reported. Needs /usr/bin/time and scripts/hf/install.sh.
#
# Usage: train_side_by_side.sh [THREADS] [DIR...]
#   THREADS  threads for both tools (default 2)
#   DIR      directories whose *.py files form the corpus (default: the Python
#            standard library and /usr/lib/python3/dist-packages)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
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
find "${dirs[@]}" -xtype f -name '*.py' | LC_ALL=C sort > "$work/files"
mapfile -t files < "$work/files"
bytes="$(cat "${files[@]}" | wc -c)"
printf 'corpus: %d files, %.1f MB; threads: %s; vocab 30000; best of %s runs\n' \
  "${#files[@]}" "$(echo "$bytes / 1000000" | bc -l)" "$threads" "$runs"

# Runs a command RUNS times; prints "best_seconds peak_rss_mb".
measure() {
  local best="" rss=""
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" > /dev/null 2> "$work/stderr" || {
      cat "$work/stderr" >&2
      return 1
    }
    read -r seconds kilobytes < "$work/time"
    if [[ -z "$best" ]] || (($(echo "$seconds < $best" | bc -l))); then best="$seconds"; fi
    if [[ -z "$rss" ]] || ((kilobytes > rss)); then rss="$kilobytes"; fi
  done
  echo "$best $((rss / 1024))"
}

read -r hf_time hf_rss < <(RAYON_RS_NUM_THREADS="$threads" measure node "$hf" train \
  --output "$work/hf.json" "${files[@]}")
read -r tf_hf_time tf_hf_rss < <(measure "$tokforge" train --quiet --hf-compatible \
  --vocab-size 30000 --threads "$threads" --output "$work/tf_hf.json" "${files[@]}")
read -r tf_time tf_rss < <(measure "$tokforge" train --quiet --vocab-size 30000 \
  --threads "$threads" --output "$work/tf.json" "${files[@]}")

same="$(node -e '
  const fs = require("fs");
  const m = (p) => JSON.stringify(JSON.parse(fs.readFileSync(p, "utf8")).model.merges
      .map((x) => (Array.isArray(x) ? x.join(" ") : x)));
  process.stdout.write(m(process.argv[1]) === m(process.argv[2]) ? "identical" : "DIFFERENT");
' "$work/hf.json" "$work/tf_hf.json")"

printf '\n| tool | wall s | peak RSS MB | time vs HF |\n|---|---:|---:|---:|\n'
printf '| HF tokenizers 0.23.2 | %s | %s | 1.00 |\n' "$hf_time" "$hf_rss"
printf '| tokforge --hf-compatible | %s | %s | %.3f |\n' "$tf_hf_time" "$tf_hf_rss" \
  "$(echo "$tf_hf_time / $hf_time" | bc -l)"
printf '| tokforge (all 256 bytes) | %s | %s | %.3f |\n' "$tf_time" "$tf_rss" \
  "$(echo "$tf_time / $hf_time" | bc -l)"
printf '\nmerges of --hf-compatible vs HF: %s\n' "$same"
