"""Type stubs of the C++ extension module tokforge._tokforge."""

import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

__version__: str

_Path = Union[str, os.PathLike[str]]

class Encoding:
    """The output of Tokenizer.encode: ids, tokens, offsets and masks of one text."""

    @property
    def ids(self) -> List[int]: ...
    @property
    def tokens(self) -> List[str]: ...
    @property
    def offsets(self) -> List[Tuple[int, int]]:
        """(start, end) str indices of each token; a partial character spans the whole one."""
    @property
    def special_tokens_mask(self) -> List[int]: ...
    @property
    def attention_mask(self) -> List[int]: ...
    def __len__(self) -> int: ...

class Tokenizer:
    """A tokenizer in Hugging Face tokenizer.json format; safe to share between threads."""

    @staticmethod
    def from_file(path: _Path) -> Tokenizer:
        """Load a tokenizer.json. Raises FileNotFoundError or ValueError."""
    @staticmethod
    def from_str(json: str) -> Tokenizer:
        """Load a tokenizer from tokenizer.json text. Raises ValueError."""
    @staticmethod
    def from_pretrained(
        identifier: _Path, revision: str = "main", cache_dir: Optional[_Path] = None
    ) -> Tokenizer:
        """Load from a folder or the local Hugging Face cache, without network access."""
    def encode(self, text: str, add_special_tokens: bool = True) -> Encoding:
        """Encode one text."""
    def encode_batch(
        self, texts: Iterable[str], add_special_tokens: bool = True, threads: int = 0
    ) -> List[Encoding]:
        """Encode many texts on `threads` threads (0 = all cores) with the GIL released."""
    def encode_batch_ids(
        self, texts: Iterable[str], add_special_tokens: bool = True, threads: int = 0
    ) -> List[List[int]]:
        """Encode many texts to ids only, faster than encode_batch."""
    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        """Decode ids to text; invalid UTF-8 becomes U+FFFD."""
    def decode_batch(
        self, sequences: Sequence[Sequence[int]], skip_special_tokens: bool = False
    ) -> List[str]:
        """Decode many id sequences."""
    def token_to_id(self, token: str) -> Optional[int]:
        """Return the id of a token, or None."""
    def id_to_token(self, id: int) -> Optional[str]:
        """Return the token of an id, or None."""
    def get_vocab(self, with_added_tokens: bool = True) -> Dict[str, int]:
        """Return the vocabulary as token -> id."""
    def get_vocab_size(self, with_added_tokens: bool = True) -> int:
        """Return the number of ids."""
    def to_str(self, pretty: bool = False) -> str:
        """Serialize as tokenizer.json text."""
    def save(self, path: _Path, pretty: bool = True) -> None:
        """Write tokenizer.json atomically."""
    def save_pretrained(
        self,
        folder: _Path,
        special_tokens_map: Optional[Mapping[str, Union[None, str, Sequence[str]]]] = None,
        title: Optional[str] = None,
    ) -> Tuple[str, str, str, str]:
        """Write a folder that transformers.AutoTokenizer.from_pretrained loads, with a README.md card."""
    @property
    def training_info(self) -> Optional[Dict[str, Any]]:
        """Corpora, options and statistics of the training run, or None for a loaded tokenizer."""

class _TrainerCore:
    def __init__(
        self,
        vocab_size: int,
        min_frequency: int,
        special_tokens: List[str],
        max_token_length: int,
        threads: int,
        hf_compatible: bool,
    ) -> None: ...
    def count_files(
        self,
        paths: List[str],
        include: List[str],
        exclude: List[str],
        format: str,
        text_field: str,
        max_bytes: int,
        allow_nul_bytes: bool,
        progress: Optional[Callable[[str, int, int], None]],
    ) -> Dict[str, int]: ...
    def count_sequences(self, batch: List[str]) -> Tuple[int, int]: ...
    def add_counts(self, counts: Counts, name: str) -> None: ...
    def record_sequence_corpus(self, name: str, sequences: int, bytes: int) -> None: ...
    def train(self, progress: Optional[Callable[[str, int, int], None]], method: str) -> Tokenizer: ...
    @property
    def stats(self) -> Dict[str, Union[int, float]]: ...

class Counts:
    def __init__(self, hf_compatible: bool = False) -> None: ...
    def update(self, batch: List[str], threads: int = 0) -> None: ...
    def merge(self, other: Counts) -> Counts: ...
    def prune(self, max_pieces: int) -> int: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes, name: str = "bytes") -> Counts: ...
    def save(self, path: Union[str, "os.PathLike[str]"]) -> None: ...
    @staticmethod
    def load(path: Union[str, "os.PathLike[str]"]) -> Counts: ...
    def items(self) -> List[Tuple[bytes, int]]: ...
    @property
    def hf_compatible(self) -> bool: ...
    @property
    def stats(self) -> Dict[str, int]: ...
    def __len__(self) -> int: ...

class _ComparisonReport:
    def to_json(self) -> str: ...
    def to_markdown(self) -> str: ...
    def to_html(self) -> str: ...
    def to_csv(self) -> str: ...
    def to_table(self) -> str: ...

# Present only when the library was built with tokforge/analysis.h.
def _compare(
    tokenizers: Dict[str, Any],
    corpora: Dict[str, Any],
    baseline: str,
    words: List[str],
    by_line: bool,
    include: List[str],
    exclude: List[str],
    text_field: str,
    max_bytes: int,
    threads: int,
    sample_lines: int,
) -> _ComparisonReport: ...
