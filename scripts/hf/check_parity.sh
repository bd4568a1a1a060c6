#!/usr/bin/env bash
# Compares tokforge with Hugging Face tokenizers 0.23.2 live, on real corpora:
#   1. `tokforge train --hf-compatible` must produce HF's vocabulary and merges,
#      merge for merge, on the golden corpus and on the Python standard library.
#   2. `tokforge encode` must give HF's ids on every line of those corpora, with
#      the tokenizer HF trained.
# Usage: check_parity.sh TOKFORGE_BINARY
# Exits 77 (skipped) when Node.js or the npm package is not available.
set -euo pipefail

tokforge="${1:?usage: check_parity.sh TOKFORGE_BINARY}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(cd "$script_dir/../.." && pwd)"
hf="$script_dir/hf.js"

if ! command -v node >/dev/null 2>&1 || [[ ! -f "$script_dir/node_modules/tokenizers/package.json" ]]; then
  echo "check_parity.sh: skipped: Node.js or the tokenizers npm package is missing (run scripts/hf/install.sh)" >&2
  exit 77
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

stdlib="$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null || true)"
declare -A corpora=([golden]="$repo_dir/data/golden_corpus")
if [[ -n "$stdlib" && -d "$stdlib" ]]; then corpora[stdlib]="$stdlib"; fi

status=0
for name in "${!corpora[@]}"; do
  root="${corpora[$name]}"
  glob='*.txt'
  [[ "$name" == stdlib ]] && glob='*.py'
  # -xtype f also lists symbolic links to files, which tokforge reads too
  # (Debian links sitecustomize.py into the standard library).
  find "$root" -name "$glob" -xtype f | LC_ALL=C sort > "$work/$name.files"
  mapfile -t files < "$work/$name.files"

  node "$hf" train --output "$work/$name.hf.json" "${files[@]}" > /dev/null
  # HF trains on NUL bytes as text, and the golden corpus has some on purpose
  # (adversarial.txt), so tokforge must accept them here too.
  "$tokforge" train --hf-compatible --vocab-size 30000 --quiet --allow-nul-bytes \
    --include "$glob" --output "$work/$name.tf.json" "$root" > /dev/null
  if ! node -e '
    const fs = require("fs");
    const load = (p) => JSON.parse(fs.readFileSync(p, "utf8")).model;
    const pairs = (m) => m.merges.map((x) => (Array.isArray(x) ? x.join(" ") : x));
    const hf = load(process.argv[1]), tf = load(process.argv[2]);
    const hv = JSON.stringify(Object.entries(hf.vocab).sort((a, b) => a[1] - b[1]));
    const tv = JSON.stringify(Object.entries(tf.vocab).sort((a, b) => a[1] - b[1]));
    if (hv !== tv) { console.error("vocab differs"); process.exit(1); }
    const hm = pairs(hf), tm = pairs(tf);
    const n = Math.max(hm.length, tm.length);
    for (let i = 0; i < n; i++) {
      if (hm[i] !== tm[i]) { console.error(`merge ${i} differs: HF ${hm[i]} tokforge ${tm[i]}`); process.exit(1); }
    }
    console.log(`${hm.length} merges identical`);
  ' "$work/$name.hf.json" "$work/$name.tf.json"; then
    echo "check_parity.sh: $name: training differs from HF" >&2
    status=1
  fi

  # Encoding: every line of every file, with HF's own tokenizer.json.
  cat "${files[@]}" > "$work/$name.all"
  node "$hf" encode --tokenizer "$work/$name.hf.json" "$work/$name.all" > "$work/$name.hf.ids"
  "$tokforge" encode --tokenizer "$work/$name.hf.json" "$work/$name.all" > "$work/$name.tf.ids"
  if cmp -s "$work/$name.hf.ids" "$work/$name.tf.ids"; then
    echo "$name: $(wc -l < "$work/$name.hf.ids") lines encoded identically"
  else
    echo "check_parity.sh: $name: encoding differs from HF:" >&2
    diff "$work/$name.hf.ids" "$work/$name.tf.ids" | head -5 >&2
    status=1
  fi
done
exit "$status"
