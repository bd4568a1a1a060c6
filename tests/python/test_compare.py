"""tokforge.compare and its report object."""

import html
import json

import pytest

import tokforge
from conftest import CORPUS, GOLDEN, read_lines
from tokforge import _tokforge

pytestmark = pytest.mark.skipif(not hasattr(_tokforge, "_compare"),
                                reason="this build has no analysis library")


@pytest.fixture(scope="module")
def small_tokenizer(corpus_files):
    return tokforge.BpeTrainer(vocab_size=600, show_progress=False).train(corpus_files, allow_nul_bytes=True)


@pytest.fixture(scope="module")
def report(golden_tokenizer, small_tokenizer):
    return tokforge.compare(
        tokenizers={"golden": golden_tokenizer, "small": small_tokenizer,
                    "file": GOLDEN / "hf_train_small.json"},
        corpora={"python": str(CORPUS / "py_*.txt"),
                 "korean": [CORPUS / "ko_chatbot_data.txt"]},
        baseline="golden", words=["안녕하세요", "tokenizer"], by_line=True,
    )


def _result(report, tokenizer, corpus):
    [row] = [r for r in report.to_dict()["results"]
             if r["tokenizer"] == tokenizer and r["corpus"] == corpus]
    return row


def test_token_counts_match_encode(report, golden_tokenizer):
    lines = [line for path in sorted(CORPUS.glob("py_*.txt")) for line in read_lines(path)]
    expected = sum(len(golden_tokenizer.encode(line, add_special_tokens=False).ids)
                   for line in lines if line)
    assert _result(report, "golden", "python")["tokens"] == expected


def test_report_structure(report):
    data = report.to_dict()
    assert [t["name"] for t in data["tokenizers"]] == ["golden", "small", "file"]
    assert [c["name"] for c in data["corpora"]] == ["python", "korean"]
    assert len(data["results"]) == 6
    assert data["baseline"] == "golden"
    assert _result(report, "golden", "korean")["relative_length"] == 1.0
    assert _result(report, "small", "korean")["relative_length"] > 1.0
    assert _result(report, "file", "python")["tokens"] == _result(report, "golden", "python")["tokens"]
    assert [split["word"] for split in data["word_splits"]] == ["안녕하세요", "tokenizer"]
    assert json.loads(report.to_json()) == data


def test_report_renderings(report):
    markdown = report.to_markdown()
    assert markdown.startswith("# Tokenizer comparison")
    assert "| golden |" in markdown
    page = report.to_html()
    assert page.startswith("<!DOCTYPE html>")
    cell = report._repr_html_()
    assert cell.startswith("<iframe")
    assert html.escape(page, quote=True) in cell
    assert "korean" in str(report)
    assert repr(report) == "ComparisonReport(tokenizers=['golden', 'small', 'file'], corpora=['python', 'korean'])"


def test_report_to_pandas(report):
    pytest.importorskip("pandas", reason="pandas is not installed")
    frame = report.to_pandas()
    assert frame.shape[0] == 6
    assert frame.loc[("python", "golden"), "tokens"] == _result(report, "golden", "python")["tokens"]


def test_compare_errors(golden_tokenizer, tmp_path, monkeypatch):
    corpora = {"python": CORPUS / "py_shlex.txt"}
    with pytest.raises(ValueError, match="nobody"):
        tokforge.compare({"golden": golden_tokenizer}, corpora, baseline="nobody")
    with pytest.raises(FileNotFoundError):
        tokforge.compare({"golden": golden_tokenizer}, {"missing": tmp_path / "missing.txt"})
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    with pytest.raises(FileNotFoundError):
        tokforge.compare({"gpt2": "openai-community/gpt2"}, corpora)
    with pytest.raises(ValueError, match="tokenizers is empty"):
        tokforge.compare({}, corpora)
