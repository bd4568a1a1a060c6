"""tokforge.compare and the report object it returns."""

from __future__ import annotations

import html
import json
import os
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Union

from . import _tokforge
from ._tokforge import Tokenizer

TokenizerSource = Union[Tokenizer, str, "os.PathLike[str]"]
CorpusSource = Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]]


class ComparisonReport:
    """Figures of every tokenizer on every corpus, as ``tokforge compare`` reports them.

    ``to_dict`` follows the JSON schema of ``tokforge compare --format json``.
    In a notebook the report renders as its HTML view.
    """

    def __init__(self, report: Any) -> None:
        self._report = report
        self._dict: Optional[Dict[str, Any]] = None

    def to_dict(self) -> Dict[str, Any]:
        """Return the report as plain Python data (the JSON report, parsed)."""
        if self._dict is None:
            self._dict = json.loads(self._report.to_json())
        return self._dict

    def to_json(self) -> str:
        return self._report.to_json()

    def to_markdown(self) -> str:
        return self._report.to_markdown()

    def to_html(self) -> str:
        """Return a self-contained HTML page: inline CSS and SVG, no scripts."""
        return self._report.to_html()

    def to_csv(self) -> str:
        return self._report.to_csv()

    def to_pandas(self) -> Any:
        """Return one DataFrame row per tokenizer and corpus. Requires pandas."""
        try:
            import pandas
        except ImportError as error:
            raise ImportError("to_pandas needs pandas; install python3-pandas") from error
        rows = [
            {key: value for key, value in row.items() if not isinstance(value, (list, dict))}
            for row in self.to_dict()["results"]
        ]
        return pandas.DataFrame(rows).set_index(["corpus", "tokenizer"])

    def _repr_html_(self) -> str:
        # The page's CSS styles body and table, so an iframe keeps it from
        # restyling the notebook around it.
        return (
            '<iframe style="width: 100%; height: 640px; border: 0" srcdoc="'
            + html.escape(self.to_html(), quote=True)
            + '"></iframe>'
        )

    def __str__(self) -> str:
        return self._report.to_table()

    def __repr__(self) -> str:
        data = self.to_dict()
        names = [t["name"] for t in data["tokenizers"]]
        corpora = [c["name"] for c in data["corpora"]]
        return f"ComparisonReport(tokenizers={names}, corpora={corpora})"


def _names(values: Union[None, str, Iterable[str]]) -> list:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return [str(value) for value in values]


def compare(
    tokenizers: Mapping[str, TokenizerSource],
    corpora: Mapping[str, CorpusSource],
    baseline: Optional[str] = None,
    words: Optional[Iterable[str]] = None,
    *,
    by_line: bool = False,
    include: Union[None, str, Iterable[str]] = None,
    exclude: Union[None, str, Iterable[str]] = None,
    text_field: str = "text",
    max_bytes: Optional[int] = None,
    threads: int = 0,
    sample_lines: int = 3,
) -> ComparisonReport:
    """Encode every corpus with every tokenizer and measure the results.

    Args:
        tokenizers: name -> a Tokenizer, a tokenizer file, a folder with a
            tokenizer.json, or a Hugging Face model id found in the local
            cache (no download).
        corpora: name -> a file, a directory, "DIR/GLOB", or a list of paths.
        baseline: tokenizer whose token counts are the denominator of
            relative_length; the first tokenizer by default.
        words: words whose splits the report shows for every tokenizer.
        by_line: each line is one sequence; by default each file or JSON
            Lines record is one.
        max_bytes: read at most this many bytes of each corpus.

    Raises:
        FileNotFoundError: a corpus path or a tokenizer is missing.
        ValueError: no tokenizer or corpus, a repeated name, or an unknown
            baseline.
    """
    if not hasattr(_tokforge, "_compare"):
        raise NotImplementedError(
            "this tokforge module was built without the analysis library; rebuild it from a "
            "source tree that has tokenizer/include/tokforge/analysis.h"
        )
    if not tokenizers:
        raise ValueError("tokenizers is empty; pass at least one name -> tokenizer")
    if not corpora:
        raise ValueError("corpora is empty; pass at least one name -> path")
    report = _tokforge._compare(
        dict(tokenizers), dict(corpora), baseline or "", _names(words), bool(by_line),
        _names(include), _names(exclude), text_field, max_bytes or 0, threads, sample_lines,
    )
    return ComparisonReport(report)
