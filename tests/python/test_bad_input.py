"""Bad inputs through the Python module, as a table.

Each case must raise a specific exception whose message names the file and
the problem, and leave no output file behind. The same inputs go through the
CLI in tests/reliability/bad_input_cli_test.cc.
"""

import copy
import gzip
import json
import subprocess

import pytest

import tokforge

SMALL_TOKENIZER = {
    "version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
    "normalizer": None,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                      "use_regex": True},
    "post_processor": None, "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "dropout": None, "unk_token": None,
              "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]]},
}


def many_lines():
    return "".join(f"line {i} of the corpus\n" for i in range(5000)).encode()


def edited(edit):
    document = copy.deepcopy(SMALL_TOKENIZER)
    edit(document)
    return json.dumps(document).encode()


def set_path(document, path, value):
    *parents, last = path
    for key in parents:
        document = document[key]
    document[last] = value


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c"], input=data, check=True, capture_output=True).stdout


# (id, file name, contents, exception, message pattern)
TOKENIZER_CASES = [
    ("missing", "tokenizer.json", None, FileNotFoundError, r"tokenizer\.json"),
    ("empty", "tokenizer.json", b"", ValueError, r"tokenizer\.json: not a valid tokenizer\.json"),
    ("truncated", "tokenizer.json", json.dumps(SMALL_TOKENIZER).encode()[:100], ValueError,
     r"tokenizer\.json: not a valid tokenizer\.json"),
    ("unknown_model", "tokenizer.json",
     edited(lambda d: set_path(d, ["model", "type"], "Mystery")), (ValueError, NotImplementedError),
     r"tokenizer\.json: model\.type: unknown model type \"Mystery\""),
    ("unknown_normalizer", "tokenizer.json",
     edited(lambda d: set_path(d, ["normalizer"], {"type": "Mystery"})),
     (ValueError, NotImplementedError), r"tokenizer\.json: normalizer\.type.*\"Mystery\""),
    ("wrong_field_type", "tokenizer.json",
     edited(lambda d: set_path(d, ["pre_tokenizer", "add_prefix_space"], "yes")), ValueError,
     r"tokenizer\.json: pre_tokenizer\.add_prefix_space"),
    ("merge_missing_token", "tokenizer.json",
     edited(lambda d: d["model"]["merges"].append(["b", "zz"])), ValueError,
     r"tokenizer\.json: .*merges\[1\].*\"zz\" is not in model\.vocab"),
    ("duplicate_id", "tokenizer.json", edited(lambda d: set_path(d, ["model", "vocab", "c"], 1)),
     ValueError, r"tokenizer\.json: .*id 1 is used by both"),
    ("negative_id", "tokenizer.json", edited(lambda d: set_path(d, ["model", "vocab", "c"], -1)),
     ValueError, r"tokenizer\.json: model\.vocab: expected a non-negative integer id"),
    ("absurd_id", "tokenizer.json",
     edited(lambda d: set_path(d, ["model", "vocab", "c"], 2**31 - 1)), ValueError,
     r"tokenizer\.json: .*id 2147483647 .* too large"),
]


@pytest.mark.parametrize("name, contents, error, pattern",
                         [case[1:] for case in TOKENIZER_CASES],
                         ids=[case[0] for case in TOKENIZER_CASES])
def test_bad_tokenizer_file(tmp_path, name, contents, error, pattern):
    path = tmp_path / name
    if contents is not None:
        path.write_bytes(contents)
    with pytest.raises(error, match=pattern):
        tokforge.Tokenizer.from_file(path)


# (id, files to write, train() keyword arguments, exception, message pattern)
TRAINING_CASES = [
    ("missing_input", {}, dict(files="missing.txt"), FileNotFoundError, r"missing\.txt"),
    ("empty_input", {"empty.txt": b""}, dict(files="empty.txt"), ValueError,
     r"read from .*empty\.txt \(1 file\) contains no text"),
    ("no_matching_files", {"src/readme.md": b"text\n"}, dict(files="src", include="*.py"),
     FileNotFoundError, r"src.*\*\.py"),
    ("truncated_gzip", {"cut.txt.gz": gzip.compress(many_lines(), mtime=0)[:2000]},
     dict(files="cut.txt.gz"), OSError, r"cut\.txt\.gz.*gzip"),
    ("truncated_zstd", {"cut.txt.zst": zstd(many_lines())[:200]}, dict(files="cut.txt.zst"),
     OSError, r"cut\.txt\.zst.*zstd"),
    ("jsonl_invalid_json", {"data.jsonl": b'{"text": "ok"}\n{"text": \n'},
     dict(files="data.jsonl"), ValueError, r"invalid JSON on line 2 of .*data\.jsonl"),
    ("jsonl_missing_field", {"data.jsonl": b'{"body": "x"}\n'}, dict(files="data.jsonl"),
     ValueError, r"missing field \"text\" on line 1 of .*data\.jsonl"),
    ("jsonl_non_string_field", {"data.jsonl": b'{"text": [1]}\n'}, dict(files="data.jsonl"),
     ValueError, r"field \"text\" on line 1 of .*data\.jsonl is an array"),
    ("nul_byte_plain", {"data.bin": b"one\ntwo\nth\0ree\n"}, dict(files="data.bin"), ValueError,
     r"data\.bin contains a NUL byte at byte offset 10 \(line 3\).*allow_nul_bytes=True"),
    ("nul_byte_in_directory", {"texts/a.txt": b"text\n", "texts/b.pyc": b"U\r\r\n\0\0"},
     dict(files="texts"), ValueError, r"b\.pyc contains a NUL byte at byte offset 4 \(line 2\)"),
    ("nul_byte_gzip", {"data.txt.gz": gzip.compress(many_lines() + b"\0", mtime=0)},
     dict(files="data.txt.gz"), ValueError,
     r"data\.txt\.gz contains a NUL byte .* uncompressed content \(line 5001\)"),
    ("nul_byte_jsonl", {"data.jsonl": b'{"text": "ok"}\n{"text": "\0"}\n'},
     dict(files="data.jsonl"), ValueError,
     r"data\.jsonl contains a NUL byte at byte offset 25 \(line 2\)"),
]


@pytest.mark.parametrize("files, arguments, error, pattern",
                         [case[1:] for case in TRAINING_CASES],
                         ids=[case[0] for case in TRAINING_CASES])
def test_bad_training_input(tmp_path, files, arguments, error, pattern):
    for name, contents in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(contents)
    arguments = dict(arguments)
    arguments["files"] = str(tmp_path / arguments["files"])
    trainer = tokforge.BpeTrainer(vocab_size=300, show_progress=False)
    output = tmp_path / "out" / "tokenizer.json"
    with pytest.raises(error, match=pattern):
        trainer.train(**arguments).save(output)
    assert not output.exists()


@pytest.mark.parametrize("name, contents", [
    ("data.txt", b"one\0two\n"),
    ("data.txt.gz", gzip.compress(b"one\0two\n", mtime=0)),
])
def test_allow_nul_bytes_counts_nul(tmp_path, name, contents):
    corpus = tmp_path / name
    corpus.write_bytes(contents)
    # With hf_compatible the alphabet holds only the bytes seen, so the NUL
    # byte's token "\u0100" is in the vocabulary exactly when NUL was counted.
    trainer = tokforge.BpeTrainer(vocab_size=300, hf_compatible=True, show_progress=False)
    tokenizer = trainer.train(corpus, allow_nul_bytes=True)
    assert "\u0100" in tokenizer.get_vocab()
    assert trainer.stats["sequences"] == 1


@pytest.mark.parametrize("options, pattern", [
    (dict(vocab_size=-5), "vocab_size must be at least 1"),
    (dict(threads=-1), "threads must be at least 0"),
    (dict(max_token_length=-3), "max_token_length must be at least 1"),
])
def test_impossible_trainer_options(options, pattern):
    with pytest.raises(ValueError, match=pattern):
        tokforge.BpeTrainer(**options)


def test_vocab_smaller_than_alphabet(tmp_path):
    corpus = tmp_path / "text.txt"
    corpus.write_text("hello world\n")
    output = tmp_path / "tokenizer.json"
    trainer = tokforge.BpeTrainer(vocab_size=10, special_tokens=["<s>"], show_progress=False)
    with pytest.raises(ValueError, match="at least 257"):
        trainer.train(corpus).save(output)
    assert not output.exists()
