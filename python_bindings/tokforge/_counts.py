"""count_pieces: the counting step of training, for distributed engines.

Counting is the part of BPE training that grows with the corpus, and its
result, a ``Counts``, is small and adds up: count each shard of a corpus in a
separate task (a Dask delayed call, a Spark ``mapPartitions`` step, a Ray
task), send the ``Counts`` back (they pickle as the count shard encoding, or
call ``to_bytes``), ``merge`` them, and train with
``BpeTrainer.train_from_counts``. The result equals training on all texts in
one process.
"""

from __future__ import annotations

from typing import Iterable, List

from ._tokforge import Counts

# Texts handed to C++ at once; bounds the memory held for a long iterator.
_BATCH_CHARS = 8 << 20
_BATCH_TEXTS = 65536


def count_pieces(texts: Iterable[str], *, hf_compatible: bool = False, threads: int = 0) -> Counts:
    """Count the pre-tokenized pieces of ``texts``.

    Each item is one sequence as given: to match ``tokforge train`` on a text
    file, pass every line with its line ending. Texts are counted in batches
    of up to 65536 items, and the duplicate statistics in ``Counts.stats``
    detect repeats within a batch only.

    Args:
        hf_compatible: count as ``BpeTrainer(hf_compatible=True)`` trains.
            Counts made with different settings cannot be merged.
        threads: C++ threads per batch; 0 uses all cores. In a worker
            process of a cluster, 1 avoids oversubscribing the machine.

    Raises:
        TypeError: an item is not a str.
    """
    if isinstance(texts, str):
        raise TypeError("count_pieces expects an iterable of str, got a single str")
    counts = Counts(hf_compatible=bool(hf_compatible))
    batch: List[str] = []
    batch_chars = 0
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"count_pieces expects str items, got {type(text).__name__}")
        batch.append(text)
        batch_chars += len(text)
        if len(batch) >= _BATCH_TEXTS or batch_chars >= _BATCH_CHARS:
            counts.update(batch, threads)
            batch = []
            batch_chars = 0
    if batch:
        counts.update(batch, threads)
    return counts


def merge_counts(parts: Iterable[Counts]) -> Counts:
    """Merge ``parts`` into a new ``Counts``, leaving them unchanged.

    Raises:
        ValueError: the parts were counted with different settings, or
            ``parts`` is empty.
    """
    merged = None
    for part in parts:
        if merged is None:
            merged = Counts(hf_compatible=part.hf_compatible)
        merged.merge(part)
    if merged is None:
        raise ValueError("merge_counts needs at least one Counts")
    return merged
