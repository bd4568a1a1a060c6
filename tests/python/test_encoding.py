"""Encoding and decoding through the Python module."""

import pickle
import subprocess

import pytest

import tokforge
from conftest import GOLDEN, REPO, read_lines


def _bytes_to_unicode() -> dict:
    """GPT-2's byte alphabet: byte value -> the character that spells it."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    mapping = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in mapping:
            mapping[b] = chr(256 + extra)
            extra += 1
    return mapping


UNICODE_TO_BYTE = {char: byte for byte, char in _bytes_to_unicode().items()}


def test_encode_matches_cli(cli, golden_tokenizer_path, golden_tokenizer, corpus_files):
    for path in corpus_files:
        output = subprocess.run(
            [str(cli), "encode", "--tokenizer", str(golden_tokenizer_path), str(path)],
            check=True, capture_output=True,
        ).stdout.decode("ascii")
        cli_ids = [[int(i) for i in line.split()] for line in output.split("\n")[:-1]]
        lines = read_lines(path)
        assert len(cli_ids) == len(lines), path.name
        for number, (line, expected) in enumerate(zip(lines, cli_ids), start=1):
            assert golden_tokenizer.encode(line).ids == expected, f"{path.name}:{number}"


def test_encode_matches_hf_golden_ids(golden_tokenizer):
    expected = (GOLDEN / "hf_train_small.ids").read_text(encoding="utf-8").split("\n")
    lines = []
    for row in (GOLDEN / "inputs.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        golden_file, input_file, count = row.split("\t")
        if golden_file == "hf_train_small.ids":
            file_lines = read_lines(REPO / input_file)
            assert len(file_lines) == int(count)
            lines.extend(file_lines)
    for index, line in enumerate(lines):
        ids = [int(i) for i in expected[index].split()]
        assert golden_tokenizer.encode(line, add_special_tokens=False).ids == ids, index


def test_encode_batch_equals_encode(golden_tokenizer, corpus_files):
    lines = [line for path in corpus_files for line in read_lines(path)]
    batch = golden_tokenizer.encode_batch(lines)
    assert len(batch) == len(lines)
    for line, encoding in zip(lines, batch):
        single = golden_tokenizer.encode(line)
        assert encoding.ids == single.ids
        assert encoding.tokens == single.tokens
        assert encoding.offsets == single.offsets
        assert encoding.special_tokens_mask == single.special_tokens_mask


@pytest.mark.parametrize("threads", [1, 2])
def test_encode_batch_ids_equals_encode_batch(golden_tokenizer, corpus_files, threads):
    lines = [line for path in corpus_files for line in read_lines(path)]
    lines += ["", "안녕하세요, 세계!", "déjà vu 👋🏽 {x: 1}"]
    expected = [encoding.ids for encoding in golden_tokenizer.encode_batch(lines)]
    assert golden_tokenizer.encode_batch_ids(lines, threads=threads) == expected
    without_special = golden_tokenizer.encode_batch_ids(lines, add_special_tokens=False)
    assert without_special == [golden_tokenizer.encode(line, add_special_tokens=False).ids
                               for line in lines]


def test_encode_batch_ids_rejects_bad_input(golden_tokenizer):
    with pytest.raises(TypeError, match="single str"):
        golden_tokenizer.encode_batch_ids("one text")
    with pytest.raises(ValueError, match="threads"):
        golden_tokenizer.encode_batch_ids(["a"], threads=-1)
    assert golden_tokenizer.encode_batch_ids([]) == []


def test_encode_batch_with_one_thread(golden_tokenizer):
    texts = ["안녕하세요", "hello world", ""]
    assert [e.ids for e in golden_tokenizer.encode_batch(texts, threads=1)] == [
        golden_tokenizer.encode(t).ids for t in texts
    ]


@pytest.mark.parametrize("text", [
    "안녕하세요, 세계! 반가워요.",
    "family 👨‍👩‍👧‍👦 and waving 👋🏽 hands",
    "e\u0301te\u0301 café 🇫🇷 — “quotes”",
    "ㅎㅏㄴ 한국어 😀😀😀 end",
])
def test_offsets_are_str_indices(golden_tokenizer, text):
    encoding = golden_tokenizer.encode(text)
    # Byte offsets from the token spellings, then mapped to characters
    # independently of the module: a partial character covers the whole one.
    utf8 = text.encode("utf-8")
    char_of_byte = []
    for index, char in enumerate(text):
        char_of_byte.extend([index] * len(char.encode("utf-8")))
    position = 0
    expected = []
    for token in encoding.tokens:
        length = len(bytes(UNICODE_TO_BYTE[c] for c in token))
        expected.append((char_of_byte[position], char_of_byte[position + length - 1] + 1))
        position += length
    assert position == len(utf8)
    assert encoding.offsets == expected
    assert encoding.offsets[-1][1] == len(text)
    for start, end in encoding.offsets:
        assert 0 <= start < end <= len(text)


def test_offsets_of_ascii_words(golden_tokenizer):
    text = "hello world"
    encoding = golden_tokenizer.encode(text)
    pieces = [text[start:end] for start, end in encoding.offsets]
    assert "".join(pieces) == text


def test_encoding_fields(golden_tokenizer):
    encoding = golden_tokenizer.encode("한국어 text")
    assert len(encoding) == len(encoding.ids) == len(encoding.tokens)
    assert encoding.attention_mask == [1] * len(encoding)
    assert encoding.special_tokens_mask == [0] * len(encoding)
    assert "Encoding(num_tokens=" in repr(encoding)


def test_decode_roundtrips_corpus_lines(golden_tokenizer, corpus_files):
    for path in corpus_files:
        lines = read_lines(path)
        for line in lines:
            assert golden_tokenizer.decode(golden_tokenizer.encode(line).ids) == line
        ids = [e.ids for e in golden_tokenizer.encode_batch(lines)]
        assert golden_tokenizer.decode_batch(ids) == lines


def test_decode_replaces_cut_character(golden_tokenizer):
    # 0xF0 alone is the first byte of a 4-byte character: invalid UTF-8.
    lead_byte = golden_tokenizer.token_to_id(_bytes_to_unicode()[0xF0])
    assert lead_byte is not None
    assert golden_tokenizer.decode([lead_byte]) == "\ufffd"
    ids = golden_tokenizer.encode("ok").ids + [lead_byte]
    assert golden_tokenizer.decode(ids) == "ok\ufffd"


def test_vocab_lookups(golden_tokenizer):
    vocab = golden_tokenizer.get_vocab()
    assert len(vocab) == golden_tokenizer.get_vocab_size() == 13631
    assert sorted(vocab.values()) == list(range(len(vocab)))
    for token, token_id in list(vocab.items())[:200]:
        assert golden_tokenizer.token_to_id(token) == token_id
        assert golden_tokenizer.id_to_token(token_id) == token
    assert golden_tokenizer.token_to_id("not a token at all") is None
    assert golden_tokenizer.id_to_token(len(vocab)) is None
    assert golden_tokenizer.id_to_token(-1) is None


def test_serialization_roundtrips(golden_tokenizer, tmp_path):
    text = golden_tokenizer.to_str()
    assert tokforge.Tokenizer.from_str(text).to_str() == text
    path = tmp_path / "tokenizer.json"
    golden_tokenizer.save(path)
    assert path.read_text(encoding="utf-8") == golden_tokenizer.to_str(pretty=True) + "\n"
    assert tokforge.Tokenizer.from_file(str(path)).to_str() == text
    copy = pickle.loads(pickle.dumps(golden_tokenizer))
    assert copy.to_str() == text
    assert copy.encode("pickled 토큰").ids == golden_tokenizer.encode("pickled 토큰").ids
