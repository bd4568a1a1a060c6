"""Train, run and compare subword tokenizers from Python.

The API follows Hugging Face ``tokenizers``: ``Tokenizer.from_file``,
``encode``, ``decode``, ``BpeTrainer`` and friends, backed by the tokforge
C++ library. Tokenizers are saved as Hugging Face ``tokenizer.json`` files or
as folders that ``transformers.AutoTokenizer.from_pretrained`` loads.
"""

from ._tokforge import Encoding, Tokenizer, __version__
from ._report import ComparisonReport, compare
from ._trainer import BpeTrainer
from ._counts import Counts, count_pieces, merge_counts

__all__ = [
    "BpeTrainer",
    "ComparisonReport",
    "Counts",
    "Encoding",
    "Tokenizer",
    "__version__",
    "compare",
    "count_pieces",
    "merge_counts",
]
