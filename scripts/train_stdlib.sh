#!/usr/bin/env bash
# The main job: installs what is missing, builds tokforge, and trains a
# byte-level BPE tokenizer on the Python standard library of this machine,
# then compares it with reference tokenizers (scripts/compare_reports.sh).
# Extra arguments go to `tokforge train` (for example --vocab-size 50000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
# Only the command-line tool is built here, because the main job needs
# nothing else. The test command builds the rest into the same directory.
TOKFORGE_TARGETS=tokforge_cli bash scripts/build.sh

stdlib="$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
echo "Training on the Python standard library in $stdlib"
build/cli/tokforge train --include '*.py' --vocab-size 32000 \
  --special-tokens '<|endoftext|>' --output out/python-stdlib/tokenizer.json "$@" "$stdlib"

# Compare the new tokenizer with GPT-2, T5 and CamemBERT (and Llama 3 when
# TOKFORGE_TOKENIZERS_DIR or the Hugging Face cache has it) on held-out Python
# code and on French, English and Korean text.
bash scripts/compare_reports.sh
