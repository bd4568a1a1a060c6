"""save_pretrained folders and from_pretrained lookups."""

import datetime
import json

import pytest

import tokforge


@pytest.fixture(scope="module")
def trained(corpus_files):
    trainer = tokforge.BpeTrainer(vocab_size=1500, special_tokens=["<|endoftext|>", "<pad>", "<tool>"],
                                  show_progress=False)
    return trainer.train(corpus_files, allow_nul_bytes=True)


def test_folder_contents(trained, corpus_files, tmp_path):
    folder = tmp_path / "my-tokenizer"
    written = trained.save_pretrained(folder)
    names = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "README.md"]
    assert written == tuple(str(folder / name) for name in names)
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)

    assert tokforge.Tokenizer.from_file(folder / "tokenizer.json").to_str() == trained.to_str()

    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert config["tokenizer_class"] == "PreTrainedTokenizerFast"
    assert config["bos_token"] == "<|endoftext|>"
    assert config["eos_token"] == "<|endoftext|>"
    assert config["pad_token"] == "<pad>"
    assert config["additional_special_tokens"] == ["<tool>"]
    assert config["added_tokens_decoder"]["1"] == {
        "content": "<pad>", "lstrip": False, "normalized": False, "rstrip": False,
        "single_word": False, "special": True,
    }
    assert config["clean_up_tokenization_spaces"] is False

    special = json.loads((folder / "special_tokens_map.json").read_text(encoding="utf-8"))
    assert special == {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                       "pad_token": "<pad>", "additional_special_tokens": ["<tool>"]}


def test_model_card(trained, corpus_files, tmp_path):
    trained.save_pretrained(tmp_path / "card", title="Golden corpus BPE")
    card = (tmp_path / "card" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n")
    assert "# Golden corpus BPE" in card
    assert f"tokforge {tokforge.__version__}" in card
    assert datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d") in card
    total_bytes = sum(p.stat().st_size for p in corpus_files)
    assert f"({total_bytes} bytes)" in card
    for path in corpus_files:
        assert path.name.replace("_", "\\_") in card
    assert "| vocab_size | 1500 |" in card
    assert "`<|endoftext|>`".replace("|", "\\|") in card
    assert "tokforge.BpeTrainer.train" in card


def test_card_of_loaded_tokenizer(golden_tokenizer, tmp_path):
    golden_tokenizer.save_pretrained(tmp_path / "loaded")
    card = (tmp_path / "loaded" / "README.md").read_text(encoding="utf-8")
    assert "Not recorded" in card
    assert "## Training options" not in card


def test_special_tokens_map_override(trained, tmp_path):
    trained.save_pretrained(tmp_path / "roles", special_tokens_map={
        "bos_token": None, "pad_token": "<|endoftext|>", "additional_special_tokens": [],
    })
    special = json.loads((tmp_path / "roles" / "special_tokens_map.json").read_text())
    assert special == {"eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>"}


def test_special_tokens_map_rejects_unknown_token(trained, tmp_path):
    with pytest.raises(ValueError, match="not in the vocabulary"):
        trained.save_pretrained(tmp_path / "bad", special_tokens_map={"mask_token": "<mask>"})
    with pytest.raises(ValueError, match="unknown special_tokens_map key"):
        trained.save_pretrained(tmp_path / "bad", special_tokens_map={"start_token": "<pad>"})


def test_from_pretrained_folder(trained, tmp_path):
    trained.save_pretrained(tmp_path / "folder")
    loaded = tokforge.Tokenizer.from_pretrained(tmp_path / "folder")
    assert loaded.to_str() == trained.to_str()


def test_from_pretrained_hf_cache(trained, tmp_path, monkeypatch):
    repo = tmp_path / "hf" / "hub" / "models--someone--tiny-bpe"
    snapshot = repo / "snapshots" / ("a" * 40)
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("a" * 40)
    trained.save(snapshot / "tokenizer.json")
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    loaded = tokforge.Tokenizer.from_pretrained("someone/tiny-bpe")
    assert loaded.to_str() == trained.to_str()
    with pytest.raises(FileNotFoundError, match="models--someone--other"):
        tokforge.Tokenizer.from_pretrained("someone/other")
    with pytest.raises(FileNotFoundError, match="revision v2"):
        tokforge.Tokenizer.from_pretrained("someone/tiny-bpe", revision="v2")


def test_transformers_loads_folder(trained, tmp_path):
    transformers = pytest.importorskip(
        "transformers", reason="transformers is not installed; AutoTokenizer loading not checked")
    trained.save_pretrained(tmp_path / "hf")
    hf = transformers.AutoTokenizer.from_pretrained(str(tmp_path / "hf"))
    text = "Hello 세계 <pad> end"
    assert hf(text)["input_ids"] == trained.encode(text).ids
    assert hf.pad_token == "<pad>"
    assert hf.eos_token == "<|endoftext|>"
    assert hf.decode(trained.encode(text).ids) == trained.decode(trained.encode(text).ids)
