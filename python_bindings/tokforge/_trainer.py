"""BpeTrainer: byte-level BPE training from files or Python iterators."""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Union

from ._progress import ProgressReporter, make_progress
from ._tokforge import Counts, Tokenizer, _TrainerCore

PathLike = Union[str, "os.PathLike[str]"]

# A batch is handed to C++ when it reaches either limit. Two batches exist at
# a time (one filling, one being counted), so the text held stays at about
# twice the character limit whatever the length of the iterator.
_BATCH_CHARS = 8 << 20
_BATCH_SEQUENCES = 65536
_PROGRESS_EVERY = 1024  # sequences between progress updates


def _as_list(value: Union[None, str, Iterable[str]], name: str) -> List[str]:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [os.fsdecode(value)]
    items = [os.fsdecode(item) for item in value]
    for item in items:
        if not item:
            raise ValueError(f"{name} must not contain empty strings")
    return items


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


class BpeTrainer:
    """Trainer of byte-level BPE tokenizers, with the options of ``tokforge train``.

    Args:
        vocab_size: final vocabulary size, counting the special tokens and the
            byte alphabet.
        min_frequency: pairs seen fewer times than this are never merged.
        special_tokens: tokens given ids 0, 1, ... in this order.
        max_token_length: maximum token length in bytes; None for no limit.
        threads: threads for counting and merging; 0 uses all cores.
        hf_compatible: reproduce Hugging Face's BpeTrainer exactly (the
            alphabet is only the bytes seen in the corpus). By default all
            256 bytes are in the vocabulary, so any input can be encoded.
        show_progress: show a progress bar (tqdm when installed). ``train``
            and ``train_from_iterator`` can override it with ``progress``.

    Each call to ``train`` or ``train_from_iterator`` starts from empty counts.
    """

    def __init__(
        self,
        vocab_size: int = 32000,
        min_frequency: int = 0,
        special_tokens: Sequence[str] = (),
        max_token_length: Optional[int] = None,
        threads: int = 0,
        hf_compatible: bool = False,
        show_progress: bool = True,
    ) -> None:
        self.vocab_size = _check_int("vocab_size", vocab_size, 1)
        self.min_frequency = _check_int("min_frequency", min_frequency, 0)
        if isinstance(special_tokens, str):
            raise TypeError("special_tokens must be a list of str, got a single str")
        self.special_tokens = list(special_tokens)
        for token in self.special_tokens:
            if not isinstance(token, str):
                raise TypeError(f"special_tokens must contain str, got {type(token).__name__}")
            if not token:
                raise ValueError("special tokens must not be empty")
        self.max_token_length = (
            None if max_token_length is None else _check_int("max_token_length", max_token_length, 1)
        )
        self.threads = _check_int("threads", threads, 0)
        self.hf_compatible = bool(hf_compatible)
        self.show_progress = bool(show_progress)
        self.stats: Optional[dict] = None
        """Statistics of the last training run (bytes, sequences, merges, times), or None."""

    def __repr__(self) -> str:
        return (
            f"BpeTrainer(vocab_size={self.vocab_size}, min_frequency={self.min_frequency}, "
            f"special_tokens={self.special_tokens!r}, max_token_length={self.max_token_length}, "
            f"threads={self.threads}, hf_compatible={self.hf_compatible}, "
            f"show_progress={self.show_progress})"
        )

    def _core(self) -> _TrainerCore:
        return _TrainerCore(
            vocab_size=self.vocab_size,
            min_frequency=self.min_frequency,
            special_tokens=self.special_tokens,
            max_token_length=self.max_token_length or 0,
            threads=self.threads,
            hf_compatible=self.hf_compatible,
        )

    def _reporter(self, progress: Optional[bool]) -> ProgressReporter:
        return make_progress(self.show_progress if progress is None else bool(progress))

    def _finish(self, core: _TrainerCore, reporter: ProgressReporter, method: str) -> Tokenizer:
        def merging(stage: str, done: int, total: int) -> None:
            reporter.update("merging", done, total, "tokens")

        tokenizer = core.train(merging, method)
        self.stats = core.stats
        # The C++ trainer reports every 256 tokens, so the final size comes
        # from the statistics. It is below vocab_size when no pair was left.
        reporter.update("merging", self.stats["vocab_size"], self.vocab_size, "tokens")
        return tokenizer

    def train(
        self,
        files: Union[PathLike, Iterable[PathLike]],
        *,
        include: Union[None, str, Iterable[str]] = None,
        exclude: Union[None, str, Iterable[str]] = None,
        format: str = "auto",
        text_field: str = "text",
        max_bytes: Optional[int] = None,
        allow_nul_bytes: bool = False,
        progress: Optional[bool] = None,
    ) -> Tokenizer:
        """Train on files and directories, streamed from disk on all threads.

        Every line of a text file, with its line ending, is one sequence, and
        so is the ``text_field`` string of every JSON Lines record. Files may
        be gzip (.gz) or zstd (.zst) compressed. Directories are searched
        recursively; ``include`` and ``exclude`` are shell globs on file names
        inside them, such as ``"*.py"``.

        Args:
            format: "auto" (JSON Lines for .jsonl and .json names), "text" or
                "jsonl".
            max_bytes: stop reading after this many bytes of text.
            allow_nul_bytes: count NUL bytes as text. By default a file with a
                NUL byte raises ValueError, because it is almost always a
                binary file picked up by mistake.
            progress: overrides ``show_progress`` for this call.

        Raises:
            FileNotFoundError: a path does not exist.
            ValueError: invalid options, invalid JSON Lines, a NUL byte
                (unless ``allow_nul_bytes``), or no text.
            OSError: a file cannot be read or is corrupt.
        """
        paths = _as_list(files, "files")
        if not paths:
            raise ValueError("files is empty; name at least one file or directory")
        if max_bytes is not None:
            _check_int("max_bytes", max_bytes, 1)
        core = self._core()
        reporter = self._reporter(progress)
        try:
            def counting(stage: str, done: int, total: int) -> None:
                # total is the size on disk, smaller than the text for
                # compressed files; then the bar shows no total.
                reporter.update("counting", done, total if total >= done else None, "bytes")

            core.count_files(
                paths, _as_list(include, "include"), _as_list(exclude, "exclude"), format,
                text_field, max_bytes or 0, bool(allow_nul_bytes), counting,
            )
            return self._finish(core, reporter, "tokforge.BpeTrainer.train")
        finally:
            reporter.close()

    def train_from_iterator(
        self,
        iterator: Iterable[Union[str, Sequence[str]]],
        length: Optional[int] = None,
        *,
        name: Optional[str] = None,
        progress: Optional[bool] = None,
    ) -> Tokenizer:
        """Train on the sequences of any iterable, without holding them all.

        Each item is one sequence (a str) or a batch of sequences (a list or
        tuple of str), such as ``(row["text"] for row in dataset)`` or
        ``dataset.iter(batch_size=1000)["text"]``. Nothing is split at
        newlines: to match ``train`` on a text file, yield each line with its
        line ending. Sequences are counted in batches on C++ threads with the
        GIL released while Python produces the next batch.

        Args:
            length: number of sequences the iterator yields, used only as the
                progress bar total.
            name: how the model card names this corpus; defaults to the
                iterator's type.
            progress: overrides ``show_progress`` for this call.

        Raises:
            TypeError: an item is neither a str nor a list or tuple of str.
            ValueError: the iterator yields no text.
        """
        if length is not None:
            _check_int("length", length, 0)
        corpus_name = name or f"Python iterator ({type(iterator).__name__})"
        core = self._core()
        reporter = self._reporter(progress)
        sequences = 0
        total_bytes = 0
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tokforge-count") as pool:
                pending: Optional[Future] = None
                batch: List[str] = []
                batch_chars = 0
                produced = 0

                def submit() -> None:
                    # Waits for the previous batch, then hands over this one.
                    nonlocal pending, batch, batch_chars, sequences, total_bytes
                    if pending is not None:
                        count, size = pending.result()
                        sequences += count
                        total_bytes += size
                    pending = pool.submit(core.count_sequences, batch) if batch else None
                    batch = []
                    batch_chars = 0

                try:
                    for item in _sequences(iterator):
                        batch.append(item)
                        batch_chars += len(item)
                        produced += 1
                        if len(batch) >= _BATCH_SEQUENCES or batch_chars >= _BATCH_CHARS:
                            submit()
                        if produced % _PROGRESS_EVERY == 0:
                            reporter.update("counting", produced, length, "sequences")
                    submit()  # the last partial batch
                    submit()  # wait for it
                finally:
                    # Never leave a count running when the iterator raised.
                    if pending is not None:
                        pending.exception()
            reporter.update("counting", sequences, length, "sequences")
            core.record_sequence_corpus(corpus_name, sequences, total_bytes)
            return self._finish(core, reporter, "tokforge.BpeTrainer.train_from_iterator")
        finally:
            reporter.close()

    def train_from_counts(self, counts: Union["Counts", Iterable["Counts"]]) -> Tokenizer:
        """Train on piece counts made by ``tokforge.count_pieces``, ``Counts.load``
        or ``tokforge count``, merged in the order given.

        Raises:
            ValueError: a ``Counts`` was made with another ``hf_compatible``
                setting than this trainer's, or the counts are empty.
        """
        parts = [counts] if isinstance(counts, Counts) else list(counts)
        core = self._core()
        reporter = self._reporter(False)
        try:
            for index, part in enumerate(parts):
                if not isinstance(part, Counts):
                    raise TypeError(
                        f"train_from_counts expects tokforge.Counts, got {type(part).__name__}"
                    )
                core.add_counts(part, f"Counts {index}")
            return self._finish(core, reporter, "tokforge.BpeTrainer.train_from_counts")
        finally:
            reporter.close()


def _sequences(iterator: Iterable[Union[str, Sequence[str]]]) -> Iterator[str]:
    for item in iterator:
        if isinstance(item, str):
            yield item
        elif isinstance(item, (list, tuple)):
            for sequence in item:
                if not isinstance(sequence, str):
                    raise TypeError(
                        "train_from_iterator expects str or lists of str, got a list containing "
                        f"{type(sequence).__name__}"
                    )
                yield sequence
        else:
            hint = " (decode bytes first)" if isinstance(item, (bytes, bytearray)) else ""
            raise TypeError(
                f"train_from_iterator expects str or lists of str, got {type(item).__name__}{hint}"
            )
