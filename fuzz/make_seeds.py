#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/seeds/ from the tokenizers in data/tokenizers/.

The tokenizer.json seeds are the real files with their vocabularies cut to a
few hundred entries, so that each stays small enough for the fuzzer to mutate
while keeping every component type of the original pipeline. The count shard
seeds are written by `tokforge count` from data/golden_corpus/, so pass the
CLI binary as the first argument (default: build/cli/tokforge). Run it from
the repository root; it overwrites the files it writes and leaves others alone.
"""

import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "fuzz" / "seeds"
GOLDEN = REPO / "data" / "golden_corpus"


def load(name):
    return json.loads((REPO / "data" / "tokenizers" / name / "tokenizer.json").read_text())


def cut_bpe(document, size):
    model = document["model"]
    vocab = {token: i for token, i in model["vocab"].items() if i < size}
    merges = []
    for merge in model["merges"]:
        left, right = merge.split(" ") if isinstance(merge, str) else merge
        if left in vocab and right in vocab and left + right in vocab:
            merges.append([left, right])
    model["vocab"] = vocab
    model["merges"] = merges
    document["added_tokens"] = [t for t in document["added_tokens"] if t["id"] < size] + [
        dict(t, id=size) for t in document["added_tokens"] if t["id"] >= size][:1]
    return document


def cut_unigram(document, size):
    model = document["model"]
    model["vocab"] = model["vocab"][:size]
    document["added_tokens"] = [t for t in document["added_tokens"] if t["id"] < size]
    return document


def cut_wordpiece(document, size):
    model = document["model"]
    kept = sorted(model["vocab"].items(), key=lambda item: item[1])[:size]
    kept += [(token, i) for token, i in model["vocab"].items() if token.startswith("##")][:100]
    model["vocab"] = {token: i for i, (token, _) in enumerate(kept)}
    for token in document["added_tokens"]:
        token["id"] = model["vocab"][token["content"]]
    processor = json.dumps(document["post_processor"])
    for special in ("[CLS]", "[SEP]"):
        processor = processor.replace(f'"ids": [{load_id(special)}]',
                                      f'"ids": [{model["vocab"][special]}]')
    document["post_processor"] = json.loads(processor)
    return document


def load_id(token):
    return load("bert-base-uncased")["model"]["vocab"][token]


def write(target, name, data):
    directory = SEEDS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def main():
    gpt2 = cut_bpe(load("gpt2"), 400)
    write("tokenizer_json_fuzzer", "bpe_byte_level.json", json.dumps(gpt2, ensure_ascii=False))
    t5 = cut_unigram(load("t5"), 300)
    # The precompiled charsmap alone is 250 KB; NFKC keeps a normalizer in place.
    t5["normalizer"] = {"type": "NFKC"}
    write("tokenizer_json_fuzzer", "unigram_metaspace.json", json.dumps(t5, ensure_ascii=False))
    camembert = cut_unigram(load("camembert"), 300)
    write("tokenizer_json_fuzzer", "unigram_replace.json", json.dumps(camembert, ensure_ascii=False))
    bert = cut_wordpiece(load("bert-base-uncased"), 1100)
    write("tokenizer_json_fuzzer", "wordpiece_bert.json", json.dumps(bert, ensure_ascii=False))

    golden = (REPO / "data" / "golden_corpus" / "adversarial.txt").read_bytes()
    french = (REPO / "data" / "golden_corpus" / "fr_gautier_morte_amoureuse.txt").read_bytes()[:2000]
    for target in ("encode_bpe_fuzzer", "encode_unigram_fuzzer", "encode_wordpiece_fuzzer"):
        write(target, "adversarial.txt", golden[:4000])
        write(target, "french.txt", french)
        write(target, "invalid_utf8.txt", b"caf\xc3 \xff\xfe\x00 <|endoftext|> [CLS] </s> \xe2\x82")
        write(target, "repeated_letter.txt", b"a" * 5000)

    # The corpus reader fuzzer reads the first byte as the file kind: its value
    # modulo 8 indexes .txt .jsonl .txt.gz .jsonl.gz .txt.zst .jsonl.zst .json .gz.
    text = b"first line\r\nsecond line\n\xef\xbb\xbfnot a BOM here\nlast line without newline"
    jsonl = b'{"text": "one"}\n\n{"text": "two \\u00e9"}\n{"other": 1}\n'
    write("corpus_reader_fuzzer", "text.bin", bytes([0x00]) + text)
    write("corpus_reader_fuzzer", "jsonl.bin", bytes([0x01]) + jsonl)
    write("corpus_reader_fuzzer", "text_gzip.bin", bytes([0x02]) + gzip.compress(text, mtime=0))
    write("corpus_reader_fuzzer", "jsonl_gzip_limited.bin",
          bytes([0x83]) + gzip.compress(jsonl * 100, mtime=0))
    # The Python standard library has no zstd module, so the zstd command
    # (Debian package zstd) compresses.
    zstd_frame = subprocess.run(["zstd", "-q", "-c"], input=text, check=True,
                                capture_output=True).stdout
    write("corpus_reader_fuzzer", "text_zstd.bin", bytes([0x04]) + zstd_frame)
    write("corpus_reader_fuzzer", "text_zstd_cut.bin", bytes([0x04]) + zstd_frame[:-5])

    write_count_shard_seeds(Path(sys.argv[1]) if len(sys.argv) > 1 else
                            REPO / "build" / "cli" / "tokforge")


def count_shard(tokforge, inputs, *options):
    """Returns the count shard that `tokforge count` writes for `inputs`."""
    with tempfile.TemporaryDirectory() as directory:
        shard = Path(directory) / "seed.counts"
        subprocess.run([str(tokforge), "count", "--quiet", "--threads", "1", *options,
                        "--output", str(shard), *map(str, inputs)], check=True,
                       stdout=subprocess.DEVNULL)
        return shard.read_bytes()


def write_count_shard_seeds(tokforge):
    target = "count_shard_fuzzer"
    # Small inputs keep each shard to a few kilobytes.
    with tempfile.TemporaryDirectory() as directory:
        code = Path(directory) / "code.txt"
        code.write_bytes((GOLDEN / "py_fnmatch.txt").read_bytes()[:1500])
        mixed = Path(directory) / "mixed.jsonl"
        lines = (GOLDEN / "adversarial.txt").read_text(encoding="utf-8").splitlines()[:20]
        korean = (GOLDEN / "ko_chatbot_data.txt").read_text(encoding="utf-8").splitlines()[:10]
        mixed.write_text("".join(json.dumps({"text": line}) + "\n" for line in lines + korean),
                         encoding="utf-8")
        bom = Path(directory) / "bom.txt"
        bom.write_bytes(b"\xef\xbb\xbf" + (GOLDEN / "py_shlex.txt").read_bytes()[:600])

        shards = {
            "code.counts": count_shard(tokforge, [code]),
            "mixed_dedup.counts": count_shard(tokforge, [mixed], "--dedup"),
            "bom_hf_compatible.counts": count_shard(tokforge, [bom], "--hf-compatible"),
            "pruned.counts": count_shard(tokforge, [code, mixed], "--max-pieces", "40"),
        }
    for name, shard in shards.items():
        write(target, name, shard)

    # Damaged copies: the fuzzer repairs the length and checksum of every
    # input, so these reach the payload checks as well as the framing checks.
    code_shard = shards["code.counts"]
    write(target, "cut_in_payload.counts", code_shard[:len(code_shard) // 2])
    write(target, "cut_in_header.counts", code_shard[:15])
    flipped = bytearray(code_shard)
    flipped[len(flipped) // 2] ^= 0x40
    write(target, "flipped_payload_byte.counts", bytes(flipped))
    write(target, "trailing_byte.counts", code_shard + b"\x00")
    newer = bytearray(code_shard)
    newer[8] = 2
    write(target, "version_2.counts", bytes(newer))


if __name__ == "__main__":
    main()
