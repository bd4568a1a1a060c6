#!/usr/bin/env python3
"""Build a corpus of gzipped JSON Lines shards from the Python sources on this
machine, for the large-corpus training benchmark in docs/benchmarks.md.

Documents are the .py files of the standard library and of
/usr/lib/python3/dist-packages plus the files of data/golden_corpus. The set
is written --copies times. Copy 0 is the original text. In every later copy,
about 30% of the documents are exact duplicates of copy 0, and the others are
varied: a fixed per-copy renaming of common identifiers and a per-copy header
comment, so that they are new documents with realistic text. Each record is
{"id": N, "meta": {"path": ..., "copy": C, "text": ...}}; train with
--text-field meta.text.

    python3 scripts/make_scale_corpus.py --copies 25 --shards 16 /tmp/scale-corpus
"""

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = [Path(f"/usr/lib/python3.{sys.version_info.minor}"), Path("/usr/lib/python3/dist-packages")]
RENAMED = ["self", "value", "result", "name", "data", "path", "args", "kwargs", "item", "key",
           "line", "text", "index", "count", "node", "options", "config", "error", "buffer",
           "output"]


def documents():
    files = []
    for root in SOURCES:
        files.extend(sorted(p for p in root.rglob("*.py") if p.is_file()))
    files.extend(sorted((REPO / "data" / "golden_corpus").glob("*.txt")))
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if text:
            yield str(path), text


def variant(text: str, copy: int) -> str:
    rng = random.Random(copy)
    mapping = {word: f"{word}_{rng.choice('abcdefghij')}{copy}" for word in rng.sample(RENAMED, 8)}
    pattern = re.compile(r"\b(" + "|".join(mapping) + r")\b")
    return f"# variant {copy}\n" + pattern.sub(lambda m: mapping[m.group(1)], text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--copies", type=int, default=25)
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument("--duplicate-share", type=float, default=0.3)
    args = parser.parse_args()

    docs = list(documents())
    args.output.mkdir(parents=True, exist_ok=True)
    shards = [gzip.open(args.output / f"part-{i:03d}.jsonl.gz", "wt", encoding="utf-8",
                        compresslevel=1, newline="") for i in range(args.shards)]
    rng = random.Random(0)
    record_id = 0
    total = 0
    for copy in range(args.copies):
        for path, text in docs:
            if copy > 0 and rng.random() >= args.duplicate_share:
                text = variant(text, copy)
            record = {"id": record_id, "meta": {"path": path, "copy": copy, "text": text}}
            shards[record_id % args.shards].write(json.dumps(record, ensure_ascii=False) + "\n")
            record_id += 1
            total += len(text.encode("utf-8"))
    for shard in shards:
        shard.close()
    print(f"{record_id} documents, {total / 2**30:.2f} GiB of text, {len(docs)} distinct sources, "
          f"in {args.shards} shards under {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
