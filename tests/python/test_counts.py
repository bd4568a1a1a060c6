"""tokforge.Counts, count_pieces, train_from_counts and the Dask example."""

import gzip
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import tokforge
from conftest import CORPUS, PACKAGE_DIR, REPO, read_sequences

DASK_EXAMPLE = REPO / "python_bindings" / "examples" / "dask_train.py"


@pytest.fixture(scope="module")
def sequences():
    texts = []
    for path in sorted(CORPUS.glob("*.txt")):
        texts.extend(read_sequences(path))
    return texts


def test_counts_round_trip_bytes(sequences):
    counts = tokforge.count_pieces(sequences)
    data = counts.to_bytes()
    again = tokforge.Counts.from_bytes(data)
    assert again.items() == counts.items()
    assert again.stats == counts.stats
    assert len(again) == len(counts) > 0
    assert pickle.loads(pickle.dumps(counts)).items() == counts.items()


def test_counts_merge_equals_whole(sequences):
    half = len(sequences) // 2
    whole = tokforge.count_pieces(sequences)
    merged = tokforge.count_pieces(sequences[:half]).merge(tokforge.count_pieces(sequences[half:]))
    assert merged.items() == whole.items()
    assert merged.stats["sequences"] == len(sequences)


def test_train_from_counts_equals_iterator(sequences):
    trainer = tokforge.BpeTrainer(vocab_size=500, show_progress=False)
    direct = trainer.train_from_iterator(sequences)
    half = len(sequences) // 3
    parts = [tokforge.count_pieces(sequences[:half]), tokforge.count_pieces(sequences[half:])]
    from_counts = trainer.train_from_counts(parts)
    assert from_counts.to_str() == direct.to_str()


def test_counts_settings_mismatch():
    plain = tokforge.count_pieces(["a b\n"])
    hf = tokforge.count_pieces(["a b\n"], hf_compatible=True)
    with pytest.raises(ValueError, match="byte_order_mark"):
        plain.merge(hf)
    with pytest.raises(ValueError, match="byte_order_mark"):
        tokforge.BpeTrainer(vocab_size=300, show_progress=False).train_from_counts(hf)


def test_counts_corrupt_bytes():
    data = bytearray(tokforge.count_pieces(["hello world\n"] * 3).to_bytes())
    data[-3] ^= 0x01
    with pytest.raises(OSError, match="shard.bin is corrupt"):
        tokforge.Counts.from_bytes(bytes(data), "shard.bin")
    with pytest.raises(OSError, match="truncated"):
        tokforge.Counts.from_bytes(bytes(data[:24]), "shard.bin")
    with pytest.raises(ValueError, match="not a count shard"):
        tokforge.Counts.from_bytes(b"plain text", "shard.bin")


def test_counts_shard_file_from_cli(cli, tmp_path, sequences):
    shard = tmp_path / "golden.counts"
    subprocess.run(
        [str(cli), "count", "--quiet", "--allow-nul-bytes", "--include", "*.txt", "--output", str(shard),
         str(CORPUS)],
        check=True, capture_output=True,
    )
    loaded = tokforge.Counts.load(shard)
    assert loaded.items() == tokforge.count_pieces(sequences).items()


def test_count_pieces_rejects_non_str():
    with pytest.raises(TypeError, match="bytes"):
        tokforge.count_pieces([b"x"])
    with pytest.raises(TypeError, match="single str"):
        tokforge.count_pieces("text")


def _write_shards(directory: Path, sequences, shards: int):
    """Gzipped JSON Lines shards with the text in a nested field; every
    document of the first shard appears again in the last one."""
    paths = []
    per_shard = (len(sequences) + shards - 1) // shards
    for index in range(shards):
        path = directory / f"part-{index:03d}.jsonl.gz"
        chunk = sequences[index * per_shard:(index + 1) * per_shard]
        if index == shards - 1:
            chunk = chunk + sequences[:per_shard]
        with gzip.open(path, "wt", encoding="utf-8", newline="") as out:
            for number, text in enumerate(chunk):
                out.write(json.dumps({"id": number, "meta": {"text": text}}) + "\n")
        paths.append(path)
    return paths


def test_dask_example_matches_cli(cli, tmp_path, sequences):
    pytest.importorskip("dask.distributed")
    shards = _write_shards(tmp_path, sequences, 4)
    output = tmp_path / "dask.json"
    env = dict(os.environ, PYTHONPATH=str(PACKAGE_DIR))
    result = subprocess.run(
        [sys.executable, str(DASK_EXAMPLE), "--workers", "2", "--vocab-size", "500",
         "--text-field", "meta.text", "--output", str(output)] + [str(p) for p in shards],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "distinct pieces" in result.stdout

    reference = tmp_path / "cli.json"
    subprocess.run(
        [str(cli), "train", "--quiet", "--vocab-size", "500", "--text-field", "meta.text",
         "--output", str(reference)] + [str(p) for p in shards],
        check=True, capture_output=True,
    )
    assert output.read_bytes() == reference.read_bytes()
