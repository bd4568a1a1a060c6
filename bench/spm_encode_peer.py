#!/usr/bin/python3
"""Encodes every line of a file with SentencePiece and times the encoding alone.

Usage: spm_encode_peer.py MODEL INPUT IDS_OUT
Prints one JSON line like encode_peer.js and writes the ids of each line.
"""
import json
import sys
import time

import sentencepiece


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    model, path, ids_out = sys.argv[1:]
    processor = sentencepiece.SentencePieceProcessor(model_file=model)
    with open(path, encoding="utf-8", newline="") as handle:
        lines = handle.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    size = sum(len(line.encode("utf-8")) for line in lines)
    start = time.perf_counter()
    results = processor.encode(lines)
    seconds = time.perf_counter() - start
    tokens = sum(len(ids) for ids in results)
    with open(ids_out, "w", encoding="ascii") as out:
        for ids in results:
            out.write(" ".join(map(str, ids)) + "\n")
    print(json.dumps({"tool": "sentencepiece", "bytes": size, "tokens": tokens,
                      "seconds": seconds, "mb_per_second": size / 1e6 / seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
