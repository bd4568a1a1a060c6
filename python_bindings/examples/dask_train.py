"""Count corpus shards on a Dask cluster and train a tokenizer from the counts.

Every shard (a JSON Lines file, optionally .gz, one record per document) is
read and counted by a worker process. Only the counts travel back, as the
count shard encoding that tokforge.Counts pickles to. The merged counts train
the same tokenizer as ``tokforge train`` on all shards at once.

    python3 dask_train.py --workers 2 --output tokenizer.json shards/*.jsonl.gz

By default this starts a LocalCluster on 127.0.0.1. To use a multi-node
cluster, start ``dask scheduler`` on one machine and ``dask worker
tcp://SCHEDULER:8786`` on the others (each with tokforge importable and the
shards readable at the same paths, on shared storage), then pass
``--scheduler tcp://SCHEDULER:8786``; nothing else changes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from typing import Iterator, List


def read_texts(path: str, text_field: str) -> Iterator[str]:
    """Yield the text field (a dotted name reaches into nested objects) of each record."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            value = json.loads(line)
            if text_field in value:
                value = value[text_field]
            else:
                for part in text_field.split("."):
                    value = value[part]
            if not isinstance(value, str):
                raise ValueError(f"{path}:{number}: field {text_field!r} is not a string")
            yield value


def count_shard(path: str, text_field: str, hf_compatible: bool):
    """Runs on a worker: count one shard with one thread."""
    import tokforge

    return tokforge.count_pieces(read_texts(path, text_field), hf_compatible=hf_compatible,
                                 threads=1)


def merge_pair(left, right):
    """Runs on a worker: a new Counts, because task inputs must stay unchanged."""
    import tokforge

    return tokforge.merge_counts([left, right])


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", nargs="+", help="JSON Lines shard files (.jsonl or .jsonl.gz)")
    parser.add_argument("--output", required=True, help="tokenizer.json to write")
    parser.add_argument("--vocab-size", type=int, default=32000)
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--hf-compatible", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler to use instead")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    import tokforge

    if args.scheduler:
        cluster = None
        client = Client(args.scheduler)
    else:
        # Bound to loopback, without the dashboard, so nothing listens outside.
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(count_shard, args.shards, text_field=args.text_field,
                             hf_compatible=args.hf_compatible, pure=False)
        # Pairwise merging on the workers, so no single task receives every part.
        while len(futures) > 1:
            merged = [client.submit(merge_pair, futures[i], futures[i + 1], pure=False)
                      for i in range(0, len(futures) - 1, 2)]
            if len(futures) % 2:
                merged.append(futures[-1])
            futures = merged
        counts = futures[0].result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    trainer = tokforge.BpeTrainer(vocab_size=args.vocab_size, hf_compatible=args.hf_compatible,
                                  show_progress=False)
    tokenizer = trainer.train_from_counts(counts)
    tokenizer.save(args.output)
    stats = counts.stats
    print(f"counted {stats['sequences']} sequences from {len(args.shards)} shards, "
          f"{len(counts)} distinct pieces; wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
