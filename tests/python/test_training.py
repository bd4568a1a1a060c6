"""Training through tokforge.BpeTrainer."""

import json
import os
import subprocess
import sys
import textwrap
import types

import pytest

import tokforge
from conftest import GOLDEN, read_sequences
from tokforge import _progress


def _trainer(**options):
    defaults = dict(vocab_size=2000, special_tokens=["<|endoftext|>", "<pad>"], show_progress=False)
    defaults.update(options)
    return tokforge.BpeTrainer(**defaults)


def test_iterator_matches_files(corpus_files):
    from_files = _trainer().train([str(p) for p in corpus_files], allow_nul_bytes=True)

    def lines():
        for path in corpus_files:
            yield from read_sequences(path)

    from_iterator = _trainer().train_from_iterator(lines())
    assert from_iterator.to_str() == from_files.to_str()


def test_iterator_of_batches_matches_files(corpus_files):
    from_files = _trainer(hf_compatible=True).train(corpus_files, allow_nul_bytes=True)
    batches = (read_sequences(path) for path in corpus_files)
    from_batches = _trainer(hf_compatible=True).train_from_iterator(batches)
    assert from_batches.to_str() == from_files.to_str()


def test_train_matches_hf_trainer(corpus_files):
    trainer = tokforge.BpeTrainer(vocab_size=30000, hf_compatible=True, show_progress=False)
    tokenizer = trainer.train(corpus_files, allow_nul_bytes=True)
    expected = json.loads((GOLDEN / "hf_train_small.json").read_text(encoding="utf-8"))
    assert json.loads(tokenizer.to_str()) == expected


def test_train_directory_with_include(corpus_files):
    directory = corpus_files[0].parent
    from_directory = _trainer().train(directory, include="py_*.txt")
    from_files = _trainer().train(sorted(directory.glob("py_*.txt")))
    assert from_directory.to_str() == from_files.to_str()


def test_training_info_records_corpus(corpus_files):
    trainer = _trainer(min_frequency=2, max_token_length=16)
    tokenizer = trainer.train(corpus_files, allow_nul_bytes=True)
    info = tokenizer.training_info
    assert info["method"] == "tokforge.BpeTrainer.train"
    [corpus] = info["corpora"]
    assert corpus["files"] == len(corpus_files)
    assert corpus["bytes"] == sum(p.stat().st_size for p in corpus_files)
    assert corpus["sequences"] == sum(len(read_sequences(p)) for p in corpus_files)
    assert info["options"]["vocab_size"] == 2000
    assert info["options"]["min_frequency"] == 2
    assert info["options"]["max_token_length"] == 16
    assert info["options"]["special_tokens"] == ["<|endoftext|>", "<pad>"]
    assert info["stats"]["vocab_size"] == tokenizer.get_vocab_size()
    assert trainer.stats["sequences"] == corpus["sequences"]
    # Byte-level spelling: one character per byte.
    assert max(len(t) for t in tokenizer.get_vocab() if not t.startswith("<")) <= 16


def test_iterator_training_info():
    tokenizer = _trainer().train_from_iterator(["ab ab\n", ["cd cd\n", "é\n"]], name="tiny")
    [corpus] = tokenizer.training_info["corpora"]
    assert corpus == {"name": "tiny", "files": 0, "bytes": len("ab ab\ncd cd\né\n".encode()),
                      "sequences": 3, "duplicate_share": None}


def test_loaded_tokenizer_has_no_training_info(golden_tokenizer):
    assert golden_tokenizer.training_info is None


def test_text_progress_in_terminal(corpus_files, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    _trainer(show_progress=True).train(corpus_files, allow_nul_bytes=True)
    err = capsys.readouterr().err
    assert "\rcounting" in err
    assert "merging" in err
    assert "100.0%" in err


def test_progress_switch_off(corpus_files, capsys):
    _trainer(show_progress=True).train(corpus_files, allow_nul_bytes=True, progress=False)
    _trainer(show_progress=False).train_from_iterator(["some text\n"] * 10)
    assert capsys.readouterr().err == ""


def test_progress_uses_tqdm_when_installed(monkeypatch):
    bars = []

    class FakeTqdm:
        def __init__(self, desc, total, unit, unit_scale, leave):
            self.desc, self.total, self.n, self.closed = desc, total, 0, False
            bars.append(self)

        def update(self, amount):
            self.n += amount

        def close(self):
            self.closed = True

    tqdm_module = types.ModuleType("tqdm")
    auto_module = types.ModuleType("tqdm.auto")
    auto_module.tqdm = FakeTqdm
    monkeypatch.setitem(sys.modules, "tqdm", tqdm_module)
    monkeypatch.setitem(sys.modules, "tqdm.auto", auto_module)
    lines = [f"line {i % 50} of text\n" for i in range(5000)]
    _trainer(show_progress=True).train_from_iterator(iter(lines), length=len(lines))
    assert [bar.desc for bar in bars] == ["counting", "merging"]
    assert bars[0].n == 5000
    assert bars[0].total == 5000
    assert all(bar.closed for bar in bars)


def test_text_progress_without_terminal_prints_final_lines():
    class Stream:
        def __init__(self):
            self.text = ""

        def write(self, text):
            self.text += text

        def flush(self):
            pass

        def isatty(self):
            return False

    stream = Stream()
    bar = _progress.TextProgress(stream)
    for done in range(0, 101, 10):
        bar.update("counting", done, 100, "bytes")
    bar.update("merging", 300, 300, "tokens")
    bar.close()
    lines = stream.text.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("counting")
    assert "100.0%" in lines[0]
    assert lines[1].startswith("merging")
    assert "\r" not in stream.text


def test_memory_flat_with_long_generator(tmp_path):
    # Runs in a fresh interpreter so that the peak RSS of earlier tests does
    # not hide growth. 1.3 million fresh str objects of about 100 characters
    # (128 MiB of text) would raise the peak by far more than the limit if
    # the trainer held them.
    script = tmp_path / "memory.py"
    script.write_text(textwrap.dedent("""
        import random, resource, sys
        import tokforge

        random.seed(1)
        words = ["".join(random.choice("abcdefghij") for _ in range(random.randint(2, 9)))
                 for _ in range(400)]
        pool = [" ".join(random.choice(words) for _ in range(16)) for _ in range(1000)]
        trainer = tokforge.BpeTrainer(vocab_size=600, show_progress=False)

        def lines(total_bytes):
            produced = 0
            i = 0
            while produced < total_bytes:
                line = pool[i % len(pool)] + "\\n"  # a new str object every time
                produced += len(line)
                i += 1
                yield line

        trainer.train_from_iterator(lines(4 << 20))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        trainer.train_from_iterator(lines(128 << 20))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(trainer.stats["corpus_bytes"], (after - before) * 1024)
    """))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    output = subprocess.run([sys.executable, str(script)], check=True, capture_output=True,
                            text=True, env=env).stdout
    corpus_bytes, growth = (int(v) for v in output.split())
    assert corpus_bytes >= 128 << 20
    assert growth < 48 << 20, f"peak RSS grew by {growth / 2**20:.1f} MiB"
